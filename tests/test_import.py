"""``import lowback`` does the catalog's work only; the rest loads on first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import lowback

INIT = Path(lowback.__file__)


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running *code*."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(*sorted(sys.modules))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return set(done.stdout.split())


def type_checking_imports() -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in the facade."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                module = "." * stmt.level + (stmt.module or "")
                found |= {alias.name: module for alias in stmt.names}
    return found


class TestImportIsLight:
    def test_import_lowback_loads_only_the_facade(self) -> None:
        """`import lowback` loads no catalog, engine or wire module, nor cattrs."""
        loaded = modules_after("import lowback")
        assert {m for m in loaded if m.startswith("lowback")} == {
            "lowback",
            "lowback._version",
        }
        assert "cattrs" not in loaded

    def test_first_use_of_a_catalog_name_loads_the_catalog_only(self) -> None:
        """`lowback.RULES` imports the rule catalog, no engine, no wire, no cattrs."""
        loaded = modules_after("import lowback; lowback.RULES")
        assert "lowback.catalog.rules" in loaded
        assert "cattrs" not in loaded
        assert not {
            m for m in loaded if m.startswith(("lowback.engine", "lowback.wire"))
        }

    def test_first_use_of_an_engine_name_loads_its_engine(self) -> None:
        """`lowback.triage` imports the triage engine, still without cattrs."""
        loaded = modules_after("import lowback; lowback.triage")
        assert "lowback.engine.triage" in loaded
        assert "cattrs" not in loaded

    def test_from_import_and_star_import_work(self) -> None:
        """`from lowback import *` binds every name in __all__."""
        namespace: dict[str, object] = {}
        exec("from lowback import *", namespace)  # noqa: S102 - the user's statement
        assert set(lowback.__all__) <= set(namespace)


class TestLazyNames:
    def test_each_lazy_name_is_its_modules_object(self) -> None:
        """Every lazily served name is the very object its module defines."""
        for name, module in lowback._LAZY.items():
            real = importlib.import_module(module, "lowback")
            assert getattr(lowback, name) is getattr(real, name), name

    def test_lazy_names_match_the_type_checking_imports(self) -> None:
        """The lazy table and the imports type checkers read name the same things."""
        assert type_checking_imports() == lowback._LAZY

    def test_every_public_name_is_served_lazily(self) -> None:
        """__all__ is the lazy table plus __version__, and dir() lists it all."""
        assert set(lowback.__all__) == set(lowback._LAZY) | {"__version__"}
        assert set(lowback.__all__) <= set(dir(lowback))

    def test_unknown_name_is_an_attribute_error(self) -> None:
        """A name the facade does not serve raises AttributeError, as usual."""
        with pytest.raises(AttributeError, match="no_such_name"):
            lowback.no_such_name  # noqa: B018 - the look-up is the test
