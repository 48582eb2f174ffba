"""lowback.fhir: triage and plan as a FHIR R4 Bundle, checked three independent ways."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import lowback
import strategies as sts
from fhir_checks import (
    all_problems,
    invariant_failures,
    repeated_link_ids,
    schema_errors,
    strict_parse_errors,
    unresolved,
)
from lowback import (
    RED_FLAGS,
    Answer,
    AskedRedFlags,
    CheckIn,
    Disposition,
    Intake,
    InvalidInput,
    PlanStarted,
    RedFlag,
    RedFlagAnswers,
    prescription,
    replay,
    triage,
)
from lowback.catalog.codes import CODES, LOWBACK_SYSTEMS
from lowback.catalog.events import OutcomeRecorded
from lowback.catalog.outcomes import (
    INSTRUMENTS,
    Measure,
    OdiAnswers,
    RmdqAnswers,
    StartBackAnswers,
    StartBackRisk,
)
from lowback.engine import prescription as prescription_module
from lowback.engine.outcomes import score
from lowback.fhir import _resources as fhir_resources
from lowback.fhir import bundle, from_intake, from_journal, observation

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
PATIENT = "Patient/123"


def example_intake() -> Intake:
    return lowback.loads((EXAMPLES / "intake.json").read_bytes(), Intake)


def example_journal() -> lowback.Journal:
    journal: lowback.Journal = lowback.loads_jsonl(
        (EXAMPLES / "journal.jsonl").read_bytes(), lowback.Journal
    )
    return journal


def resources(doc: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == type_
    ]


def codings(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "system" in node and "code" in node:
            yield node
        for value in node.values():
            yield from codings(value)
    elif isinstance(node, list):
        for value in node:
            yield from codings(value)


def red_flag_group(qr: dict[str, Any]) -> dict[str, Any]:
    (group,) = (i for i in qr["item"] if i["linkId"] == "red_flags")
    found: dict[str, Any] = group
    return found


def dumped(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


class TestExamples:
    @pytest.mark.parametrize("patient", [PATIENT, None])
    def test_example_intake_passes_all_three_checks(self, patient: str | None) -> None:
        doc = from_intake(example_intake(), patient=patient)
        assert all_problems(doc, patient) == []
        assert [r["resourceType"] for r in (e["resource"] for e in doc["entry"])] == [
            "QuestionnaireResponse",
            "Observation",
            "RiskAssessment",
            "Goal",
            "CarePlan",
            "GuidanceResponse",
        ]

    @pytest.mark.parametrize("patient", [PATIENT, None])
    def test_example_journal_passes_all_three_checks(self, patient: str | None) -> None:
        journal = example_journal()
        doc = from_journal(journal, patient=patient)
        assert all_problems(doc, patient) == []
        check_ins = [e for e in journal if isinstance(e, CheckIn)]
        # The intake's pain score and one per check-in.
        pains = resources(doc, "Observation")
        assert len(pains) == 1 + len(check_ins)
        assert [o["valueInteger"] for o in pains[1:]] == [c.pain_now for c in check_ins]
        assert [o["effectiveDateTime"] for o in pains[1:]] == [
            c.date.isoformat() for c in check_ins
        ]

    def test_journal_plan_is_the_replayed_prescription(self) -> None:
        journal = example_journal()
        state, _ = replay(journal)
        today = prescription(state)
        (plan,) = resources(from_journal(journal, patient=PATIENT), "CarePlan")
        codes = [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]]
        assert codes == [d.exercise.value for d in today.exercises] + [
            h.value for h in today.habits
        ]
        assert {c["code"] for c in codings(plan["category"])} >= {state.stage.value}
        assert plan["period"] == {"start": state.started.isoformat()}
        doses = [a["detail"]["description"] for a in plan["activity"]]
        assert doses[: len(today.exercises)] == [
            d.dose.describe() for d in today.exercises
        ]


class TestValidatorsCatchDefects:
    """Each check is live: a known defect makes it fail."""

    @staticmethod
    def broken(change: Any) -> list[str]:
        doc = copy.deepcopy(from_intake(example_intake(), patient=PATIENT))
        change(doc)
        return all_problems(doc, PATIENT)

    def test_missing_care_plan_intent_is_caught_by_the_strict_parse(self) -> None:
        def change(doc: dict[str, Any]) -> None:
            del resources(doc, "CarePlan")[0]["intent"]

        doc = copy.deepcopy(from_intake(example_intake(), patient=PATIENT))
        change(doc)
        assert strict_parse_errors(doc)
        assert (
            schema_errors(resources(doc, "CarePlan")[0]) == []
        )  # the schema misses it

    def test_missing_activity_status_is_caught(self) -> None:
        def change(doc: dict[str, Any]) -> None:
            del resources(doc, "CarePlan")[0]["activity"][0]["detail"]["status"]

        assert any(p.startswith("fhirclient") for p in self.broken(change))

    def test_unknown_element_and_bad_date_are_caught_by_the_schema(self) -> None:
        obs = copy.deepcopy(resources(from_intake(example_intake()), "Observation")[0])
        obs["effectiveDateTime"] = "2026-13-45"
        obs["colour"] = "blue"
        errors = schema_errors(obs)
        assert any("effectiveDateTime" in e for e in errors)
        assert any("colour" in e for e in errors)

    @pytest.mark.parametrize(
        ("key", "type_", "change"),
        [
            (
                "ras-2",
                "RiskAssessment",
                lambda r: r.update(prediction=[{"probabilityDecimal": 150}]),
            ),
            (
                "obs-6",
                "Observation",
                lambda r: r.update(dataAbsentReason={"text": "asked, not answered"}),
            ),
            (
                "obs-7",
                "Observation",
                lambda r: r.update(
                    component=[{"code": r["code"], "valueInteger": r["valueInteger"]}]
                ),
            ),
            (
                "qrs-1",
                "QuestionnaireResponse",
                lambda r: r["item"][0].update(item=[{"linkId": "x"}]),
            ),
            (
                "cpl-3",
                "CarePlan",
                lambda r: r["activity"][0].update(reference={"reference": "x"}),
            ),
            (
                "tim-1",
                "CarePlan",
                lambda r: r["activity"][0]["detail"]["scheduledTiming"][
                    "repeat"
                ].update(duration=3),
            ),
        ],
    )
    def test_invariants_catch_their_defect(
        self, key: str, type_: str, change: Any
    ) -> None:
        resource = copy.deepcopy(resources(from_intake(example_intake()), type_)[0])
        assert invariant_failures(resource) == []
        change(resource)
        assert key in invariant_failures(resource)

    @pytest.mark.parametrize("group", ["", "red_flags"])
    def test_repeated_link_id_breaks_qrs_2(self, group: str) -> None:
        qr = copy.deepcopy(
            resources(from_intake(example_intake()), "QuestionnaireResponse")[0]
        )
        assert repeated_link_ids(qr) == []
        parent = red_flag_group(qr) if group else qr
        answered = next(i for i in parent["item"] if "answer" in i)
        parent["item"].append(copy.deepcopy(answered))
        assert repeated_link_ids(qr) == [answered["linkId"]]

    def test_duplicate_full_url_breaks_bdl_7(self) -> None:
        doc = copy.deepcopy(from_intake(example_intake()))
        doc["entry"].append(copy.deepcopy(doc["entry"][0]))
        assert "bdl-7" in invariant_failures(doc)

    def test_unresolved_reference_is_caught(self) -> None:
        doc = copy.deepcopy(from_intake(example_intake(), patient=PATIENT))
        del doc["entry"][0]  # the QuestionnaireResponse others point to
        assert unresolved(doc, PATIENT)


class TestGenerated:
    @settings(max_examples=60)
    @given(sts.intakes)
    def test_generated_intakes_pass_all_three_checks(self, intake: Intake) -> None:
        assert all_problems(from_intake(intake, patient=PATIENT), PATIENT) == []

    @settings(max_examples=40)
    @given(sts.journals(max_events=12))
    def test_generated_journals_pass_all_three_checks(
        self, journal: lowback.Journal
    ) -> None:
        assert all_problems(from_journal(journal, patient=PATIENT), PATIENT) == []

    @settings(max_examples=40)
    @given(sts.journals(max_events=12))
    def test_same_journal_same_bytes(self, journal: lowback.Journal) -> None:
        """Invariant 10: "the same events and ruleset give byte-identical JSON."

        Also through the wire: a journal read back from its JSON exports to
        the same bytes.
        """
        again = lowback.loads_jsonl(lowback.dumps_jsonl(journal), lowback.Journal)
        first = dumped(from_journal(journal, patient=PATIENT))
        assert first == dumped(from_journal(journal, patient=PATIENT))
        assert first == dumped(from_journal(again, patient=PATIENT))

    @settings(max_examples=60)
    @given(sts.intakes)
    def test_no_red_flag_is_lost(self, intake: Intake) -> None:
        """Invariant 5 carried into the record: "No result with a red flag or
        nerve feature is `self_care`". Every red flag answered yes or
        ``unknown`` shows as a suspected condition, and the disposition to
        seek is the triage's own.
        """
        result = triage(intake)
        (risk,) = resources(from_intake(intake), "RiskAssessment")
        suspected = {
            c["code"]
            for p in risk.get("prediction", ())
            for c in p["outcome"]["coding"]
            if c["system"] == LOWBACK_SYSTEMS["suspicion"]
        }
        # The intake's flags, and any triage reads into it (nerve features
        # in both legs count as bilateral leg symptoms, RF-CES).
        flags = {f for f, a in intake.red_flags.items() if a is not Answer.NO}
        expected = {RED_FLAGS[f].suggests.value for f in flags | set(result.red_flags)}
        assert suspected == expected
        assert risk["mitigation"].startswith(f"disposition {result.disposition.value}:")

    @settings(max_examples=60)
    @given(sts.intakes)
    def test_no_plan_without_one(self, intake: Intake) -> None:
        """Invariant 5 carried into the record: "no `emergency`/`urgent` result
        starts a plan", so its Bundle has no CarePlan and no Goal.
        """
        result = triage(intake)
        doc = from_intake(intake)
        has_plan = bool(resources(doc, "CarePlan"))
        assert has_plan == (result.entry_stage is not None)
        assert bool(resources(doc, "Goal")) == has_plan
        if result.disposition in {Disposition.EMERGENCY, Disposition.URGENT}:
            assert not has_plan


class TestContent:
    def test_questionnaire_response_has_codes_not_wording(self) -> None:
        intake = example_intake()
        (qr,) = resources(from_intake(intake), "QuestionnaireResponse")

        def items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
            for item in node.get("item", ()):
                yield item
                yield from items(item)

        every = list(items(qr))
        assert all("text" not in item for item in every)
        answered = {i["linkId"]: i["answer"] for i in every if "answer" in i}
        for flag, answer in intake.red_flags.items():
            assert answered[f"red_flags.{flag.value}"] == [
                {"valueCoding": {"system": "urn:lowback:answer", "code": answer.value}}
            ]
        assert answered["pain_now"] == [{"valueInteger": intake.pain_now}]
        assert answered["self_checks.endurance_hold.hold_seconds"] == [
            {"valueDecimal": 6.0}
        ]

    def test_every_external_code_is_in_the_table(self) -> None:
        table = {(c.system, c.code): c.display for c in CODES.values()}
        docs = [from_intake(example_intake()), from_journal(example_journal())]
        emitted = set()
        for doc in docs:
            for coding in codings(doc):
                if coding["system"].startswith("urn:lowback:"):
                    assert coding["system"] in LOWBACK_SYSTEMS.values()
                    continue
                key = (coding["system"], coding["code"])
                assert table.get(key) == coding.get("display")
                emitted.add(key)
        assert ("http://loinc.org", "72514-3") in emitted

    def test_cauda_equina_is_coded_in_snomed(self) -> None:
        intake = sts.clear_intake(
            red_flags=RedFlagAnswers.all_no(saddle_numbness=Answer.YES)
        )
        (risk,) = resources(from_intake(intake), "RiskAssessment")
        (prediction,) = risk["prediction"]
        assert {"system": "http://snomed.info/sct", "code": "192970008"}.items() <= (
            prediction["outcome"]["coding"][0].items()
        )
        assert "saddle_numbness" in prediction["rationale"]
        assert risk["mitigation"].startswith("disposition emergency:")
        assert "probabilityDecimal" not in prediction
        assert "qualitativeRisk" not in prediction

    def test_check_in_red_flag_is_exported_with_its_disposition(self) -> None:
        start = dt.date(2026, 11, 2)
        journal = (
            PlanStarted(date=start, intake=sts.clear_intake()),
            CheckIn(
                date=start + dt.timedelta(days=1),
                pain_now=5,
                morning_pain=5,
                very_tired=Answer.NO,
                red_flags=AskedRedFlags(fever_or_unwell=Answer.YES),
            ),
        )
        _, decisions = replay(journal)
        doc = from_journal(journal, patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        triage_risk, check_in_risk = resources(doc, "RiskAssessment")
        assert "prediction" not in triage_risk
        assert check_in_risk["occurrenceDateTime"] == "2026-11-03"
        (prediction,) = check_in_risk["prediction"]
        assert prediction["outcome"]["coding"][0]["code"] == (
            RED_FLAGS[RedFlag.FEVER_OR_UNWELL].suggests.value
        )
        seek = decisions[-1].seek_care
        assert seek is not None
        assert check_in_risk["mitigation"].startswith(f"disposition {seek.value}:")
        (plan,) = resources(doc, "CarePlan")
        assert plan["status"] == "on-hold"
        assert "activity" not in plan  # nothing to do but seek care

    def test_paused_plan_offers_only_walks_and_unloading(self) -> None:
        intake = sts.clear_intake(leg_pain_below_knee=Answer.YES)
        result = triage(intake)
        assert result.plan_status is lowback.PlanStatus.PAUSED
        (plan,) = resources(from_intake(intake), "CarePlan")
        assert plan["status"] == "on-hold"
        offered = [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]]
        assert offered == [
            "short_walks",
            *(e.value for e in prescription_module.UNLOADING_POSITIONS),
        ]
        assert {a["detail"]["status"] for a in plan["activity"]} == {"not-started"}

    def test_unknown_check_in_red_flag_is_never_self_care(self) -> None:
        start = dt.date(2026, 11, 2)
        journal = (
            PlanStarted(date=start, intake=sts.clear_intake()),
            CheckIn(
                date=start,
                pain_now=5,
                morning_pain=5,
                very_tired=Answer.NO,
                red_flags=AskedRedFlags(saddle_numbness=Answer.UNKNOWN),
            ),
        )
        doc = from_journal(journal)
        risk = resources(doc, "RiskAssessment")[-1]
        assert not risk["mitigation"].startswith("disposition self_care")
        assert "not ruled out" in risk["prediction"][0]["rationale"]

    def test_rules_and_ruleset_are_in_the_guidance_response(self) -> None:
        intake = example_intake()
        result = triage(intake)
        guidance = resources(from_intake(intake), "GuidanceResponse")[0]
        assert [c["text"] for c in guidance["reasonCode"]] == [
            r.id for r in result.rules
        ]
        assert guidance["moduleUri"].endswith(result.ruleset_version)
        (plan,) = resources(from_intake(intake), "CarePlan")
        assert guidance["result"] == {"reference": f"urn:uuid:{plan['id']}"}


class TestThresholds:
    @settings(max_examples=20)
    @given(sts.journals(max_events=12), sts.thresholds)
    def test_journal_is_replayed_with_the_apps_thresholds(
        self, journal: lowback.Journal, thresholds: lowback.Thresholds
    ) -> None:
        state, _ = replay(journal, thresholds=thresholds)
        today = prescription(state, thresholds=thresholds)
        doc = from_journal(journal, thresholds=thresholds)
        assert all_problems(doc) == []
        plans = resources(doc, "CarePlan")
        if plans:
            (plan,) = plans
            assert plan["title"].startswith(f"Stage {today.stage.number} of")
            doses = [a["detail"]["description"] for a in plan.get("activity", ())]
            assert doses[: len(today.exercises)] == [
                d.dose.describe() for d in today.exercises
            ]


class TestIds:
    def test_same_intake_same_bytes(self) -> None:
        assert dumped(from_intake(example_intake(), patient=PATIENT)) == dumped(
            from_intake(example_intake(), patient=PATIENT)
        )

    def test_ids_differ_by_patient_and_by_intake(self) -> None:
        intake = example_intake()
        one = from_intake(intake, patient="Patient/1")
        two = from_intake(intake, patient="Patient/2")
        other = from_intake(sts.clear_intake(pain_now=2), patient="Patient/1")
        ids = [{e["fullUrl"] for e in d["entry"]} for d in (one, two, other)]
        assert not ids[0] & ids[1]
        assert not ids[0] & ids[2]

    def test_a_growing_journal_keeps_its_ids(self) -> None:
        journal = example_journal()
        short = from_journal(journal[:3], patient=PATIENT)
        full = from_journal(journal, patient=PATIENT)
        full_urls = {e["fullUrl"] for e in full["entry"]}
        # All but the guidance on the short journal's last event, which the
        # full journal has on its own last event instead.
        assert {e["fullUrl"] for e in short["entry"][:-1]} <= full_urls
        assert short["entry"][-1]["fullUrl"] not in full_urls
        assert short["id"] != full["id"]


class TestInput:
    @pytest.mark.parametrize(
        "patient", ["123", "Patient/", "Patient/a b", "Observation/1", "x" * 300]
    )
    def test_bad_patient_reference_is_refused_without_echo(self, patient: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_intake(example_intake(), patient=patient)
        assert caught.value.paths == ("$.patient",)
        assert patient not in str(caught.value) or patient == "Patient/"

    def test_bundle_needs_an_intake_or_a_journal(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            bundle(triage(example_intake()))
        assert caught.value.paths == ("$.intake",)

    def test_a_journal_must_start_with_plan_started(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_journal(example_journal()[1:])
        assert caught.value.paths == ("$[0]",)


class TestObservationBuilder:
    """The builder outcome measures plug into: a code, a value, a subject."""

    def test_non_integer_becomes_a_score_quantity(self) -> None:
        obs = observation(CODES["nprs"], 6.5, resource_id="a", subject={"display": "x"})
        assert obs["valueQuantity"]["value"] == 6.5
        assert obs["valueQuantity"]["code"] == "{score}"
        assert schema_errors(obs) == []
        assert invariant_failures(obs) == []

    def test_code_becomes_a_codeable_concept(self) -> None:
        obs = observation(
            CODES["nprs"], CODES["survey"], resource_id="a", subject={"display": "x"}
        )
        assert obs["valueCodeableConcept"]["coding"][0]["code"] == "survey"

    def test_bool_is_not_a_score(self) -> None:
        with pytest.raises(TypeError):
            observation(CODES["nprs"], value=True, resource_id="a", subject={})


class TestAnswerTypes:
    """Every value type an intake field may hold has its FHIR answer type."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (True, {"valueBoolean": True}),
            (3, {"valueInteger": 3}),
            (6.5, {"valueDecimal": 6.5}),
            ("note", {"valueString": "note"}),
            (
                Answer.UNKNOWN,
                {"valueCoding": {"system": "urn:lowback:answer", "code": "unknown"}},
            ),
            (
                lowback.Side.LEFT,
                {"valueCoding": {"system": "urn:lowback:value", "code": "left"}},
            ),
            (dt.date(2026, 11, 2), {"valueDate": "2026-11-02"}),
        ],
    )
    def test_answer_type(self, value: object, expected: dict[str, Any]) -> None:
        assert fhir_resources._answer(value) == expected

    def test_unknown_type_is_a_programming_error(self) -> None:
        with pytest.raises(TypeError):
            fhir_resources._answer(object())


def _odi(*sections: int | None) -> OdiAnswers:
    return OdiAnswers(
        **dict(zip(INSTRUMENTS[Measure.ODI].items, sections, strict=True))
    )


def _start_back(agree: int, bothersomeness: int | None) -> StartBackAnswers:
    keys = INSTRUMENTS[Measure.START_BACK].items[:-1]
    return StartBackAnswers(
        **{k: Answer.YES if i < agree else Answer.NO for i, k in enumerate(keys)},
        bothersomeness=bothersomeness,
    )


def outcome_journal(*answers: Any) -> lowback.Journal:
    """The example journal, then one outcome record a day after its end."""
    journal = example_journal()
    last = journal[-1].date
    return journal + tuple(
        OutcomeRecorded(
            date=last + dt.timedelta(days=n + 1), measure=a.measure, answers=a
        )
        for n, a in enumerate(answers)
    )


def outcome_observations_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The Observations after the intake's and the check-ins' pain scores."""
    pains = 1 + sum(isinstance(e, CheckIn) for e in example_journal())
    return resources(doc, "Observation")[pains:]


class TestOutcomes:
    """outcome_recorded events become Observations of their scores."""

    # ODI: 2+3+1+0+2+1+2 (sex life not applicable) +1+2+1 = 15 of 45 -> 100/3 %.
    ODI = _odi(2, 3, 1, 0, 2, 1, 2, None, 2, 2)
    # STarT Back: 6 agreed (items 1-6) + bothersomeness "very much" -> 7, subscore 3.
    SBST = _start_back(6, 3)

    def test_odi_and_start_back_are_exported_with_codes_and_values(self) -> None:
        journal = outcome_journal(self.ODI, self.SBST)
        doc = from_journal(journal, patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        odi, total, risk = outcome_observations_of(doc)
        assert odi["code"]["coding"][0]["code"] == "97909-6"
        assert score(self.ODI).score == Fraction(100, 3)
        assert odi["valueQuantity"]["value"] == float(Fraction(100, 3))
        assert odi["effectiveDateTime"] == journal[-2].date.isoformat()
        assert total["code"]["coding"][0]["code"] == "91351-7"
        assert total["valueInteger"] == 7
        assert risk["code"]["coding"][0]["code"] == "91352-5"
        assert risk["valueCodeableConcept"]["coding"][0]["code"] == "LA8982-6"
        assert score(self.SBST).risk is StartBackRisk.MEDIUM
        for obs in (odi, total, risk):
            assert obs["subject"] == {"reference": PATIENT}
        assert total["effectiveDateTime"] == journal[-1].date.isoformat()

    def test_measures_without_loinc_use_lowbacks_own_code(self) -> None:
        rmdq = RmdqAnswers(ticked=(1, 5, 9))
        doc = from_journal(outcome_journal(rmdq), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        (obs,) = outcome_observations_of(doc)
        assert obs["code"]["coding"][0] == {
            "system": LOWBACK_SYSTEMS["measure"],
            "code": "rmdq",
            "display": INSTRUMENTS[Measure.RMDQ].name,
        }
        assert obs["valueInteger"] == 3

    def test_unscorable_record_emits_nothing(self) -> None:
        two_missing = _odi(2, 3, 1, 0, 2, 1, 2, None, None, 2)
        no_bother = _start_back(6, None)
        assert score(two_missing).score is None
        assert score(no_bother).score is None
        doc = from_journal(outcome_journal(two_missing, no_bother), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        assert outcome_observations_of(doc) == []

    def test_same_journal_same_bytes_and_growing_keeps_ids(self) -> None:
        short = outcome_journal(self.ODI)
        full = outcome_journal(self.ODI, self.SBST)
        assert dumped(from_journal(full, patient=PATIENT)) == dumped(
            from_journal(full, patient=PATIENT)
        )
        (odi,) = outcome_observations_of(from_journal(short, patient=PATIENT))
        assert (
            odi["id"]
            == outcome_observations_of(from_journal(full, patient=PATIENT))[0]["id"]
        )

    def test_new_codes_are_in_the_table(self) -> None:
        table = {(c.system, c.code): c.display for c in CODES.values()}
        doc = from_journal(outcome_journal(self.ODI, self.SBST), patient=PATIENT)
        for coding in codings(outcome_observations_of(doc)):
            # UCUM's {score} is the quantity's unit, not a code of the table.
            if not coding["system"].startswith(
                ("urn:lowback:", "http://unitsofmeasure")
            ):
                assert table[(coding["system"], coding["code"])] == coding["display"]
