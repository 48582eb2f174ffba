"""The wire contract for journals: events, sparse answers, replay output."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lowback
from lowback import (
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    InvalidInput,
    Journal,
    wire,
)
from strategies import (
    asked_nerve_features,
    asked_red_flags,
    check_ins,
    clinician_clearances,
    clinician_overrides,
    event_dates,
    exercises_done,
    intakes,
    journals,
    plan_events,
    self_check_records,
    session_logs,
)
from wire_helpers import schema_validator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
JOURNAL_TEXT = (FIXTURES / "journal.json").read_text(encoding="utf-8")
JOURNAL = json.loads(JOURNAL_TEXT)

EVENTS: list[tuple[st.SearchStrategy[Any], Any]] = [
    (plan_events(), lowback.Event),
    (
        st.builds(lowback.PlanStarted, date=event_dates, intake=intakes),
        lowback.PlanStarted,
    ),
    (session_logs(), lowback.SessionLogged),
    (check_ins(), CheckIn),
    (self_check_records(), lowback.SelfCheckRecorded),
    (clinician_clearances(), lowback.ClinicianCleared),
    (clinician_overrides(), lowback.ClinicianOverride),
    (exercises_done, lowback.ExerciseDone),
    (asked_red_flags, AskedRedFlags),
    (asked_nerve_features, AskedNerveFeatures),
]
#: Journals are slow to draw; the health check for that is not the point here.
#: The profile's own suppressions stay (the ``mutmut`` profile suppresses all).
#: These are properties of the wire format, no safety invariant of
#: clinical-spec.md, and each example costs a generated journal and its
#: replay: at most 200 examples even in the ci profile.
slow = settings(
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.too_slow],
    deadline=None,
    max_examples=min(200, settings().max_examples),
)


def _replayed(journal: Journal) -> wire.ReplayOutput | None:
    try:
        state, decisions = lowback.replay(journal)
    except InvalidInput:
        return None
    return wire.ReplayOutput(state=state, decisions=decisions)


class TestRoundTrip:
    @pytest.mark.parametrize(("strategy", "tp"), EVENTS, ids=lambda x: str(x)[-30:])
    def test_each_event_round_trips(
        self, strategy: st.SearchStrategy[Any], tp: Any
    ) -> None:
        """Every event reads back equal, alone and as a member of the Event union."""

        @given(strategy)
        def check(value: Any) -> None:
            text = wire.dumps(value)
            assert wire.loads(text, tp) == value
            assert wire.dumps(wire.loads(text, tp)) == text
            if tp in lowback.catalog.events.EVENT_TYPES:
                assert wire.loads(text, lowback.Event) == value

        check()

    @slow
    @given(journals(max_events=12))
    def test_journals_round_trip_as_array_and_lines(self, journal: Journal) -> None:
        """A journal reads back equal from a JSON array and from JSON Lines."""
        assert wire.loads(wire.dumps(journal), Journal) == journal
        assert wire.loads_jsonl(wire.dumps_jsonl(journal), Journal) == journal

    @slow
    @given(journals(max_events=12))
    def test_replay_output_round_trips(self, journal: Journal) -> None:
        """State, decisions and prescription read back equal and byte-identical."""
        report = _replayed(journal)
        if report is None:
            return
        text = wire.dumps(report)
        assert wire.loads(text, wire.ReplayOutput) == report
        assert wire.dumps(wire.loads(text, wire.ReplayOutput)) == text
        today = lowback.prescription(report.state)
        assert wire.loads(wire.dumps(today), lowback.Prescription) == today


class TestSparseAnswers:
    def test_not_asked_is_left_out(self) -> None:
        """Questions not asked are absent from the output, not null."""
        doc = json.loads(wire.dumps(AskedRedFlags(fever_or_unwell=Answer.NO)))
        assert doc == {"schema_version": 1, "fever_or_unwell": "no"}

    def test_missing_key_means_not_asked(self) -> None:
        """A missing key reads as not asked (None)."""
        asked = wire.loads('{"schema_version": 1}', AskedNerveFeatures)
        assert asked == AskedNerveFeatures()

    @pytest.mark.parametrize("bad", ["null", '""', '"false"', "false", "0"])
    def test_explicit_null_or_non_answer_is_refused(self, bad: str) -> None:
        """An explicit null (or any non-answer) is refused at its path."""
        event = dict(JOURNAL[2], red_flags={"fever_or_unwell": json.loads(bad)})
        with pytest.raises(InvalidInput) as info:
            wire.loads(json.dumps([JOURNAL[0], event]), Journal)
        assert "$[1].red_flags.fever_or_unwell" in info.value.paths

    def test_schema_forbids_null_for_sparse_keys(self) -> None:
        """The schema of a sparse record allows absence but not null."""
        schema = wire.json_schema(AskedRedFlags)
        validator = jsonschema.Draft202012Validator(schema)
        assert validator.is_valid({"schema_version": 1})
        assert not validator.is_valid({"schema_version": 1, "cancer_history": None})

    @pytest.mark.parametrize(
        ("tp", "field", "limit"),
        [
            (lowback.ClinicianCleared, "clinician", 200),
            (lowback.ClinicianCleared, "note", 2000),
            (lowback.ClinicianOverride, "clinician", 200),
            (lowback.ClinicianOverride, "reason", 200),
        ],
    )
    def test_schema_bounds_free_text_as_loads_does(
        self, tp: Any, field: str, limit: int
    ) -> None:
        """A clinician's free text of the most characters allowed is valid for the
        schema and for loads; one character more is refused by both."""
        schema = wire.json_schema(tp)
        validator = jsonschema.Draft202012Validator(schema)
        doc = {
            "schema_version": 1,
            "type": tp.type.value,
            "date": "2026-11-02",
            "clinician": "c-1",
            "stage": "calm_and_unload",
            "resume_stage": "calm_and_unload",
            "note": "",
            "reason": "r",
        }
        doc = {k: v for k, v in doc.items() if k in schema["properties"]}
        doc[field] = "x" * limit
        assert validator.is_valid(doc)
        assert getattr(wire.loads(json.dumps(doc), tp), field) == doc[field]
        doc[field] += "x"
        assert not validator.is_valid(doc)
        with pytest.raises(InvalidInput) as caught:
            wire.loads(json.dumps(doc), tp)
        assert [(p.path, p.code) for p in caught.value.problems] == [
            (f"$.{field}", "too_long")
        ]


class TestArchitectureExamples:
    def test_event_examples_parse_as_a_journal(self) -> None:
        """The architecture's event examples (placeholders filled) read as a Journal."""
        journal = wire.loads(JOURNAL_TEXT, Journal)
        assert [e.type.value for e in journal] == [e["type"] for e in JOURNAL]
        assert journal[2] == CheckIn(
            date=journal[2].date,
            pain_now=4,
            morning_pain=4,
            very_tired=Answer.NO,
            red_flags=AskedRedFlags(fever_or_unwell=Answer.NO),
            nerve_features=AskedNerveFeatures(leg_pain_below_knee=Answer.NO),
        )

    def test_our_journal_output_has_the_example_shape(self) -> None:
        """Our journal JSON equals the example: same keys, order-free, same values."""
        ours = json.loads(wire.dumps(wire.loads(JOURNAL_TEXT, Journal)))
        # v2 adds the Intake's optional STarT Back screen, written as null,
        # and PR-ACK's optional ``acknowledged`` to clinician_cleared.
        assert ours[0]["intake"].pop("start_back") is None
        v2 = [
            {**e, "acknowledged": []} if e["type"] == "clinician_cleared" else e
            for e in JOURNAL
        ]
        assert ours == v2

    def test_each_example_line_is_valid_json_lines(self) -> None:
        """The examples, one per line, read as JSON Lines too."""
        lines = "\n".join(json.dumps(e) for e in JOURNAL)
        assert wire.loads_jsonl(lines, Journal) == wire.loads(JOURNAL_TEXT, Journal)

    def test_a_line_written_by_dumps_is_a_journal_line(self) -> None:
        """Each line may carry schema_version 1, as dumps(event) writes it."""
        journal = wire.loads(JOURNAL_TEXT, Journal)
        lines = "".join(wire.dumps(e) + "\n" for e in journal)
        assert wire.loads_jsonl(lines, Journal) == journal

    def test_replay_output_has_the_example_shape(self) -> None:
        """Replay output has the example's keys: state stage/status, decision fields."""
        report = _replayed(wire.loads(JOURNAL_TEXT, Journal))
        assert report is not None
        doc = json.loads(wire.dumps(report))
        assert list(doc) == ["schema_version", "state", "decisions"]
        assert {"stage", "status"} <= doc["state"].keys()
        for decision in doc["decisions"]:
            assert {
                "date",
                "action",
                "from_stage",
                "to_stage",
                "rules",
            } <= decision.keys()
            assert all(rule.keys() == {"id", "sources"} for rule in decision["rules"])


def _with(index: int, key: str, value: Any) -> str:
    doc = copy.deepcopy(JOURNAL)
    doc[index][key] = value
    return json.dumps(doc)


def _without(index: int, key: str) -> str:
    doc = copy.deepcopy(JOURNAL)
    del doc[index][key]
    return json.dumps(doc)


MALFORMED: list[tuple[str, str, str, str]] = [
    ("date-slashes", _with(1, "date", "2026/11/02"), "$[1].date", "bad_date"),
    ("date-day-32", _with(1, "date", "2026-11-32"), "$[1].date", "bad_date"),
    (
        "date-with-time",
        _with(3, "date", "2026-11-05T10:00:00"),
        "$[3].date",
        "bad_date",
    ),
    ("date-number", _with(3, "date", 20261105), "$[3].date", "wrong_type"),
    ("date-null", _with(3, "date", None), "$[3].date", "wrong_type"),
    ("date-missing", _without(3, "date"), "$[3].date", "missing"),
    ("type-unknown", _with(2, "type", "check_out"), "$[2].type", "bad_enum"),
    ("type-missing", _without(2, "type"), "$[2].type", "missing"),
    ("type-number", _with(2, "type", 3), "$[2].type", "wrong_type"),
    ("type-other-event", _with(3, "type", "check_in"), "$[3].results", "unknown_key"),
    ("pain-string", _with(1, "pain_before", "5"), "$[1].pain_before", "wrong_type"),
    ("pain-11", _with(2, "pain_now", 11), "$[2].pain_now", "out_of_range"),
    ("completed-string", _with(1, "completed", "true"), "$[1].completed", "wrong_type"),
    ("completed-int", _with(1, "completed", 1), "$[1].completed", "wrong_type"),
    (
        "new-symptom-bad",
        _with(1, "new_symptoms", ["back_pain"]),
        "$[1].new_symptoms[0]",
        "bad_enum",
    ),
    (
        "exercise-bad",
        _with(1, "exercises", [{"exercise": "yoga", "sets": 1, "reps": 1}]),
        "$[1].exercises[0].exercise",
        "bad_enum",
    ),
    (
        "exercise-sets-string",
        _with(1, "exercises", [{"exercise": "pelvic_tilt", "sets": "1", "reps": 1}]),
        "$[1].exercises[0].sets",
        "wrong_type",
    ),
    (
        "exercise-extra",
        _with(
            1,
            "exercises",
            [{"exercise": "pelvic_tilt", "sets": 1, "reps": 1, "rpe": 3}],
        ),
        "$[1].exercises[0].rpe",
        "unknown_key",
    ),
    ("tired-null", _with(2, "very_tired", None), "$[2].very_tired", "wrong_type"),
    (
        "sparse-null",
        _with(2, "nerve_features", {"leg_pain_below_knee": None}),
        "$[2].nerve_features.leg_pain_below_knee",
        "wrong_type",
    ),
    (
        "sparse-unknown-question",
        _with(2, "red_flags", {"headache": "no"}),
        "$[2].red_flags.headache",
        "unknown_key",
    ),
    ("note-too-long", _with(4, "note", "x" * 2001), "$[4].note", "too_long"),
    (
        "note-too-large",
        _with(4, "note", "x" * (wire.MAX_STRING_CHARS + 1)),
        "$[4].note",
        "too_large",
    ),
    ("stage-bad", _with(5, "stage", "stage_2"), "$[5].stage", "bad_enum"),
    (
        "version-2-in-journal",
        _with(0, "schema_version", 2),
        "$[0].schema_version",
        "bad_version",
    ),
    (
        "nested-intake-other-version",
        json.dumps(
            [dict(JOURNAL[0], intake=dict(JOURNAL[0]["intake"], schema_version=2))]
        ),
        "$[0].intake.schema_version",
        "bad_version",
    ),
    (
        "nested-intake-version-as-float",
        json.dumps(
            [dict(JOURNAL[0], intake=dict(JOURNAL[0]["intake"], schema_version=1.0))]
        ),
        "$[0].intake.schema_version",
        "wrong_type",
    ),
    ("intake-null", _with(0, "intake", None), "$[0].intake", "wrong_type"),
    (
        "intake-bad-flag",
        json.dumps([dict(JOURNAL[0], intake=dict(JOURNAL[0]["intake"], red_flags={}))]),
        "$[0].intake.red_flags.saddle_numbness",
        "missing",
    ),
    ("results-not-list", _with(3, "results", {}), "$[3].results", "wrong_type"),
    ("journal-object", json.dumps(JOURNAL[0]), "$", "wrong_type"),
]


class TestMalformedJournals:
    @pytest.mark.parametrize(
        ("text", "path", "code"),
        [c[1:] for c in MALFORMED],
        ids=[c[0] for c in MALFORMED],
    )
    def test_refused_with_path(self, text: str, path: str, code: str) -> None:
        """Each malformed journal is an InvalidInput naming the path and reason."""
        with pytest.raises(InvalidInput) as info:
            wire.loads(text, Journal)
        assert (path, code) in {(p.path, p.code) for p in info.value.problems}

    def test_jsonl_paths_name_the_line(self) -> None:
        """In JSON Lines the path's index is the line's event index."""
        lines = [json.dumps(e) for e in JOURNAL]
        lines[3] = lines[3].replace("2026-11-05", "05/11/2026")
        with pytest.raises(InvalidInput) as info:
            wire.loads_jsonl("\n".join(lines), Journal)
        assert info.value.paths == ("$[3].date",)

    @given(st.integers(0, len(JOURNAL) - 1), st.data())
    def test_mutated_journals_give_only_invalid_input(
        self, index: int, data: st.DataObject
    ) -> None:
        """Replacing any event field with any JSON value never raises anything else."""
        key = data.draw(st.sampled_from(sorted(JOURNAL[index])))
        value = data.draw(
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                lambda c: st.lists(c, max_size=3),
                max_leaves=5,
            )
        )
        problems: tuple[Any, ...] = ()
        try:
            wire.loads(_with(index, key, value), Journal)
        except InvalidInput as err:
            problems = err.problems
        assert all(p.path.startswith("$[") for p in problems)


class TestSchemas:
    @slow
    @given(journals(max_events=8))
    def test_journal_and_replay_schemas_accept_our_output(
        self, journal: Journal
    ) -> None:
        """The Journal and ReplayOutput schemas accept what we write."""
        schema_validator(Journal).validate(json.loads(wire.dumps(journal)))
        report = _replayed(journal)
        if report is not None:
            schema_validator(wire.ReplayOutput).validate(json.loads(wire.dumps(report)))

    def test_journal_schema_accepts_the_examples_and_rejects_the_corpus(self) -> None:
        """The examples validate; corpus entries a schema can judge do not."""
        validator = schema_validator(Journal)
        assert validator.is_valid(JOURNAL)
        judged = {
            "wrong_type",
            "bad_enum",
            "out_of_range",
            "unknown_key",
            "bad_version",
            "too_large",
            "missing",
        }
        for name, text, _, code in MALFORMED:
            if code in judged and name != "date-null":
                assert not validator.is_valid(json.loads(text)), name


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m lowback ARGS`` and capture everything."""
    return subprocess.run(
        [sys.executable, "-m", "lowback", *args],
        input=stdin, capture_output=True, text=True, check=False,
    )  # fmt: skip


class TestReplayCommand:
    def test_array_file_as_text(self) -> None:
        """`lowback replay FILE` tells each decision with its rule IDs."""
        done = run("replay", str(FIXTURES / "journal.json"))
        assert done.returncode == 0
        _, decisions = lowback.replay(wire.loads(JOURNAL_TEXT, Journal))
        for decision in decisions:
            assert all(rule.id in done.stdout for rule in decision.rules)
        assert done.stdout.rstrip().splitlines()[-1].startswith("Now: restore_mobility")

    def test_json_lines_from_stdin_as_json(self) -> None:
        """`lowback replay - --json` reads JSON Lines and writes the replay document."""
        lines = "\n".join(json.dumps(e) for e in JOURNAL)
        done = run("replay", "-", "--json", stdin=lines)
        assert done.returncode == 0
        report = wire.loads(done.stdout, wire.ReplayOutput)
        assert report == _replayed(wire.loads(JOURNAL_TEXT, Journal))

    def test_events_out_of_order_exit_3(self) -> None:
        """A journal the engine refuses exits 3 with the path, nothing on stdout."""
        doc = copy.deepcopy(JOURNAL)
        doc[2]["date"] = "2026-10-01"
        done = run("replay", "-", stdin=json.dumps(doc))
        assert done.returncode == 3
        assert done.stdout == ""
        assert "$[2].date" in done.stderr


class TestDemoCommand:
    def test_demo_narrates_progress_a_flare_and_recovery(self) -> None:
        """`lowback demo` exits 0 and shows advances, a regression and the rules why."""
        done = run("demo")
        assert done.returncode == 0
        for needle in (
            "START",
            "ADVANCE",
            "REGRESS",
            "PR-SPIKE",
            "PR-GATE-1",
            "EN-CALM",
        ):
            assert needle in done.stdout
        assert lowback.RULES["PR-SPIKE"].summary in done.stdout

    def test_demo_journal_replays_through_the_cli(self) -> None:
        """`lowback demo --json` writes a journal that `lowback replay -` accepts."""
        journal = run("demo", "--json").stdout
        done = run("replay", "-", "--json", stdin=journal)
        assert done.returncode == 0
        report = wire.loads(done.stdout, wire.ReplayOutput)
        assert report.state.stage is lowback.Stage.STRENGTHEN_AND_COORDINATE
        assert any(d.action is lowback.Action.REGRESS for d in report.decisions)
