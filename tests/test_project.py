"""The project's own promises: README commands, CI, examples and the facade."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import lowback

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The one-line commands in the README's console blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```console\n(.+?)\n```", text)


class TestReadme:
    def test_ci_runs_the_readme_test_command(self) -> None:
        """.ci/run calls exactly the README's test command."""
        test_command = next(c for c in readme_commands() if "pytest" in c)
        assert (
            test_command
            in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        )

    def test_readme_has_a_demo_and_a_test_command(self) -> None:
        """The README gives two one-line commands: run it, and test it."""
        commands = readme_commands()
        assert len(commands) == 2
        assert all("\n" not in c for c in commands)


class TestReadmeExample:
    def test_the_python_example_runs(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The README's Python block runs from the repository root and prints what it says."""
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        block = re.search(r"```python\n(.+?)\n```", text, re.DOTALL)
        assert block is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(ROOT)
            exec(compile(block.group(1), "README.md", "exec"), {})  # noqa: S102 - our own README
        out = capsys.readouterr().out
        assert "self_care calm_and_unload ['SELF', 'EN-CALM']" in out
        assert "missing" in out


class TestExamples:
    @pytest.mark.parametrize(
        "path", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name
    )
    def test_example_runs(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every example has a main() that runs and prints something."""
        namespace = runpy.run_path(str(path))
        namespace["main"]()
        assert capsys.readouterr().out.strip()

    def test_catalog_example_as_a_script(self) -> None:
        """The README's first command prints the catalog."""
        out = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "catalog.py")],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert "Stage 1: calm_and_unload" in out
        assert "RF-CES" in out


class TestFacade:
    def test_all_is_complete(self) -> None:
        """Every name in __all__ exists (ruff's RUF022 keeps it sorted)."""
        assert len(set(lowback.__all__)) == len(lowback.__all__)
        for name in lowback.__all__:
            assert hasattr(lowback, name), name

    @pytest.mark.parametrize(
        "module",
        [
            "catalog.anatomy",
            "catalog.answers",
            "catalog.dispositions",
            "catalog.events",
            "catalog.exercises",
            "catalog.intake",
            "catalog.messages",
            "catalog.red_flags",
            "catalog.rules",
            "catalog.self_checks",
            "catalog.sources",
            "catalog.stages",
            "catalog.symptoms",
            "catalog.thresholds",
            "cli",
            "engine.gates",
            "engine.load",
            "engine.plan",
            "engine.prescription",
            "engine.progression",
            "engine.transitions",
            "engine.triage",
            "errors",
            "wire",
        ],
    )
    def test_modules_declare_all(self, module: str) -> None:
        """Each public module lists its public names."""
        mod = importlib.import_module(f"lowback.{module}")
        for name in mod.__all__:
            assert hasattr(mod, name)

    def test_one_canonical_path_per_public_name(self) -> None:
        """A module's __all__ lists only the classes and functions it defines.

        The package facades (lowback, lowback.wire, lowback.store,
        lowback.fhir) re-export from their own private modules.
        """
        facades = {"lowback", "lowback.wire", "lowback.store", "lowback.fhir"}
        borrowed = []
        for info in pkgutil.walk_packages(lowback.__path__, "lowback."):
            if info.name in facades or info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for name in getattr(module, "__all__", ()):
                value = getattr(module, name)
                defined_here = getattr(value, "__module__", info.name) == info.name
                if (inspect.isclass(value) or inspect.isfunction(value)) and not (
                    defined_here
                ):
                    borrowed.append(f"{info.name}.{name}")
        assert borrowed == []

    def test_version(self) -> None:
        """The package has a version string."""
        assert re.match(r"\d+\.\d+", lowback.__version__)
