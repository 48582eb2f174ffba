"""The triage golden corpus: today's results, byte for byte (tests/golden/triage/)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _corpus_module() -> ModuleType:
    path = GOLDEN / "make_triage_corpus.py"
    spec = importlib.util.spec_from_file_location("make_triage_corpus", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus_module()


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return corpus.render(corpus.read_intakes())  # type: ignore[no-any-return]


class TestGoldenCorpus:
    """Triage gives exactly the committed outputs for every committed intake."""

    def test_large_enough(self) -> None:
        """The corpus holds at least 300 distinct, named intakes."""
        named = corpus.read_intakes()
        assert len(named) >= 300
        assert len({name for name, _ in named}) == len(named)

    @pytest.mark.parametrize("name", ["results.jsonl", "text.txt", "intakes.jsonl"])
    def test_byte_for_byte(self, rendered: dict[str, str], name: str) -> None:
        """Each corpus file equals what triage and `lowback triage` give today."""
        committed = (corpus.CORPUS / name).read_text(encoding="utf-8")
        if committed != rendered[name]:
            splitter = "== " if name == "text.txt" else "\n"
            old, new = committed.split(splitter), rendered[name].split(splitter)
            first = next(
                (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                min(len(old), len(new)),
            )
            pytest.fail(
                f"{name} differs from case {first} on; regenerate with "
                "`python tests/golden/make_triage_corpus.py --write` only for an "
                "intended change, and say which rules changed it"
            )
