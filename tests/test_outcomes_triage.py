"""RT-STARTBACK: the STarT Back screen in triage (clinical-spec 6.2), and invariant 19."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given

from lowback import (
    Answer,
    Disposition,
    Intake,
    RedFlagAnswers,
    SelfCheckFinding,
    StartBackAnswers,
    Thresholds,
    TriageResult,
    triage,
    wire,
)
from lowback.catalog.dispositions import urgency_rank
from lowback.catalog.outcomes import INSTRUMENTS, Measure
from lowback.catalog.rules import RT_STARTBACK
from lowback.errors import InvalidInput
from strategies import clear_intake, intakes, start_back_answers, thresholds

Y, N, U = Answer.YES, Answer.NO, Answer.UNKNOWN
ITEMS = INSTRUMENTS[Measure.START_BACK].items
INTAKE = Path(__file__).resolve().parent / "fixtures" / "wire" / "intake.json"


def sbst(items: str, bothersomeness: int | None) -> StartBackAnswers:
    """STarT Back answers: *items* spells items 1-8 as Y, N or U (not answered)."""
    spelled = {"Y": Y, "N": N, "U": U}
    answers = dict(zip(ITEMS[:8], (spelled[c] for c in items), strict=True))
    return StartBackAnswers(**answers, bothersomeness=bothersomeness)


#: total 7, psychosocial subscore 4 (fear, anxiety, catastrophising, bother 3): high
HIGH = sbst("YNYYYYYN", 3)
#: total 4, subscore 0: medium
MEDIUM = sbst("YYYYNNNN", 1)
#: total 3, subscore 1: low
LOW = sbst("YYNNYNNN", 2)


def ids(result: TriageResult) -> list[str]:
    return [rule.id for rule in result.rules]


def without_checks(result: TriageResult) -> TriageResult:
    """*result* with no checks, to compare everything else."""
    return attrs.evolve(result, checks=())


def start_back_check(result: TriageResult) -> tuple[str, dict[str, object]]:
    """The RT-STARTBACK check's outcome and facts."""
    (check,) = [c for c in result.checks if c.id == RT_STARTBACK]
    return check.outcome.value, dict(check.facts)


def caution(result: TriageResult) -> tuple[int, int, bool]:
    """How cautious the entry is (larger: more); "no plan" is the most cautious."""
    if result.entry_stage is None:
        return (1, 0, True)
    return (
        0,
        -result.entry_stage.number,
        result.plan_status is not None and result.plan_status.value == "paused",
    )


class TestStartBackTriage:
    def test_high_risk_is_physio_with_psychosocial_finding(self) -> None:
        """A high-risk screen on a clear intake: physio_referral, psychosocial_risk."""
        result = triage(clear_intake(start_back=HIGH))
        assert result.disposition is Disposition.PHYSIO_REFERRAL
        assert SelfCheckFinding.PSYCHOSOCIAL_RISK in result.findings
        assert "RT-STARTBACK" in ids(result)
        assert "SELF" not in ids(result)
        assert result.entry_stage == triage(clear_intake()).entry_stage

    def test_medium_risk_is_physio_without_the_finding(self) -> None:
        """A medium-risk screen refers to a physiotherapist; no psychosocial finding."""
        result = triage(clear_intake(start_back=MEDIUM))
        assert result.disposition is Disposition.PHYSIO_REFERRAL
        assert SelfCheckFinding.PSYCHOSOCIAL_RISK not in result.findings
        assert "RT-STARTBACK" in ids(result)

    def test_low_risk_changes_nothing(self) -> None:
        """A low-risk screen leaves the result as it was without one, but for the
        facts RT-STARTBACK reports having compared."""
        result = triage(clear_intake(start_back=LOW))
        assert without_checks(result) == without_checks(triage(clear_intake()))
        assert start_back_check(result) == (
            "unmet",
            {"start_back_risk": "low", "start_back_total": 3, "start_back_subscore": 1},
        )

    def test_no_screen_is_unmet_with_null_facts(self) -> None:
        """Without a screen, RT-STARTBACK is evaluated and unmet, its facts null."""
        assert start_back_check(triage(clear_intake())) == (
            "unmet",
            {
                "start_back_risk": None,
                "start_back_total": None,
                "start_back_subscore": None,
            },
        )

    def test_high_risk_check_reports_what_it_compared(self) -> None:
        """The fired RT-STARTBACK check carries the risk, total and subscore."""
        assert start_back_check(triage(clear_intake(start_back=HIGH))) == (
            "fired",
            {
                "start_back_risk": "high",
                "start_back_total": 7,
                "start_back_subscore": 4,
            },
        )

    def test_half_answered_low_changes_nothing_but_lists_the_gaps(self) -> None:
        """Items not answered are listed; nothing else changes (spec 6.2)."""
        half = sbst("YNNNUNNN", None)
        result = triage(clear_intake(start_back=half))
        plain = triage(clear_intake())
        assert result.unknown_answers == (
            *plain.unknown_answers,
            "$.start_back.fear",
            "$.start_back.bothersomeness",
        )
        same = attrs.evolve(result, unknown_answers=plain.unknown_answers)
        assert without_checks(same) == without_checks(plain)
        # The answered items prove only a total of 1, subscore 0: low.
        assert start_back_check(result) == (
            "unmet",
            {"start_back_risk": "low", "start_back_total": 1, "start_back_subscore": 0},
        )

    def test_half_answered_that_proves_high_still_refers(self) -> None:
        """Safer reading: four psychosocial items agreed prove high risk, whatever
        the unanswered items say, so an incomplete screen still refers."""
        proven = sbst("UUUUYYYY", None)
        result = triage(clear_intake(start_back=proven))
        assert result.disposition is Disposition.PHYSIO_REFERRAL
        assert SelfCheckFinding.PSYCHOSOCIAL_RISK in result.findings
        assert "$.start_back.referred_leg_pain" in result.unknown_answers

    def test_more_urgent_rules_still_win(self) -> None:
        """A red flag outranks the screen: saddle numbness stays an emergency."""
        flagged = clear_intake(
            red_flags=RedFlagAnswers.all_no(saddle_numbness=Y), start_back=HIGH
        )
        result = triage(flagged)
        assert result.disposition is Disposition.EMERGENCY
        assert result.entry_stage is None
        assert "RT-STARTBACK" in ids(result)


class TestStartBackOnTheWire:
    def test_intake_reads_start_back_and_defaults_to_none(self) -> None:
        """`start_back` is optional on the Intake document, null when not asked."""
        doc = json.loads(INTAKE.read_text(encoding="utf-8"))
        assert wire.loads(json.dumps(doc), Intake).start_back is None
        doc["start_back"] = None
        assert wire.loads(json.dumps(doc), Intake).start_back is None
        doc["start_back"] = json.loads(wire.dumps(HIGH))
        del doc["start_back"]["schema_version"]
        intake = wire.loads(json.dumps(doc), Intake)
        assert intake.start_back == HIGH
        assert wire.loads(wire.dumps(intake), Intake) == intake

    def test_bad_start_back_item_has_its_path(self) -> None:
        """A bad STarT Back answer inside an intake is refused at its path."""
        doc = json.loads(INTAKE.read_text(encoding="utf-8"))
        doc["start_back"] = {**json.loads(wire.dumps(HIGH)), "fear": "agree"}
        del doc["start_back"]["schema_version"]
        with pytest.raises(InvalidInput) as err:
            wire.loads(json.dumps(doc), Intake)
        assert err.value.paths == ("$.start_back.fear",)

    def test_cli_triage_high_risk(self) -> None:
        """`lowback triage --json` on a high-risk intake: physio and the finding."""
        doc = json.loads(INTAKE.read_text(encoding="utf-8"))
        doc["self_checks"] = []
        doc["start_back"] = json.loads(wire.dumps(HIGH))
        del doc["start_back"]["schema_version"]
        done = subprocess.run(
            [sys.executable, "-m", "lowback", "triage", "--json", "-"],
            input=json.dumps(doc),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["disposition"] == "physio_referral"
        assert "psychosocial_risk" in result["findings"]
        assert "RT-STARTBACK" in [r["id"] for r in result["rules"]]


class TestInvariant19:
    """Invariant 19: "Adding a STarT Back result to an intake never lowers the
    urgency and never raises the entry stage."
    """

    @given(intakes, start_back_answers, thresholds)
    def test_adding_start_back_never_less_cautious(
        self, intake: Intake, answers: StartBackAnswers, limits: Thresholds
    ) -> None:
        """With a STarT Back result the disposition is as urgent or more, and
        the entry stage no higher ("no plan" the most cautious)."""
        without = triage(attrs.evolve(intake, start_back=None), thresholds=limits)
        with_screen = triage(
            attrs.evolve(intake, start_back=answers), thresholds=limits
        )
        assert urgency_rank(with_screen.disposition) >= urgency_rank(
            without.disposition
        )
        assert caution(with_screen) >= caution(without)
        # the screen only ever adds: rules, findings and unknowns of the intake stay
        assert set(without.findings) <= set(with_screen.findings)
        assert (
            without.unknown_answers
            == with_screen.unknown_answers[: len(without.unknown_answers)]
        )
