"""Outcome answers and scores on the wire, and ``lowback score`` (clinical-spec 6.1)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowback import wire
from lowback.catalog.outcomes import (
    ANSWER_TYPES,
    Measure,
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
)
from lowback.engine.outcomes import ScoreReport, score
from lowback.errors import InvalidInput
from strategies import (
    nprs_answers,
    odi_answers,
    outcome_answers,
    peg_answers,
    psfs_answers,
    rmdq_answers,
    start_back_answers,
)

ROUND_TRIPS: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (nprs_answers, NprsAnswers),
    (odi_answers, OdiAnswers),
    (rmdq_answers, RmdqAnswers),
    (psfs_answers, PsfsAnswers),
    (peg_answers, PegAnswers),
    (start_back_answers, StartBackAnswers),
    (outcome_answers.map(lambda a: ScoreReport.of(score(a))), ScoreReport),
]

ODI = {
    "schema_version": 1,
    "pain_intensity": 3,
    "personal_care": 1,
    "lifting": 3,
    "walking": 2,
    "sitting": 2,
    "standing": 2,
    "sleeping": 1,
    "sex_life": None,
    "social_life": 2,
    "travelling": 2,
}
START_BACK_HIGH = {
    "schema_version": 1,
    "referred_leg_pain": "yes",
    "neck_or_shoulder_pain": "no",
    "walks_short_distances_only": "yes",
    "dresses_slowly": "yes",
    "fear": "yes",
    "anxiety": "yes",
    "catastrophising": "yes",
    "low_mood": "no",
    "bothersomeness": 3,
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m lowback ARGS`` and capture everything."""
    return subprocess.run(
        [sys.executable, "-m", "lowback", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def _reject(doc: Any, tp: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        wire.loads(json.dumps(doc), tp)
    return info.value


class TestWire:
    def test_new_types_are_registered(self) -> None:
        """Every answer record and the score report are public wire types."""
        for tp in (*ANSWER_TYPES.values(), ScoreReport):
            assert wire.WIRE_TYPES[tp.__name__] is tp

    @pytest.mark.parametrize(("strategy", "tp"), ROUND_TRIPS, ids=lambda x: str(x)[:30])
    def test_round_trip_and_schema(
        self, strategy: st.SearchStrategy[Any], tp: Any
    ) -> None:
        """Every value reads back equal from its JSON, which its schema accepts."""
        schema = wire.json_schema(tp)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)

        @given(strategy)
        def check(value: Any) -> None:
            text = wire.dumps(value)
            assert wire.loads(text, tp) == value
            validator.validate(json.loads(text))

        check()

    def test_exact_score_survives_json(self) -> None:
        """The report's score string reads back as the exact fraction."""
        report = ScoreReport.of(score(wire.loads(json.dumps(ODI), OdiAnswers)))
        assert Fraction(report.score or "") == 40
        thirteen = {**ODI, "pain_intensity": 2, "lifting": 2, "walking": 1,
                    "standing": 1, "social_life": 1}  # fmt: skip
        text = wire.dumps(
            ScoreReport.of(score(wire.loads(json.dumps(thirteen), OdiAnswers)))
        )
        loaded = json.loads(text)
        assert Fraction(loaded["score"]) == Fraction(1300, 45)  # 13 of 45
        assert loaded["display"] == "28.9"

    @pytest.mark.parametrize(
        ("doc", "tp", "path", "code"),
        [
            (
                {"schema_version": 1, "score": 11},
                NprsAnswers,
                "$.score",
                "out_of_range",
            ),
            ({"schema_version": 1, "score": "6"}, NprsAnswers, "$.score", "wrong_type"),
            ({**ODI, "sitting": 6}, OdiAnswers, "$.sitting", "out_of_range"),
            ({**ODI, "walking_aid": 1}, OdiAnswers, "$.walking_aid", "unknown_key"),
            (
                {k: v for k, v in ODI.items() if k != "sex_life"},
                OdiAnswers,
                "$.sex_life",
                "missing",
            ),
            (
                {"schema_version": 1, "ticked": [1, 25]},
                RmdqAnswers,
                "$.ticked[1]",
                "out_of_range",
            ),
            (
                {"schema_version": 1, "ticked": [4, 4]},
                RmdqAnswers,
                "$.ticked[1]",
                "duplicate",
            ),
            ({"schema_version": 1}, RmdqAnswers, "$.ticked", "missing"),
            (
                {
                    "schema_version": 1,
                    "activities": [{"activity": "stairs", "score": 12}],
                },
                PsfsAnswers,
                "$.activities[0].score",
                "out_of_range",
            ),
            (
                {"schema_version": 1, "activities": []},
                PsfsAnswers,
                "$.activities",
                "too_short",
            ),
            (
                {"schema_version": 1, "pain": 4, "enjoyment": 4},
                PegAnswers,
                "$.general_activity",
                "missing",
            ),
            (
                {**START_BACK_HIGH, "fear": "agree"},
                StartBackAnswers,
                "$.fear",
                "bad_enum",
            ),
            (
                {**START_BACK_HIGH, "bothersomeness": 5},
                StartBackAnswers,
                "$.bothersomeness",
                "out_of_range",
            ),
        ],
    )
    def test_bad_input_has_paths(self, doc: Any, tp: Any, path: str, code: str) -> None:
        """Out-of-range items, unknown and missing keys are refused with their paths."""
        err = _reject(doc, tp)
        assert (path, code) in [(p.path, p.code) for p in err.problems]

    def test_errors_never_echo_activity_keys(self) -> None:
        """A refused PSFS record does not repeat the person's activity keys."""
        doc = {"schema_version": 1, "activities": [
            {"activity": "dancing-at-weddings", "score": 3},
            {"activity": "dancing-at-weddings", "score": 4},
        ]}  # fmt: skip
        err = _reject(doc, PsfsAnswers)
        assert "dancing" not in str(err)
        assert err.paths == ("$.activities[1].activity",)


class TestScoreCommand:
    def test_text(self) -> None:
        """`lowback score odi` prints the score, the missing section and the rule."""
        done = run("score", "odi", "-", stdin=json.dumps(ODI))
        assert done.returncode == 0, done.stderr
        # 3+1+3+2+2+2+1+2+2 = 18 of 45 -> 40 %
        assert "Score:    40" in done.stdout
        assert "sex_life" in done.stdout
        assert "OM-ODI" in done.stdout

    def test_json_start_back(self) -> None:
        """`--json` writes measure, score, missing, risk, subscore and rules."""
        done = run(
            "score", "start_back", "--json", "-", stdin=json.dumps(START_BACK_HIGH)
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        # agreed: items 1, 3, 4, 5, 6, 7 + bothersomeness 3 -> total 7;
        # subscore fear + anxiety + catastrophising + bothersomeness = 4 -> high
        assert report["measure"] == "start_back"
        assert report["score"] == "7"
        assert report["subscore"] == 4
        assert report["risk"] == "high"
        assert report["missing"] == []
        assert [r["id"] for r in report["rules"]] == ["OM-SBST"]
        assert wire.loads(done.stdout, ScoreReport).risk is not None

    def test_json_not_scored(self) -> None:
        """A half-answered STarT Back has a null score and risk, and names what is missing."""
        half = {**START_BACK_HIGH, "anxiety": "unknown", "bothersomeness": None}
        done = run("score", "start_back", "--json", "-", stdin=json.dumps(half))
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["score"] is None
        assert report["risk"] is None
        assert report["missing"] == ["anxiety", "bothersomeness"]
        text = run("score", "start_back", "-", stdin=json.dumps(half)).stdout
        assert "not scored" in text

    def test_invalid_input_exits_3(self) -> None:
        """Bad answers exit 3 with the path on stderr, nothing on stdout, no value echoed."""
        done = run("score", "psfs", "-", stdin=json.dumps(
            {"schema_version": 1, "activities": [{"activity": "secret-hobby", "score": 14}]}
        ))  # fmt: skip
        assert done.returncode == 3
        assert done.stdout == ""
        assert "$.activities[0].score" in done.stderr
        assert "secret-hobby" not in done.stderr
        assert "14" not in done.stderr

    def test_unknown_measure_is_bad_usage(self) -> None:
        """A measure lowback does not know exits 2."""
        assert run("score", "promis", "-", stdin="{}").returncode == 2

    @pytest.mark.parametrize("measure", [m.value for m in Measure])
    def test_schema_command_knows_each_answer_record(self, measure: str) -> None:
        """`lowback schema` prints the schema of each measure's answers."""
        name = ANSWER_TYPES[Measure(measure)].__name__
        done = run("schema", name)
        assert done.returncode == 0
        assert json.loads(done.stdout)["title"] == name


@attrs.frozen(kw_only=True)
class _Left:
    """A test-only record for the keyed union."""

    left: int


@attrs.frozen(kw_only=True)
class _Right:
    """A test-only record for the keyed union."""

    right: int
    extra: int = 0


class TestKeyedUnion:
    def test_members_are_told_apart_by_their_keys(self) -> None:
        """An untagged union of records with their own keys reads each by its keys."""
        tp = tuple[_Left | _Right, ...]
        assert wire.loads('[{"left": 1}, {"right": 2}]', tp) == (
            _Left(left=1),
            _Right(right=2),
        )

    def test_problems_come_from_the_closest_member(self) -> None:
        """A record with a wrong key is read as the member it most resembles."""
        with pytest.raises(InvalidInput) as err:
            wire.loads('[{"right": 2, "extre": 1}]', tuple[_Left | _Right, ...])
        assert err.value.paths == ("$[0].extre",)
        with pytest.raises(InvalidInput) as err:
            wire.loads("[{}]", tuple[_Left | _Right, ...])
        assert [(p.path, p.code) for p in err.value.problems] == [("$[0]", "invalid")]

    def test_schema_is_one_of_the_members(self) -> None:
        """JSON Schema describes the union as oneOf its closed members."""
        schema = wire.json_schema(tuple[_Left | _Right, ...])
        validator = jsonschema.Draft202012Validator(schema)
        assert validator.is_valid([{"left": 1}, {"right": 2, "extra": 3}])
        assert not validator.is_valid([{"left": 1, "right": 2}])
