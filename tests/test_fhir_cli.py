"""``lowback fhir FILE|-``: an intake or a journal in, a FHIR R4 Bundle out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lowback
from fhir_checks import all_problems
from lowback.fhir import from_intake, from_journal

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
INTAKE = EXAMPLES / "intake.json"
JOURNAL = EXAMPLES / "journal.jsonl"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m lowback ARGS`` and capture everything."""
    return subprocess.run(
        [sys.executable, "-m", "lowback", *args],
        input=stdin, capture_output=True, text=True, check=False,
    )  # fmt: skip


def journal() -> lowback.Journal:
    events: lowback.Journal = lowback.loads_jsonl(JOURNAL.read_bytes(), lowback.Journal)
    return events


def test_intake_file_prints_its_bundle() -> None:
    done = run("fhir", str(INTAKE), "--patient", "Patient/123")
    assert done.returncode == 0, done.stderr
    intake = lowback.loads(INTAKE.read_bytes(), lowback.Intake)
    assert json.loads(done.stdout) == from_intake(intake, patient="Patient/123")
    assert all_problems(json.loads(done.stdout), "Patient/123") == []


@pytest.mark.parametrize("form", ["jsonl", "array", "stdin"])
def test_journal_in_any_form_prints_the_same_bundle(form: str, tmp_path: Path) -> None:
    expected = from_journal(journal())
    if form == "jsonl":
        done = run("fhir", str(JOURNAL))
    elif form == "array":
        path = tmp_path / "journal.json"
        path.write_text(lowback.dumps(journal()), encoding="utf-8")
        done = run("fhir", str(path))
    else:
        done = run("fhir", "-", stdin=JOURNAL.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


def test_one_event_journal_is_read_as_a_journal() -> None:
    first_line = JOURNAL.read_text(encoding="utf-8").splitlines()[0]
    done = run("fhir", "-", stdin=first_line + "\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == from_journal(journal()[:1])


def test_same_input_same_bytes() -> None:
    assert run("fhir", str(JOURNAL)).stdout == run("fhir", str(JOURNAL)).stdout


@pytest.mark.parametrize(
    ("stdin", "args"),
    [
        ('{"pain_now": 7}', ()),
        ("[1, 2", ()),
        ('{"type": "check_in", "pain_now": 7}\n', ()),
        (INTAKE.read_text(encoding="utf-8"), ("--patient", "Patient 7")),
    ],
)
def test_invalid_input_exits_3_and_prints_nothing(
    stdin: str, args: tuple[str, ...]
) -> None:
    done = run("fhir", "-", *args, stdin=stdin)
    assert done.returncode == 3
    assert done.stdout == ""
    assert "invalid input" in done.stderr
    assert "7" not in done.stderr  # the values are never repeated
