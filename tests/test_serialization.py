"""The wire contract: strict reading, canonical writing, JSON Schema."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lowback
from lowback import (
    Dose,
    FiredRule,
    Intake,
    InvalidInput,
    RedFlag,
    RedFlagAnswers,
    SelfCheckResult,
    Thresholds,
    TriageResult,
    wire,
)
from lowback.wire._base import too_deep as _too_deep
from strategies import (
    clear_intake,
    doses,
    fired_rules,
    intakes,
    json_values,
    red_flag_answers,
    self_check_results,
    thresholds,
    triage_results,
)
from wire_helpers import schema_validator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
INTAKE_TEXT = (FIXTURES / "intake.json").read_text(encoding="utf-8")
TRIAGE_TEXT = (FIXTURES / "triage_result.json").read_text(encoding="utf-8")

#: (strategy, wire type) for every public wire type.
ROUND_TRIPS: list[tuple[st.SearchStrategy[Any], Any]] = [
    (intakes, Intake),
    (red_flag_answers, RedFlagAnswers),
    (self_check_results, SelfCheckResult),
    (triage_results, TriageResult),
    (fired_rules, FiredRule),
    (doses, Dose),
    (thresholds, Thresholds),
]


@attrs.frozen(kw_only=True)
class Dated:
    """A test-only record with a date, to exercise the date rules."""

    date: dt.date
    days: tuple[dt.date, ...] = ()


def _reject(text: str | bytes, tp: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        wire.loads(text, tp)
    return info.value


class TestRoundTrip:
    @pytest.mark.parametrize(("strategy", "tp"), ROUND_TRIPS, ids=lambda x: str(x)[:30])
    def test_loads_inverts_dumps(
        self, strategy: st.SearchStrategy[Any], tp: Any
    ) -> None:
        """Every public value reads back equal from its own JSON."""

        @given(strategy)
        def check(value: Any) -> None:
            assert wire.loads(wire.dumps(value), tp) == value

        check()

    @pytest.mark.parametrize(("strategy", "tp"), ROUND_TRIPS, ids=lambda x: str(x)[:30])
    def test_output_is_canonical(
        self, strategy: st.SearchStrategy[Any], tp: Any
    ) -> None:
        """Writing what was read gives the same bytes: equal values, equal bytes."""

        @given(strategy)
        def check(value: Any) -> None:
            text = wire.dumps(value)
            assert wire.dumps(wire.loads(text, tp)) == text
            assert text.isascii()

        check()

    @given(st.lists(doses, max_size=5).map(tuple))
    def test_tuples_round_trip_as_arrays_and_lines(
        self, values: tuple[Dose, ...]
    ) -> None:
        """A tuple reads back from a JSON array and from JSON Lines."""
        assert wire.loads(wire.dumps(values), tuple[Dose, ...]) == values
        assert wire.loads_jsonl(wire.dumps_jsonl(values), tuple[Dose, ...]) == values

    def test_equal_floats_give_equal_bytes(self) -> None:
        """5, 5.0 and -0.0/0.0 are written alike when they are equal."""
        assert wire.dumps(Dose(hold_seconds=5)) == wire.dumps(Dose(hold_seconds=5.0))
        assert wire.dumps(Dose(rest_seconds=-0.0)) == wire.dumps(Dose(rest_seconds=0.0))

    def test_keys_in_field_order_after_version_and_tag(self) -> None:
        """Documents start with schema_version, then the tag, then attrs field order."""
        intake = wire.loads(INTAKE_TEXT, Intake)
        doc = json.loads(wire.dumps(intake))
        assert list(doc) == ["schema_version", *(f.name for f in attrs.fields(Intake))]
        check = doc["self_checks"][0]
        assert next(iter(check)) == "check"

    def test_top_level_union_document(self) -> None:
        """A single self-check result reads and writes as a tagged document."""
        value = lowback.ForwardBendResult(stopped=lowback.StopReason.DIZZINESS)
        text = wire.dumps(value)
        assert json.loads(text)["check"] == "forward_bend"
        assert wire.loads(text, SelfCheckResult) == value
        assert wire.loads(text, lowback.ForwardBendResult) == value


class TestLazyImport:
    def test_import_lowback_does_not_import_cattrs(self) -> None:
        """`import lowback` stays light: cattrs loads when the wire is first used."""
        code = (
            "import lowback, sys; assert 'cattrs' not in sys.modules; "
            "lowback.triage(lowback.Intake.example()) if hasattr(lowback.Intake, "
            "'example') else None; assert 'cattrs' not in sys.modules; "
            "lowback.loads(lowback.dumps(lowback.Dose()), lowback.Dose); "
            "assert 'cattrs' in sys.modules"
        )
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_facade_serves_the_serialization_names(self) -> None:
        """lowback.dumps, loads, json_schema are the serialization module's."""
        assert lowback.dumps is wire.dumps
        assert lowback.loads is wire.loads
        assert lowback.json_schema is wire.json_schema
        with pytest.raises(AttributeError):
            _ = lowback.no_such_name


class TestArchitectureExamples:
    def test_intake_example_parses(self) -> None:
        """The architecture's Intake example reads, with its unknown answer kept."""
        intake = wire.loads(INTAKE_TEXT, Intake)
        assert intake.age == 44
        assert intake.red_flags == RedFlagAnswers.all_no()
        assert intake.self_checks[1] == lowback.EnduranceHoldResult(
            hold_seconds=6.0,
            shaking_early=lowback.Answer.YES,
            cramped=lowback.Answer.NO,
        )

    def test_intake_output_has_the_example_shape(self) -> None:
        """Our Intake JSON has exactly the example's keys, nested ones too."""
        example = json.loads(INTAKE_TEXT)
        ours = json.loads(wire.dumps(wire.loads(INTAKE_TEXT, Intake)))
        # v2 adds the optional STarT Back screen, written as null when not asked.
        assert ours.pop("start_back") is None
        assert ours.keys() == example.keys()
        assert ours["red_flags"].keys() == example["red_flags"].keys()
        assert ours == example

    def test_triage_result_example_parses(self) -> None:
        """The TriageResult example reads (completed with the fields added since)."""
        result = wire.loads(TRIAGE_TEXT, TriageResult)
        assert result.disposition is lowback.Disposition.SELF_CARE
        assert result.rules[0].id == "SELF"

    def test_triage_result_output_has_the_example_shape(self) -> None:
        """Every key of the example appears in our output with the same value."""
        example = json.loads(TRIAGE_TEXT)
        ours = json.loads(wire.dumps(wire.loads(TRIAGE_TEXT, TriageResult)))
        assert ours == example


# --------------------------------------------------------------------------
# The malformed corpus: (document, type, expected path, expected code)

Case = tuple[str, str | bytes, Any, str, str]
INTAKE = json.loads(INTAKE_TEXT)
TRIAGE = json.loads(TRIAGE_TEXT)
INTAKE_ANSWERS = [
    f.name
    for f in attrs.fields(Intake)
    if f.type in ("Answer", lowback.Answer)  # annotations are strings here
]
INTAKE_REQUIRED = [f.name for f in attrs.fields(Intake) if f.default is attrs.NOTHING]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


def _del(doc: Any, path: tuple[Any, ...]) -> Any:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return doc


def _jp(path: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _intake_cases() -> list[Case]:
    cases: list[Case] = []
    answers = [(name,) for name in INTAKE_ANSWERS] + [
        ("red_flags", f.value) for f in RedFlag
    ]
    for path in answers:
        for label, bad, code in (
            ("null", None, "wrong_type"),
            ("empty", "", "bad_enum"),
            ("false-string", "false", "bad_enum"),
            ("true", True, "wrong_type"),
        ):
            doc = _set(INTAKE, path, bad)
            cases.append(
                (f"{_jp(path)}={label}", json.dumps(doc), Intake, _jp(path), code)
            )
    numbers: list[tuple[tuple[Any, ...], Any, str]] = [
        (("age",), "7", "wrong_type"),
        (("age",), 3.9, "wrong_type"),
        (("age",), 44.0, "wrong_type"),
        (("age",), True, "wrong_type"),
        (("age",), -1, "out_of_range"),
        (("age",), 131, "out_of_range"),
        (("duration_days",), "10", "wrong_type"),
        (("duration_days",), 36_501, "out_of_range"),
        (("duration_days",), 10**30, "out_of_range"),
        (("pain_now",), 11, "out_of_range"),
        (("pain_now",), -1, "out_of_range"),
        (("pain_now",), None, "wrong_type"),
        (("pain_now",), [6], "wrong_type"),
        (("pain_now",), {"v": 6}, "wrong_type"),
        (("pain_worst_24h",), 10.5, "wrong_type"),
        (("pain_worst_24h",), False, "wrong_type"),
        (("self_checks", 1, "hold_seconds"), "6", "wrong_type"),
        (("self_checks", 1, "hold_seconds"), 60.5, "out_of_range"),
        (("self_checks", 1, "hold_seconds"), -0.1, "out_of_range"),
        (("self_checks", 1, "hold_seconds"), True, "wrong_type"),
        (("self_checks", 1, "hold_seconds"), 10**400, "out_of_range"),
        (("onset",), "slow", "bad_enum"),
        (("onset",), "GRADUAL", "bad_enum"),
        (("onset",), 1, "wrong_type"),
        (("pain_side",), "LEFT", "bad_enum"),
        (("pain_side",), "", "bad_enum"),
        (("leg_symptom_side",), 0, "wrong_type"),
        (("pain_regions",), "low_back", "wrong_type"),
        (("pain_regions",), {"0": "low_back"}, "wrong_type"),
        (("pain_regions", 1), "knee", "bad_enum"),
        (("pain_regions", 0), None, "wrong_type"),
        (("pain_regions",), ["low_back"] * 10, "too_long"),
        (("pain_qualities", 0), "stabbing", "bad_enum"),
        (("self_checks",), {}, "wrong_type"),
        (("self_checks",), [INTAKE["self_checks"][0]] * 5, "too_long"),
        (("self_checks", 0), "forward_bend", "wrong_type"),
        (("self_checks", 0, "check"), "forward", "bad_enum"),
        (("self_checks", 0, "check"), None, "wrong_type"),
        (("self_checks", 0, "stopped"), "pain", "bad_enum"),
        (("self_checks", 0, "tighter_side"), "north", "bad_enum"),
        (("self_checks", 0, "knee_bend_eases"), None, "missing"),
        (("self_checks", 1, "cramped"), "", "bad_enum"),
        (("red_flags",), None, "wrong_type"),
        (("red_flags",), [], "wrong_type"),
        (("red_flags",), "no", "wrong_type"),
        (("schema_version",), 2, "bad_version"),
        (("schema_version",), 0, "bad_version"),
        (("schema_version",), "1", "wrong_type"),
        (("schema_version",), 1.0, "wrong_type"),
        (("schema_version",), True, "wrong_type"),
        (("schema_version",), None, "wrong_type"),
        (("extra",), 1, "unknown_key"),
        (("red_flags", "extra_flag"), "no", "unknown_key"),
        (("self_checks", 0, "extra"), "no", "unknown_key"),
        (("self_checks", 1, "one_side_tighter"), "no", "unknown_key"),
    ]
    for path, bad, code in numbers:
        doc = _set(INTAKE, path, bad)
        cases.append(
            (f"{_jp(path)}={bad!r}"[:60], json.dumps(doc), Intake, _jp(path), code)
        )
    missing: list[tuple[Any, ...]] = [
        *((name,) for name in INTAKE_REQUIRED),
        ("red_flags", RedFlag.SADDLE_NUMBNESS.value),
        ("red_flags", RedFlag.CANCER_HISTORY.value),
        ("schema_version",),
        ("self_checks", 0, "check"),
        ("self_checks", 1, "hold_seconds"),
    ]
    cases.extend(
        (
            f"missing-{_jp(path)}",
            json.dumps(_del(INTAKE, path)),
            Intake,
            _jp(path),
            "missing",
        )
        for path in missing
    )
    return cases


def _json_level_cases() -> list[Case]:
    good = json.dumps(INTAKE)
    deep_array = "[" * 100 + "]" * 100
    deep_object = '{"a":' * 100 + "1" + "}" * 100
    return [
        (
            "same-check-twice",
            json.dumps(_set(INTAKE, ("self_checks",), [INTAKE["self_checks"][0]] * 2)),
            Intake,
            "$.self_checks[1].check",
            "duplicate",
        ),
        ("truncated", good[: len(good) // 2], Intake, "$", "bad_json"),
        ("truncated-end", good[:-1], Intake, "$", "bad_json"),
        ("empty-text", "", Intake, "$", "bad_json"),
        ("only-space", "   \n", Intake, "$", "bad_json"),
        ("trailing-garbage", good + "x", Intake, "$", "bad_json"),
        ("two-documents", good + good, Intake, "$", "bad_json"),
        ("single-quotes", "{'schema_version': 1}", Intake, "$", "bad_json"),
        ("trailing-comma", '{"schema_version": 1,}', Intake, "$", "bad_json"),
        ("nan", good.replace('"age": 44', '"age": NaN'), Intake, "$", "bad_number"),
        (
            "infinity",
            good.replace('"age": 44', '"age": Infinity'),
            Intake,
            "$",
            "bad_number",
        ),
        (
            "minus-infinity",
            good.replace('"pain_now": 6', '"pain_now": -Infinity'),
            Intake,
            "$",
            "bad_number",
        ),
        (
            "huge-exponent",
            good.replace('"pain_now": 6', '"pain_now": 1e999'),
            Intake,
            "$.pain_now",
            "wrong_type",
        ),
        (
            "endless-digits",
            good.replace('"age": 44', '"age": ' + "9" * 5000),
            Intake,
            "$",
            "bad_number",
        ),
        ("deep-array", deep_array, Intake, "$", "too_deep"),
        ("deep-unclosed", "[" * 100_000, Intake, "$", "too_deep"),
        ("deep-unclosed-objects", '{"a":' * 50_000, Intake, "$", "too_deep"),
        ("deep-after-shallow", '{"a": 1}' + "[" * 5000, Intake, "$", "too_deep"),
        ("deep-object", deep_object, Intake, "$", "too_deep"),
        (
            "deep-inside-string-is-fine-but-wrong-type",
            json.dumps(_set(INTAKE, ("age",), "[" * 100)),
            Intake,
            "$.age",
            "wrong_type",
        ),
        (
            "deep-in-unknown-key",
            json.dumps(
                _set(INTAKE, ("x",), json.loads(deep_array[:40] + deep_array[-40:]))
            ),
            Intake,
            "$",
            "too_deep",
        ),
        ("too-large", " " * (wire.MAX_DOCUMENT_CHARS + 1), Intake, "$", "too_large"),
        (
            "too-large-bytes",
            b" " * (wire.MAX_DOCUMENT_CHARS + 1),
            Intake,
            "$",
            "too_large",
        ),
        (
            "bad-utf8",
            b'{"schema_version": 1, "age": "\xff"}',
            Intake,
            "$",
            "bad_encoding",
        ),
        ("top-array", "[]", Intake, "$", "wrong_type"),
        ("top-string", '"intake"', Intake, "$", "wrong_type"),
        ("top-null", "null", Intake, "$", "wrong_type"),
        ("top-number", "1", Intake, "$", "wrong_type"),
        ("duplicate-top", good[:-1] + ', "age": 45}', Intake, "$.age", "duplicate_key"),
        (
            "duplicate-nested",
            good.replace(
                '"saddle_numbness": "no"',
                '"saddle_numbness": "no", "saddle_numbness": "yes"',
            ),
            Intake,
            "$.red_flags.saddle_numbness",
            "duplicate_key",
        ),
        (
            "duplicate-version",
            good[:-1] + ', "schema_version": 1}',
            Intake,
            "$.schema_version",
            "duplicate_key",
        ),
        (
            "odd-unknown-key-hidden",
            json.dumps(_set(INTAKE, ("has cancer",), 1)),
            Intake,
            "$.*",
            "unknown_key",
        ),
        (
            "huge-string",
            json.dumps(
                _set(TRIAGE, ("safety_net",), "x" * (wire.MAX_STRING_CHARS + 1))
            ),
            TriageResult,
            "$.safety_net",
            "too_large",
        ),
        (
            "huge-list",
            json.dumps([{"sets": 1}] * (wire.MAX_LIST_LENGTH + 1)),
            tuple[Dose, ...],
            "$",
            "too_large",
        ),
        (
            "journal-item-version",
            json.dumps([{"sets": 1, "schema_version": 2}]),
            tuple[Dose, ...],
            "$[0].schema_version",
            "bad_version",
        ),
        (
            "journal-not-array",
            json.dumps({"sets": 1}),
            tuple[Dose, ...],
            "$",
            "wrong_type",
        ),
        (
            "journal-item-type",
            json.dumps([{"sets": 1}, 3]),
            tuple[Dose, ...],
            "$[1]",
            "wrong_type",
        ),
        (
            "triage-rule-id",
            json.dumps(_set(TRIAGE, ("rules", 0, "id"), 7)),
            TriageResult,
            "$.rules[0].id",
            "wrong_type",
        ),
        (
            "triage-rule-source",
            json.dumps(_set(TRIAGE, ("rules", 0, "sources", 0), "wikipedia")),
            TriageResult,
            "$.rules[0].sources[0]",
            "bad_enum",
        ),
        (
            "triage-entry-stage",
            json.dumps(_set(TRIAGE, ("entry_stage",), "stage_1")),
            TriageResult,
            "$.entry_stage",
            "bad_enum",
        ),
        (
            "triage-unknowns",
            json.dumps(_set(TRIAGE, ("unknown_answers",), [1])),
            TriageResult,
            "$.unknown_answers[0]",
            "wrong_type",
        ),
        (
            "dose-sets-zero",
            '{"schema_version": 1, "sets": 0}',
            Dose,
            "$.sets",
            "out_of_range",
        ),
        (
            "thresholds-unsafe",
            '{"schema_version": 1, "weekly_volume_cap": 0.5}',
            Thresholds,
            "$.weekly_volume_cap",
            "out_of_range",
        ),
        (
            "date-month-13",
            '{"schema_version": 1, "date": "2026-13-01"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-short",
            '{"schema_version": 1, "date": "2026-1-1"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-compact",
            '{"schema_version": 1, "date": "20261101"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-time",
            '{"schema_version": 1, "date": "2026-11-01T00:00"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-week",
            '{"schema_version": 1, "date": "2026-W01-1"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-int",
            '{"schema_version": 1, "date": 20261101}',
            Dated,
            "$.date",
            "wrong_type",
        ),
        (
            "date-feb-30",
            '{"schema_version": 1, "date": "2026-02-30"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-wide-digits",
            '{"schema_version": 1, "date": "\\uff12026-11-01"}',
            Dated,
            "$.date",
            "bad_date",
        ),
        (
            "date-in-list",
            '{"schema_version": 1, "date": "2026-11-01", "days": ["x"]}',
            Dated,
            "$.days[0]",
            "bad_date",
        ),
    ]


MALFORMED = _intake_cases() + _json_level_cases()


class TestMalformed:
    def test_corpus_is_large(self) -> None:
        """The corpus holds at least 100 malformed documents."""
        assert len(MALFORMED) >= 100

    @pytest.mark.parametrize(
        ("text", "tp", "path", "code"),
        [case[1:] for case in MALFORMED],
        ids=[case[0] for case in MALFORMED],
    )
    def test_rejected_with_path_and_code(
        self, text: str | bytes, tp: Any, path: str, code: str
    ) -> None:
        """Each malformed document is an InvalidInput naming the path and reason."""
        err = _reject(text, tp)
        assert (path, code) in {(p.path, p.code) for p in err.problems}, err.problems

    def test_every_problem_is_listed(self) -> None:
        """Several problems in one document are all reported, in one error."""
        doc = _set(
            _set(_del(INTAKE, ("onset",)), ("pain_now",), "6"),
            ("red_flags", "saddle_numbness"),
            None,
        )
        err = _reject(json.dumps(doc), Intake)
        assert set(err.paths) == {
            "$.onset",
            "$.pain_now",
            "$.red_flags.saddle_numbness",
        }

    def test_problem_list_is_bounded(self) -> None:
        """A document with very many problems lists at most MAX_PROBLEMS and says so."""
        text = json.dumps([{"sets": "x"}] * 500)
        err = _reject(text, tuple[Dose, ...])
        assert len(err.problems) == wire.MAX_PROBLEMS + 1
        assert err.problems[-1].code == "too_many_problems"

    def test_jsonl_paths_name_the_line(self) -> None:
        """A bad JSON Lines document names the line's index."""
        with pytest.raises(InvalidInput) as info:
            wire.loads_jsonl('{"sets": 1}\n{"sets": 0}\n{', tuple[Dose, ...])
        assert set(info.value.paths) == {"$[2]"}
        with pytest.raises(InvalidInput) as info:
            wire.loads_jsonl('{"sets": 1}\n{"sets": 0}\n', tuple[Dose, ...])
        assert info.value.paths == ("$[1].sets",)

    def test_unsupported_type_is_a_programming_error(self) -> None:
        """Asking for a type with no wire form is a TypeError, not InvalidInput."""
        with pytest.raises(TypeError):
            wire.loads("{}", dict)


def _outcome(doc: Any, tp: Any) -> Any:
    """The value read from *doc*, or the InvalidInput refusing it."""
    try:
        return wire.loads(json.dumps(doc), tp)
    except InvalidInput as err:
        return err


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """A valid document with one value replaced, one key dropped or one added."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((*path, key))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                paths.append((*path, index))
                walk(value, (*path, index))

    walk(doc, ())
    chosen = st.sampled_from(paths)
    replaced = st.tuples(chosen, json_values).map(lambda pv: _set(doc, pv[0], pv[1]))
    dropped = chosen.map(lambda p: _del(doc, p))
    added = json_values.map(lambda v: {**doc, "zz_extra": v})
    return st.one_of(replaced, dropped, added)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _nest(value: Any, levels: list[bool], key: str) -> Any:
    for as_object in levels:
        value = {key: value} if as_object else [value, "]}"]
    return value


class TestDepthScan:
    @given(
        json_values,
        st.lists(st.booleans(), max_size=wire.MAX_DEPTH + 8),
        st.sampled_from(["k[{", 'k"[{', "k\\[", "k"]),
    )
    def test_depth_scan_matches_the_real_depth(
        self, inner: Any, levels: list[bool], key: str
    ) -> None:
        """The pre-parse scan says too deep exactly when nesting exceeds MAX_DEPTH,
        whatever brackets hide inside strings."""
        value = _nest(inner, levels, key)
        assert _too_deep(json.dumps(value)) == (_depth(value) > wire.MAX_DEPTH)


class TestFuzz:
    @given(json_values)
    def test_any_json_value_gives_a_value_or_invalid_input(self, value: Any) -> None:
        """Arbitrary JSON raises nothing but InvalidInput, for every wire type."""
        text = json.dumps(value)
        for _, tp in ROUND_TRIPS:
            with contextlib.suppress(InvalidInput):
                wire.loads(text, tp)

    @given(st.text(max_size=60))
    def test_any_text_gives_a_value_or_invalid_input(self, text: str) -> None:
        """Arbitrary text raises nothing but InvalidInput."""
        with contextlib.suppress(InvalidInput):
            wire.loads(text, Thresholds)

    @given(_mutations(INTAKE))
    def test_mutated_intakes(self, doc: Any) -> None:
        """A mutated intake is read as a valid Intake or refused with InvalidInput."""
        outcome = _outcome(doc, Intake)
        if isinstance(outcome, InvalidInput):
            assert all(p.path.startswith("$") for p in outcome.problems)
        else:
            assert isinstance(outcome, Intake)

    @given(_mutations(TRIAGE))
    def test_mutated_triage_results(self, doc: Any) -> None:
        """A mutated triage result is read or refused with InvalidInput."""
        with contextlib.suppress(InvalidInput):
            wire.loads(json.dumps(doc), TriageResult)


class _Collect(logging.Handler):
    """A log handler that keeps every record."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


CANARY_TEXT = "CANARY-7f3a-secret"
CANARY_NUMBER = 987654321


class TestNoValueEchoed:
    @given(
        _mutations(INTAKE), st.sampled_from([CANARY_TEXT, CANARY_NUMBER, [CANARY_TEXT]])
    )
    def test_errors_never_contain_input_values(self, doc: Any, canary: Any) -> None:
        """No message, repr, str or log record of a refusal contains an input value."""
        text = json.dumps(doc).replace('"no"', json.dumps(canary), 1)
        handler = _Collect()
        records = handler.records
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            wire.loads(text, Intake)
        except InvalidInput as err:
            rendered = [
                str(err),
                repr(err),
                *map(str, err.problems),
                *map(repr, err.problems),
                *map(str, err.args),
            ]
            for piece in rendered:
                assert CANARY_TEXT not in piece
                assert str(CANARY_NUMBER) not in piece
        finally:
            root.removeHandler(handler)
        assert not any(CANARY_TEXT in r.getMessage() for r in records)

    def test_constructor_errors_are_re_rooted(self) -> None:
        """A model's own InvalidInput comes back under the object's path."""
        doc = _set(INTAKE, ("self_checks", 0, "knee_bend_eases"), None)
        doc = _del(doc, ("self_checks", 0, "knee_bend_eases"))
        err = _reject(json.dumps(doc), Intake)
        assert err.paths == ("$.self_checks[0].knee_bend_eases",)


_validator = schema_validator


#: Corpus cases a JSON Schema can judge: not parse-level, not cross-field.
SCHEMA_JUDGES = [
    c
    for c in MALFORMED
    if isinstance(c[1], str)
    and c[4]
    in {
        "wrong_type",
        "bad_enum",
        "out_of_range",
        "too_long",
        "unknown_key",
        "bad_version",
        "duplicate",
        "missing",
    }
]


class TestJsonSchema:
    @pytest.mark.parametrize(("strategy", "tp"), ROUND_TRIPS, ids=lambda x: str(x)[:30])
    def test_schema_accepts_our_output(
        self, strategy: st.SearchStrategy[Any], tp: Any
    ) -> None:
        """The generated schema is valid draft 2020-12 and accepts every value we write."""
        validator = _validator(tp)

        @given(strategy)
        def check(value: Any) -> None:
            validator.validate(json.loads(wire.dumps(value)))

        check()

    def test_schema_accepts_the_examples(self) -> None:
        """The architecture's Intake and TriageResult examples validate."""
        _validator(Intake).validate(INTAKE)
        _validator(TriageResult).validate(TRIAGE)

    @given(_mutations(INTAKE))
    def test_schema_rejects_what_loads_rejects(self, doc: Any) -> None:
        """The schema accepts a mutated intake exactly when loads does (both ways:
        types, integers, bounds, keys, each self-check once, observations)."""
        outcome = _outcome(doc, Intake)
        assert _validator(Intake).is_valid(doc) == (
            not isinstance(outcome, InvalidInput)
        ), outcome

    @pytest.mark.parametrize(
        ("text", "tp"),
        [c[1:3] for c in SCHEMA_JUDGES],
        ids=[c[0] for c in SCHEMA_JUDGES],
    )
    def test_schema_rejects_the_corpus(self, text: str, tp: Any) -> None:
        """Each malformed document the schema can judge is invalid against it too."""
        assert not _validator(tp).is_valid(json.loads(text))

    def test_required_and_closed(self) -> None:
        """Objects list required keys and allow no others; unions use oneOf on the tag."""
        schema = wire.json_schema(Intake)
        assert schema["additionalProperties"] is False
        assert set(INTAKE_REQUIRED) | {"schema_version"} == set(schema["required"])
        check = schema["$defs"]["ForwardBendResult"]
        assert check["properties"]["check"] == {"const": "forward_bend"}
        assert schema["properties"]["pain_now"] == {
            "type": "integer",
            "minimum": 0,
            "maximum": 10,
        }


@attrs.frozen
class _Visit:
    """An app's own record holding lowback values."""

    patient: str
    intake: lowback.Intake
    events: tuple[lowback.Event, ...]


class TestConverter:
    @given(intakes)
    def test_unstructure_is_the_wire_object(self, intake: lowback.Intake) -> None:
        """Unstructuring gives what dumps writes, without schema_version."""
        expected = json.loads(wire.dumps(intake))
        del expected["schema_version"]
        assert json.loads(json.dumps(wire.converter().unstructure(intake))) == expected

    @given(intakes, triage_results)
    def test_structure_round_trips(
        self, intake: lowback.Intake, result: TriageResult
    ) -> None:
        """Structuring an unstructured lowback value gives it back."""
        conv = wire.converter()
        assert conv.structure(conv.unstructure(intake), lowback.Intake) == intake
        assert conv.structure(conv.unstructure(result), TriageResult) == result

    def test_structuring_is_strict(self) -> None:
        """A string for an int is InvalidInput at the value's path, never coerced."""
        data = wire.converter().unstructure(clear_intake()) | {"pain_now": "7"}
        with pytest.raises(lowback.InvalidInput) as info:
            wire.converter().structure(data, lowback.Intake)
        assert info.value.paths == ("$.pain_now",)

    def test_values_inside_an_app_model(self) -> None:
        """An app's cattrs model with lowback fields round-trips, events by their tag."""
        event = lowback.CheckIn(
            date=dt.date(2026, 11, 3), pain_now=4, morning_pain=4,
            very_tired=lowback.Answer.NO, red_flags=lowback.AskedRedFlags(),
            nerve_features=lowback.AskedNerveFeatures(),
        )  # fmt: skip
        visit = _Visit(patient="p-1", intake=clear_intake(), events=(event,))
        conv = wire.converter()
        data = conv.unstructure(visit)
        assert data["events"][0]["type"] == "check_in"
        assert conv.structure(data, _Visit) == visit

    def test_an_error_inside_an_app_model_is_lowbacks(self) -> None:
        """cattrs reports lowback's InvalidInput for the nested field."""
        conv = wire.converter()
        data = conv.unstructure(_Visit(patient="p", intake=clear_intake(), events=()))
        data["intake"]["red_flags"]["saddle_numbness"] = None
        with pytest.raises(ExceptionGroup) as info:
            conv.structure(data, _Visit)
        nested = [
            e for e in info.value.exceptions if isinstance(e, lowback.InvalidInput)
        ]
        assert nested[0].paths == ("$.red_flags.saddle_numbness",)
