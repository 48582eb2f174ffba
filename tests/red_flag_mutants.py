"""Hand-made mutants of the red-flag table, each run against the triage tests.

mutmut mutates function bodies only, so the data in
``src/lowback/catalog/red_flags.py`` gets these instead: for every flag,
what it suggests moved to the next suspicion, and each of its sources left
out in turn. Each mutant is written into a copy of ``src/`` and the tests
below run against it in a fresh process; a mutant is killed when they fail.

Run from the repository root (CONTRIBUTING.md, "Mutation testing")::

    .venv/bin/python tests/red_flag_mutants.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = (
    "tests/test_catalog.py",
    "tests/test_triage_callers.py",
    "tests/test_triage_v2.py",
    "tests/test_triage_golden.py",
    "tests/test_triage.py",
    "tests/test_fhir.py",
)
_ENTRY = re.compile(
    r"RedFlagInfo\(\n\s+flag=RedFlag\.(\w+),\n\s+suggests=Suspicion\.(\w+),"
    r"\n\s+sources=\(([^)]*)\),\n\s+\)"
)
_ORDER = ("CAUDA_EQUINA", "PROGRESSIVE_DEFICIT", "FRACTURE", "INFECTION", "MALIGNANCY")


def mutants(text: str) -> list[tuple[str, str]]:
    """(name, mutated module text) for every hand-made mutant of *text*."""
    out = []
    for entry in _ENTRY.finditer(text):
        flag, suggests, listed = entry.group(1), entry.group(2), entry.group(3)
        block = entry.group(0)
        other = _ORDER[(_ORDER.index(suggests) + 1) % len(_ORDER)]
        moved = block.replace(f"Suspicion.{suggests}", f"Suspicion.{other}")
        out.append((f"{flag}: suggests {other}", text.replace(block, moved)))
        sources = [s.strip() for s in listed.split(",") if s.strip()]
        for left_out in sources:
            rest = [s for s in sources if s != left_out]
            tuple_text = "(" + ", ".join(rest) + ("," if len(rest) == 1 else "") + ")"
            fewer = block.replace(f"({listed})", tuple_text)
            out.append((f"{flag}: without {left_out}", text.replace(block, fewer)))
    return out


def main() -> int:
    """Run every mutant; print each outcome and the score; exit 1 if any survives."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        module = src / "lowback" / "catalog" / "red_flags.py"
        original = module.read_text(encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(src), "HYPOTHESIS_PROFILE": "mutmut"}
        made = mutants(original)
        survivors = []
        for name, text in made:
            module.write_text(text, encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                 "-p", "no:xdist", *TESTS],
                cwd=ROOT, env=env, capture_output=True, check=False,
            )  # fmt: skip
            killed = run.returncode != 0
            print("killed  " if killed else "SURVIVED", name, flush=True)  # noqa: T201
            if not killed:
                survivors.append(name)
    print(f"{len(made) - len(survivors)} of {len(made)} killed")  # noqa: T201
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
