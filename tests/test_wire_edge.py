"""The JSON edge against hostile input and careless callers (issue 11).

Each defect found by trying the edge as an attacker and as a hurried app
developer has a test here: linear reading time, flat memory, caller mistakes
as clear lowback errors that never carry the data, errors that keep no
reference to the input, a problem list capped while it is collected; plus
the schema_version an embedded intake may carry, the ``Check.facts``
mapping, and the shape of ``src/lowback/wire/`` itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import subprocess
import sys
import time
import tracemalloc
import types
from pathlib import Path
from typing import Any

import attrs
import pytest

import lowback
from lowback import (
    ClinicianCleared,
    Dose,
    Intake,
    InvalidInput,
    Journal,
    LowbackError,
    NotAWireValue,
    Stage,
    wire,
)
from lowback._demo import demo_journal
from lowback.catalog.rules import Check, CheckOutcome
from lowback.wire._base import too_deep

ROOT = Path(__file__).resolve().parent.parent
WIRE_DIR = ROOT / "src" / "lowback" / "wire"
INTAKE_TEXT = (ROOT / "examples" / "data" / "intake.json").read_text(encoding="utf-8")
JOURNAL_TEXT = (ROOT / "examples" / "data" / "journal.jsonl").read_text(
    encoding="utf-8"
)


def _reject(text: str | bytes, tp: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        wire.loads(text, tp)
    return info.value


class TestShapeOfTheWire:
    def test_no_exec_no_direct_construction_no_quick_parse(self) -> None:
        """src/lowback/wire/ holds no exec, __new__, object.__setattr__ or scan_once."""
        for path in WIRE_DIR.glob("*.py"):
            source = path.read_text(encoding="utf-8")
            for name in ("exec(", "__new__", "object.__setattr__", "scan_once"):
                assert name not in source, (path.name, name)


class TestEmbeddedIntakeVersion:
    def _journal(self, version: Any) -> str:
        events = [json.loads(line) for line in JOURNAL_TEXT.splitlines() if line]
        events[0]["intake"] = {"schema_version": version, **events[0]["intake"]}
        return json.dumps(events)

    def test_loads_accepts_version_1_inside_plan_started(self) -> None:
        """An app may embed the intake it triaged, version and all."""
        plain = wire.loads_jsonl(JOURNAL_TEXT, Journal)
        assert wire.loads(self._journal(1), Journal) == plain

    @pytest.mark.parametrize(
        ("version", "code"),
        [(2, "bad_version"), (1.0, "wrong_type"), ("1", "wrong_type")],
    )
    def test_any_other_version_is_refused(self, version: Any, code: str) -> None:
        """Only 1 is the contract's version."""
        err = _reject(self._journal(version), Journal)
        assert [(p.path, p.code) for p in err.problems] == [
            ("$[0].intake.schema_version", code)
        ]

    def test_lowback_replay_reads_it(self, tmp_path: Path) -> None:
        """The command replays such a journal, as it replays the plain one."""
        path = tmp_path / "journal.json"
        path.write_text(self._journal(1), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "lowback", "replay", str(path), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["schema_version"] == 1

    def test_schema_allows_it_only_inside_plan_started(self) -> None:
        """The journal's schema has the optional version on the intake, const 1."""
        schema = wire.json_schema(Journal)
        version = schema["$defs"]["Intake"]["properties"]["schema_version"]
        assert version == {"type": "integer", "const": 1}
        assert "schema_version" not in schema["$defs"]["Intake"]["required"]


class TestLinearTime:
    @staticmethod
    def _seconds_per_kb(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            with pytest.raises(InvalidInput):
                wire.loads(text, Intake)
            best = min(best, time.perf_counter() - start)
        return best / (len(text) / 1000)

    @pytest.mark.parametrize(
        "unit",
        [
            '\\"',  # an unterminated string of escaped quotes (was quadratic)
            '["\\"',  # brackets and escaped quotes mixed
            "[{",  # deep, unclosed
            '{"a":',  # deep objects
        ],
    )
    def test_adversarial_documents_near_the_limit(self, unit: str) -> None:
        """Time per KB barely changes from 1/8 of the size limit to near it
        (quadratic time would make it 8 times worse)."""
        limit = wire.MAX_DOCUMENT_CHARS - 10
        small = '["' + unit * (limit // 8 // len(unit))
        large = '["' + unit * (limit // len(unit) - 1)
        assert len(large) <= wire.MAX_DOCUMENT_CHARS
        assert self._seconds_per_kb(large) < 3 * self._seconds_per_kb(small) + 1e-5

    @pytest.mark.parametrize("depth", [wire.MAX_DEPTH, wire.MAX_DEPTH + 1])
    @pytest.mark.parametrize("inner", ["[]", '{"a":1}', '["]]"]', '["\\\\"]'])
    def test_depth_boundary(self, depth: int, inner: str) -> None:
        """Exactly MAX_DEPTH levels are read; one more is too deep, whatever the
        innermost value (brackets or escapes in strings included)."""
        text = "[" * (depth - 1) + inner + "]" * (depth - 1)
        assert too_deep(text) == (depth > wire.MAX_DEPTH)


class TestFlatMemory:
    def test_building_and_reading_100000_values(self) -> None:
        """Validating free text and reading documents registers nothing globally:
        traced memory after 100,000 more values is what it was after 1,000."""
        text = wire.dumps(
            ClinicianCleared(
                date=dt.date(2026, 1, 5),
                clinician="c-1",
                note="cleared to resume",
                resume_stage=next(iter(Stage)),
            )
        )
        event = wire.loads(text, ClinicianCleared)

        def work(count: int) -> None:
            for index in range(count):
                attrs.evolve(event, note=f"note {index % 7}")
                if index % 10 == 0:
                    wire.loads(text, ClinicianCleared)

        work(1_000)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        work(100_000)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert after - before < 64_000


class TestCallerMistakes:
    @pytest.mark.parametrize(
        ("call", "mistake"),
        [
            (lambda: wire.loads(Intake, INTAKE_TEXT), "text first"),  # type: ignore[call-overload]
            (lambda: wire.loads(json.loads(INTAKE_TEXT), Intake), "not a dict"),
            (lambda: wire.loads(None, Intake), "not a NoneType"),  # type: ignore[call-overload]
            (lambda: wire.loads(INTAKE_TEXT, dict), "not a lowback wire type"),
            (lambda: wire.loads(INTAKE_TEXT, "Intake"), "text first"),
            (lambda: wire.loads_jsonl(INTAKE_TEXT, Intake), "tuple type"),
            (lambda: wire.json_schema(INTAKE_TEXT), "not a str"),
            (lambda: wire.json_schema(dict), "no wire form"),
            (lambda: wire.json_schema(Dose | Intake | None), "no wire form"),
            (lambda: wire.dumps(json.loads(INTAKE_TEXT)), "not a dict"),
            (lambda: wire.dumps(object()), "not a object"),
            (lambda: wire.dumps((Dose(), {"pain_now": 7})), "not a dict"),
            (lambda: wire.dumps(None), "not a NoneType"),
        ],
    )
    def test_each_is_a_lowback_type_error_naming_the_mistake(
        self, call: Any, mistake: str
    ) -> None:
        """A caller's mistake is a NotAWireValue (a TypeError and a LowbackError)
        whose message names the mistake and holds none of the data."""
        with pytest.raises(NotAWireValue) as info:
            call()
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, LowbackError)
        message = str(info.value)
        assert mistake in message
        assert "pain_now" not in message
        assert "schema_version" not in message


class TestErrorsKeepNoInput:
    @pytest.mark.parametrize(
        "text",
        [
            INTAKE_TEXT[:-3],  # bad JSON: the decoder's error holds the text
            INTAKE_TEXT.replace('"age": 44', '"age": "forty-four"'),
            INTAKE_TEXT.encode("utf-8") + b"\xff",  # bad UTF-8: holds the bytes
            INTAKE_TEXT.replace('"age": 44', '"age": NaN'),
        ],
    )
    def test_no_context_cause_or_frame_holds_the_text(self, text: str | bytes) -> None:
        """InvalidInput has no __context__ or __cause__, and no frame of its
        traceback inside lowback holds the input text."""
        err = _reject(text, Intake)
        assert err.__context__ is None
        assert err.__cause__ is None
        tb: types.TracebackType | None = err.__traceback__
        while tb is not None:
            if "lowback" in tb.tb_frame.f_code.co_filename:
                assert all(v is not text for v in tb.tb_frame.f_locals.values())
            tb = tb.tb_next

    def test_jsonl_error_has_no_context(self) -> None:
        """The same for JSON Lines."""
        with pytest.raises(InvalidInput) as info:
            wire.loads_jsonl('{"sets": 1}\n{"sets": "x"}\n{', tuple[Dose, ...])
        assert info.value.__context__ is None
        assert info.value.__cause__ is None


class TestProblemCap:
    def test_340000_unknown_keys_list_at_most_the_cap(self) -> None:
        """A document with 340,000 unknown keys lists MAX_PROBLEMS of them and
        counts the rest, without building a problem per key."""
        count = 340_000
        keys = ",".join(f'"{index:x}":0' for index in range(count))
        text = '{"schema_version":1,' + keys + "}"
        assert len(text) <= wire.MAX_DOCUMENT_CHARS
        tracemalloc.start()
        err = _reject(text, Dose)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert len(err.problems) == wire.MAX_PROBLEMS + 1
        assert err.problems[-1].code == "too_many_problems"
        assert str(count - wire.MAX_PROBLEMS) in err.problems[-1].detail
        # The parsed object alone takes tens of MB; 340,000 problems took 95.
        assert peak < 80_000_000

    def test_many_bad_items_are_counted_past_the_cap(self) -> None:
        """500 bad items: 100 listed, one summary saying 400 more."""
        err = _reject(json.dumps([{"sets": "x"}] * 500), tuple[Dose, ...])
        assert len(err.problems) == wire.MAX_PROBLEMS + 1
        assert "400" in err.problems[-1].detail


@attrs.frozen(kw_only=True)
class Checked:
    """A test-only record carrying checks, as TriageResult and Decision will."""

    checks: tuple[Check, ...] = ()


class TestCheckFacts:
    def test_round_trip_keeps_facts_in_order(self) -> None:
        """Facts are a JSON object of scalars, read back equal and in order."""
        value = Checked(
            checks=(
                Check(
                    id="PR-GATE-1",
                    outcome=CheckOutcome.UNMET,
                    facts={
                        "pain_now": 5,
                        "gate1_pain": 4,
                        "ratio": 0.5,
                        "asked": True,
                        "side": "left",
                        "note": None,
                    },
                ),
            )
        )
        text = wire.dumps(value)
        back = wire.loads(text, Checked)
        assert back == value
        assert list(back.checks[0].facts) == list(value.checks[0].facts)
        assert wire.dumps(back) == text

    @pytest.mark.parametrize(
        ("fact", "code"),
        [([1], "wrong_type"), ({"a": 1}, "wrong_type"), ("x" * 10_001, "too_large")],
    )
    def test_non_scalar_facts_are_refused(self, fact: Any, code: str) -> None:
        """A fact is null, a boolean, a number or a string, nothing nested."""
        doc = {
            "schema_version": 1,
            "checks": [{"id": "X", "outcome": "met", "facts": {"pain_now": fact}}],
        }
        err = _reject(json.dumps(doc), Checked)
        assert [(p.path, p.code) for p in err.problems] == [
            ("$.checks[0].facts.pain_now", code)
        ]

    def test_facts_are_read_only(self) -> None:
        """What loads gives cannot be changed behind the value's back."""
        doc = {"schema_version": 1, "checks": [{"id": "X", "outcome": "met"}]}
        facts = wire.loads(json.dumps(doc), Checked).checks[0].facts
        with pytest.raises(TypeError):
            facts["x"] = 1  # type: ignore[index]


class TestDuplicateKeysDeepInside:
    @pytest.mark.parametrize("colon", [":", " : "])
    def test_repeated_key_in_a_long_journal(self, colon: str) -> None:
        """A key given twice inside a list item of a long journal is refused
        with its path, however the colon is spaced."""
        journal = demo_journal()
        session = next(
            i
            for i, e in enumerate(journal)
            if isinstance(e, lowback.SessionLogged) and e.exercises
        )
        text = wire.dumps(journal).replace(":", colon)
        at = text.index(f'"sets"{colon}', text.index(f'"exercises"{colon}'))
        end = text.index(",", at)
        doubled = text[:end] + "," + text[at:end] + text[end:]
        err = _reject(doubled, Journal)
        assert [(p.path, p.code) for p in err.problems] == [
            (f"$[{session}].exercises[0].sets", "duplicate_key")
        ]
