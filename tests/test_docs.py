"""The documentation: the generated clinical reference and the offline inventories.

The full Sphinx build (warnings as errors, nitpicky) and the docs' doctests
run in .ci/run; these tests call the generator directly, so they stay fast.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib.util
import itertools
import re
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest

import lowback
from lowback import (
    EXERCISES,
    FINDINGS,
    MUSCLES,
    RED_FLAGS,
    RULES,
    SOURCES,
    TRANSITIONS,
    Action,
    Stage,
    Thresholds,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import lowback_reference  # noqa: E402 - lives in docs/_ext, put on the path above


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return lowback_reference.pages()


class TestClinicalReference:
    def test_every_rule_has_an_entry(self, pages: dict[str, str]) -> None:
        """Every rule ID in lowback.RULES has its own heading on the rules page."""
        headings = set(re.findall(r"^### (\S+)$", pages["rules.md"], re.MULTILINE))
        assert set(RULES) <= headings

    def test_every_rule_summary_and_source_is_shown(
        self, pages: dict[str, str]
    ) -> None:
        """Each rule's summary and every source it cites appear on the rules page."""
        text = pages["rules.md"]
        for rule in RULES.values():
            entry = text.split(f"### {rule.id}\n", 1)[1].split("\n### ", 1)[0]
            assert rule.summary in entry, rule.id
            for source in rule.sources:
                assert source.value in entry, (rule.id, source)

    def test_every_threshold_is_described(self, pages: dict[str, str]) -> None:
        """Every threshold in Thresholds.describe() has an entry with its bounds."""
        text = pages["thresholds.md"]
        for info in Thresholds.describe():
            assert f"## `{info.name}`" in text, info.name
            assert f"{info.low:g} to {info.high:g}" in text, info.name

    def test_every_catalog_entry_appears(self, pages: dict[str, str]) -> None:
        """Muscles, red flags, findings, exercises and sources each appear on their page."""
        expected = {
            "muscles.md": [m.value for m in MUSCLES],
            "red-flags.md": [f.value for f in RED_FLAGS],
            "self-checks.md": [f.value for f in FINDINGS],
            "stages.md": [e.value for e in EXERCISES],
            "sources.md": [s.value for s in SOURCES],
        }
        for page, values in expected.items():
            for value in values:
                assert f"`{value}`" in pages[page], (page, value)

    def test_red_flag_urgency_comes_from_the_rules(self, pages: dict[str, str]) -> None:
        """Each cauda equina flag's row shows the emergency disposition of RF-CES."""
        rows = pages["red-flags.md"].splitlines()
        for flag in lowback.CES_FLAGS:
            row = next(r for r in rows if r.startswith(f"| `{flag.value}`"))
            assert "`emergency`" in row
            assert "RF-CES" in row

    def test_pages_are_deterministic(self) -> None:
        """Generating twice gives the same text, so rebuilds do not churn."""
        assert lowback_reference.pages() == lowback_reference.pages()

    def test_write_pages_only_touches_changed_files(self, tmp_path: Path) -> None:
        """A second write with no catalog change rewrites nothing."""
        first = lowback_reference.write_pages(tmp_path)
        assert len(first) == len(lowback_reference.pages())
        assert lowback_reference.write_pages(tmp_path) == []


class TestOfflineInventories:
    def test_committed_inventories_match_their_generator(self) -> None:
        """docs/_inv/*.inv are exactly what make_inventories.py writes."""
        maker = _load(ROOT / "docs" / "_inv" / "make_inventories.py")
        for key, (project, version, entries) in maker.INVENTORIES.items():
            committed = (ROOT / "docs" / "_inv" / f"{key}.inv").read_bytes()
            assert committed == maker.inventory(project, version, entries), key

    def test_inventories_hold_relative_urls(self) -> None:
        """Every inventory entry is a relative page URL under its project's base URL."""
        for path in sorted((ROOT / "docs" / "_inv").glob("*.inv")):
            data = path.read_bytes()
            body = zlib.decompress(data.split(b"zlib.\n", 1)[1]).decode()
            for line in body.splitlines():
                name, role, _priority, uri, _display = line.split(" ")
                assert role.startswith("py:"), line
                assert ".html" in uri, line
                assert "://" not in uri, line
                assert name, line


@dataclasses.dataclass(frozen=True)
class _Edge:
    source: Stage
    target: Stage
    action: enum.Enum
    guards: tuple[str, ...]


class _Act(enum.Enum):
    ADVANCE = "advance"
    HOLD = "hold"
    RESUME = "resume"


class TestStageMachineDiagram:
    def _table(self) -> list[_Edge]:
        stages = list(Stage)
        edges = [
            _Edge(source=s, target=s, action=_Act.HOLD, guards=("PR-HOLD",))
            for s in stages
        ]
        edges += [
            _Edge(source=s, target=t, action=_Act.ADVANCE, guards=("PR-ADVANCE",))
            for s, t in itertools.pairwise(stages)
        ]
        edges += [
            _Edge(source=s, target=t, action=_Act.RESUME, guards=("PR-CLEAR",))
            for s in stages
            for t in stages
        ]
        return edges

    def test_forward_edges_are_arrows(self) -> None:
        """Each edge between two different stages is drawn as its own arrow."""
        svg = lowback_reference.stage_machine_svg(self._table())
        assert svg.count('class="arc"') == len(Stage) - 1
        assert svg.count(">advance</text>") == len(Stage) - 1

    def test_every_stage_is_a_box(self) -> None:
        """Every stage appears as a labelled box, with its self-loops listed."""
        svg = lowback_reference.stage_machine_svg(self._table())
        for stage in Stage:
            assert f"{stage.number}. {stage.value}</text>" in svg
        assert svg.count("stays: hold") == len(Stage)

    def test_all_pairs_actions_become_a_note(self) -> None:
        """An action joining every stage to every stage is a note, not 25 arrows."""
        svg = lowback_reference.stage_machine_svg(self._table())
        assert "From any stage to any stage: resume." in svg
        assert ">resume</text>" not in svg

    def test_a_missing_edge_changes_the_drawing(self) -> None:
        """Dropping one advance edge removes exactly one arrow (the drawing follows the table)."""
        table = self._table()
        dropped = next(e for e in table if e.action is _Act.ADVANCE)
        svg = lowback_reference.stage_machine_svg([e for e in table if e != dropped])
        assert svg.count(">advance</text>") == len(Stage) - 2


class TestPagesAreWired:
    def test_api_page_documents_every_public_name(self) -> None:
        """docs/api.md has an autodoc entry for every name in lowback.__all__."""
        text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
        documented = set(
            re.findall(
                r"^\.\. auto\w+:: lowback\.(?:[a-z_]+\.)*(\w+)$", text, re.MULTILINE
            )
        )
        missing = sorted(set(lowback.__all__) - documented)
        assert not missing, f"add these to docs/api.md: {missing}"

    def test_clinical_reference_lists_every_generated_page(self) -> None:
        """The clinical reference's toctree names every page the generator writes."""
        text = (ROOT / "docs" / "reference" / "clinical.md").read_text(encoding="utf-8")
        listed = set(re.findall(r"^generated/([\w-]+)$", text, re.MULTILINE))
        generated = {
            name[:-3] for name in lowback_reference.pages() if name.endswith(".md")
        }
        assert listed == generated

    def test_real_table_is_drawn(self) -> None:
        """The diagram of lowback's own table draws every edge between two stages."""
        svg = lowback_reference.pages()["stage-machine.svg"]
        arcs = {
            (e.source, e.target, e.action)
            for e in TRANSITIONS
            if e.source is not e.target
        }
        everywhere = {
            a
            for a in {e.action for e in TRANSITIONS}
            if sum(1 for e in TRANSITIONS if e.action is a) >= len(Stage) ** 2
        }
        drawn = {arc for arc in arcs if arc[2] not in everywhere}
        assert svg.count('class="arc"') == len(drawn)

    def test_page_lists_every_transition(self) -> None:
        """The stage-machine page has a row per edge, and one per any-to-any action."""
        page = lowback_reference.pages()["stage-machine.md"]
        rows = [r for r in page.splitlines() if r.startswith("| ") and "`" in r]
        pairs = len(Stage) ** 2
        by_action = {a: [e for e in TRANSITIONS if e.action is a] for a in Action}
        anywhere = [a for a, edges in by_action.items() if len(edges) == pairs]
        assert anywhere
        assert len(rows) == len(TRANSITIONS) - pairs * len(anywhere) + len(anywhere)
        for action in anywhere:
            assert f"| any stage | any stage | `{action.value}` |" in page


class TestPerformancePage:
    def test_every_benchmark_is_described(self) -> None:
        """The performance page names every script in benchmarks/."""
        page = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
        scripts = sorted(p.name for p in (ROOT / "benchmarks").glob("bench_*.py"))
        assert scripts
        assert [s for s in scripts if f"`{s}`" not in page] == []


def _names_in(path: Path) -> dict[str, set[str]]:
    """Each class in a test file with the names of its methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: {
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


class TestHazardLog:
    def test_every_cited_test_exists(self) -> None:
        """Each test SAFETY.md names as a control's evidence is a real test.

        Each ``##`` section has its own legend of one-letter keys.
        """
        log = (ROOT / "SAFETY.md").read_text(encoding="utf-8")
        sections = re.split(r"^## ", log, flags=re.MULTILINE)
        cited = 0
        missing = []
        for section in sections:
            files = dict(re.findall(r"`([A-Z])` is\s+`(test_\w+\.py)`", section))
            for letter, rest in re.findall(r"`([A-Z])::([\w:*]+)`", section):
                cited += 1
                if letter not in files:
                    missing.append(f"{letter}::{rest} (no legend)")
                    continue
                classes = _names_in(ROOT / "tests" / files[letter])
                parts = rest.split("::")
                if len(parts) == 1:  # a rule or invariant of a state machine
                    found = any(parts[0] in methods for methods in classes.values())
                else:
                    methods = classes.get(parts[0])
                    found = methods is not None and (
                        parts[1] == "*" or parts[1] in methods
                    )
                if not found:
                    missing.append(f"{letter}::{rest}")
        assert cited >= 10
        assert missing == []
