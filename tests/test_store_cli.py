"""``lowback store append|show|replay --db PATH STREAM``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lowback
from lowback.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent
JOURNAL_FILE = ROOT / "examples" / "data" / "journal.jsonl"
JOURNAL = lowback.loads_jsonl(JOURNAL_FILE.read_text(encoding="utf-8"), lowback.Journal)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "plans.db")


def test_append_show_and_replay(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.json"
    first.write_text(lowback.dumps(JOURNAL[:5]))  # a JSON array
    code, out, _ = _run(
        capsys,
        "store",
        "append",
        "--db",
        db,
        "p",
        str(first),
        "--expected-version",
        "0",
        "--json",
    )
    assert (code, json.loads(out)) == (EXIT_OK, {"stream_id": "p", "version": 5})
    rest = tmp_path / "rest.jsonl"
    rest.write_text(lowback.dumps_jsonl(JOURNAL[5:]))  # JSON Lines
    code, out, _ = _run(
        capsys,
        "store",
        "append",
        "--db",
        db,
        "p",
        str(rest),
        "--expected-version",
        "any",
    )
    assert code == EXIT_OK
    assert f"version {len(JOURNAL)}" in out
    code, out, _ = _run(capsys, "store", "show", "--db", db, "p", "--json")
    shown = json.loads(out)
    assert shown["version"] == len(JOURNAL)
    assert lowback.loads(json.dumps(shown["events"]), lowback.Journal) == JOURNAL
    code, out, _ = _run(capsys, "store", "show", "--db", db, "p")
    assert len(out.splitlines()) == len(JOURNAL) + 1
    code, out, _ = _run(capsys, "store", "replay", "--db", db, "p", "--json")
    state, decisions = lowback.replay(JOURNAL)
    assert (
        out
        == lowback.dumps(lowback.ReplayOutput(state=state, decisions=decisions)) + "\n"
    )
    code, text, _ = _run(capsys, "store", "replay", "--db", db, "p")
    assert code == EXIT_OK
    assert text.splitlines()[-1] == f"Now: {state.stage} ({state.status})."


def test_a_conflict_is_invalid_input(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run(
            capsys,
            "store",
            "append",
            "--db",
            db,
            "p",
            str(JOURNAL_FILE),
            "--expected-version",
            "0",
        )[0]
        == EXIT_OK
    )
    code, out, err = _run(
        capsys,
        "store",
        "append",
        "--db",
        db,
        "p",
        str(JOURNAL_FILE),
        "--expected-version",
        "3",
    )
    assert (code, out) == (EXIT_INVALID_INPUT, "")
    assert "expected version 3" in err
    assert f"actual version {len(JOURNAL)}" in err


def test_a_refused_event_writes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backwards = tmp_path / "backwards.jsonl"
    backwards.write_text(lowback.dumps_jsonl([JOURNAL[0], JOURNAL[5], JOURNAL[1]]))
    code, out, err = _run(
        capsys,
        "store",
        "append",
        "--db",
        db,
        "p",
        str(backwards),
        "--expected-version",
        "0",
    )
    assert (code, out) == (EXIT_INVALID_INPUT, "")
    assert "$[2].date: out_of_order" in err
    code, out, _ = _run(capsys, "store", "show", "--db", db, "p")
    assert out == "Stream 'p': version 0.\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["store", "show", "--db", "{missing}", "p"],
        ["store", "replay", "--db", "{missing}", "p"],
        ["store", "append", "--db", "{db}", "p", "{journal}"],
        [
            "store",
            "append",
            "--db",
            "{db}",
            "p",
            "{journal}",
            "--expected-version",
            "-1",
        ],
        [
            "store",
            "append",
            "--db",
            "{notdb}",
            "p",
            "{journal}",
            "--expected-version",
            "0",
        ],
    ],
)
def test_usage_errors(
    argv: list[str], db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notdb = tmp_path / "text.db"
    notdb.write_text("not a database " * 200)
    values = {
        "missing": str(tmp_path / "none.db"),
        "db": db,
        "journal": str(JOURNAL_FILE),
        "notdb": str(notdb),
    }
    code, out, _ = _run(capsys, *(a.format(**values) for a in argv))
    assert (code, out) == (EXIT_USAGE, "")


def test_replay_of_a_missing_stream(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(
        capsys,
        "store",
        "append",
        "--db",
        db,
        "p",
        str(JOURNAL_FILE),
        "--expected-version",
        "0",
    )
    code, out, err = _run(capsys, "store", "replay", "--db", db, "q")
    assert (code, out) == (EXIT_INVALID_INPUT, "")
    assert "not_found" in err
