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
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsActivity,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
    StartBackRisk,
)
from lowback.engine import prescription as prescription_module
from lowback.engine.outcomes import score, start_back_least_risk
from lowback.fhir import _resources as fhir_resources
from lowback.fhir import (
    bundle,
    from_intake,
    from_journal,
    instrument_questionnaire,
    observation,
)

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

    def test_empty_array_is_caught(self) -> None:
        doc = copy.deepcopy(from_intake(example_intake()))
        resources(doc, "QuestionnaireResponse")[0]["item"][0]["answer"] = []
        assert all_problems(doc) == ["empty element: /entry/0/resource/item/0/answer"]

    def test_duplicate_full_url_breaks_bdl_7(self) -> None:
        doc = copy.deepcopy(from_intake(example_intake()))
        doc["entry"].append(copy.deepcopy(doc["entry"][0]))
        assert "bdl-7" in invariant_failures(doc)

    def test_defects_in_instrument_resources_are_caught(self) -> None:
        doc = copy.deepcopy(
            from_journal(outcome_journal(TestOutcomes.SBST), patient=PATIENT)
        )
        assert all_problems(doc, PATIENT) == []
        (qr,) = instrument_responses(doc)
        # Codes belong on Questionnaire.item, not on the response's items.
        qr["item"][0]["code"] = [{"system": "http://loinc.org", "code": "91340-0"}]
        panel = outcome_observations_of(doc)[-1]
        panel["hasMember"].append({"reference": f"urn:uuid:{qr['id'][::-1]}"})
        problems = all_problems(doc, PATIENT)
        assert any(p.startswith("schema: item/0") for p in problems)
        assert any(p.startswith("fhirclient") for p in problems)
        assert [p for p in problems if p.startswith("unresolved")] == [
            f"unresolved reference: urn:uuid:{qr['id'][::-1]}"
        ]

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
            for c in p["outcome"].get("coding", ())
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


def instrument_responses(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The QuestionnaireResponses of instruments (all but the intake's)."""
    return [
        qr
        for qr in resources(doc, "QuestionnaireResponse")
        if qr["questionnaire"] != lowback.fhir.INTAKE_QUESTIONNAIRE
    ]


def items_of(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a QuestionnaireResponse, nested ones too."""
    for item in node.get("item", ()):
        yield item
        yield from items_of(item)
    for answer in node.get("answer", ()):
        yield from items_of(answer)


def link_ids(qr: dict[str, Any]) -> list[str]:
    return [item["linkId"] for item in items_of(qr)]


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
        odi, total, subscore, risk, panel = outcome_observations_of(doc)
        assert odi["code"]["coding"][0]["code"] == "97909-6"
        assert score(self.ODI).score == Fraction(100, 3)
        assert odi["valueQuantity"]["value"] == float(Fraction(100, 3))
        assert odi["effectiveDateTime"] == journal[-2].date.isoformat()
        assert total["code"]["coding"][0]["code"] == "91351-7"
        assert total["valueInteger"] == 7
        # Items 5-9: fear, anxiety (agreed), catastrophising, low_mood (not),
        # bothersomeness "very much" (1 point).
        assert subscore["code"]["coding"][0]["code"] == "91350-9"
        assert subscore["valueInteger"] == 3
        assert risk["code"]["coding"][0]["code"] == "91352-5"
        assert risk["valueCodeableConcept"]["coding"][0]["code"] == "LA8982-6"
        assert score(self.SBST).risk is StartBackRisk.MEDIUM
        assert panel["code"]["coding"][0]["code"] == "91349-1"
        assert panel["hasMember"] == [
            {"reference": f"urn:uuid:{o['id']}"} for o in (total, subscore, risk)
        ]
        assert not {"valueInteger", "valueCodeableConcept"} & panel.keys()
        for obs in (odi, total, subscore, risk, panel):
            assert obs["subject"] == {"reference": PATIENT}
        for obs in (total, subscore, risk, panel):
            assert obs["effectiveDateTime"] == journal[-1].date.isoformat()

    def test_each_score_is_derived_from_its_answers(self) -> None:
        journal = outcome_journal(self.ODI, self.SBST)
        doc = from_journal(journal, patient=PATIENT)
        odi_qr, sbst_qr = instrument_responses(doc)
        assert odi_qr["questionnaire"] == "urn:lowback:questionnaire:odi"
        assert sbst_qr["questionnaire"] == "urn:lowback:questionnaire:start_back"
        assert odi_qr["authored"] == journal[-2].date.isoformat()
        assert sbst_qr["authored"] == journal[-1].date.isoformat()
        odi, *start_back = outcome_observations_of(doc)
        assert odi["derivedFrom"] == [{"reference": f"urn:uuid:{odi_qr['id']}"}]
        for obs in start_back:
            assert obs["derivedFrom"] == [{"reference": f"urn:uuid:{sbst_qr['id']}"}]

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

    def test_unscorable_record_emits_its_answers_and_no_score(self) -> None:
        two_missing = _odi(2, 3, 1, 0, 2, 1, 2, None, None, 2)
        no_bother = _start_back(6, None)
        assert score(two_missing).score is None
        assert score(no_bother).score is None
        doc = from_journal(outcome_journal(two_missing, no_bother), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        assert outcome_observations_of(doc) == []
        odi_qr, sbst_qr = instrument_responses(doc)
        assert "sex_life" not in link_ids(odi_qr)
        assert "social_life" not in link_ids(odi_qr)
        assert "bothersomeness" not in link_ids(sbst_qr)

    def test_same_journal_same_bytes_and_growing_keeps_ids(self) -> None:
        short = outcome_journal(self.ODI)
        full = outcome_journal(self.ODI, self.SBST)
        assert dumped(from_journal(full, patient=PATIENT)) == dumped(
            from_journal(full, patient=PATIENT)
        )
        short_doc = from_journal(short, patient=PATIENT)
        full_doc = from_journal(full, patient=PATIENT)
        (odi,) = outcome_observations_of(short_doc)
        assert odi["id"] == outcome_observations_of(full_doc)[0]["id"]
        (answers,) = instrument_responses(short_doc)
        assert answers["id"] == instrument_responses(full_doc)[0]["id"]

    def test_new_codes_are_in_the_table(self) -> None:
        table = {(c.system, c.code): c.display for c in CODES.values()}
        doc = from_journal(outcome_journal(self.ODI, self.SBST), patient=PATIENT)
        for coding in codings(outcome_observations_of(doc)):
            # UCUM's {score} is the quantity's unit, not a code of the table.
            if not coding["system"].startswith(
                ("urn:lowback:", "http://unitsofmeasure")
            ):
                assert table[(coding["system"], coding["code"])] == coding["display"]


# Link ids a PSFS response may use besides its item key: one group per
# activity, holding the app's key and the rating.
_PSFS_PARTS = {"activities.activity", "activities.score"}
_ANSWER_TYPES = {"valueCoding", "valueInteger", "valueBoolean", "valueString"}


def wording_problems(doc: dict[str, Any]) -> list[str]:
    """Ways an instrument's answers could carry wording, which must never happen.

    Items may hold only ``linkId`` (an item key of the instrument),
    ``answer`` and ``item``; answers only codes (no ``display``), numbers,
    booleans, and for the PSFS the app's activity key. Licensed wording
    (ODI, STarT Back, PROMIS) cannot be written in any of these.
    """
    by_canonical = {instrument_questionnaire(m): m for m in Measure}
    problems = []
    for qr in instrument_responses(doc):
        measure = by_canonical[qr["questionnaire"]]
        keys = set(INSTRUMENTS[measure].items)
        if measure is Measure.PSFS:
            keys |= _PSFS_PARTS
        for item in items_of(qr):
            link_id = item["linkId"]
            extra = sorted(set(item) - {"linkId", "answer", "item"})
            if extra:
                problems.append(f"{measure}: {link_id} has {extra}")
            if link_id not in keys:
                problems.append(f"{measure}: linkId {link_id!r} is not an item key")
            for answer in item.get("answer", ()):
                kinds = set(answer) - {"item"}
                if not kinds <= _ANSWER_TYPES:
                    problems.append(f"{measure}: {link_id} answers {sorted(kinds)}")
                if "valueCoding" in answer and set(answer["valueCoding"]) != {
                    "system",
                    "code",
                }:
                    problems.append(f"{measure}: {link_id} coding has more")
                if "valueString" in answer and link_id != "activities.activity":
                    problems.append(f"{measure}: {link_id} answers free text")
    return problems


def yes_no(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": "urn:lowback:answer", "code": code}}


class TestInstrumentAnswers:
    """Each outcome record's answers: a QuestionnaireResponse of keys and codes."""

    @pytest.mark.parametrize(
        ("answers", "expected"),
        [
            (NprsAnswers(score=4), [("score", [{"valueInteger": 4}])]),
            (
                PegAnswers(pain=5, enjoyment=3, general_activity=0),
                [
                    ("pain", [{"valueInteger": 5}]),
                    ("enjoyment", [{"valueInteger": 3}]),
                    ("general_activity", [{"valueInteger": 0}]),
                ],
            ),
            (
                # Sex life not applicable: left out, the others in order.
                _odi(2, 3, 1, 0, 2, 1, 2, None, 2, 5),
                [
                    ("pain_intensity", [{"valueInteger": 2}]),
                    ("personal_care", [{"valueInteger": 3}]),
                    ("lifting", [{"valueInteger": 1}]),
                    ("walking", [{"valueInteger": 0}]),
                    ("sitting", [{"valueInteger": 2}]),
                    ("standing", [{"valueInteger": 1}]),
                    ("sleeping", [{"valueInteger": 2}]),
                    ("social_life", [{"valueInteger": 2}]),
                    ("travelling", [{"valueInteger": 5}]),
                ],
            ),
            (
                StartBackAnswers(
                    referred_leg_pain=Answer.YES,
                    neck_or_shoulder_pain=Answer.NO,
                    walks_short_distances_only=Answer.NO,
                    dresses_slowly=Answer.NO,
                    fear=Answer.UNKNOWN,
                    anxiety=Answer.NO,
                    catastrophising=Answer.YES,
                    low_mood=Answer.NO,
                    bothersomeness=None,
                ),
                [
                    ("referred_leg_pain", [yes_no("yes")]),
                    ("neck_or_shoulder_pain", [yes_no("no")]),
                    ("walks_short_distances_only", [yes_no("no")]),
                    ("dresses_slowly", [yes_no("no")]),
                    ("fear", [yes_no("unknown")]),
                    ("anxiety", [yes_no("no")]),
                    ("catastrophising", [yes_no("yes")]),
                    ("low_mood", [yes_no("no")]),
                ],
            ),
        ],
    )
    def test_items_are_keys_and_answers(
        self, answers: Any, expected: list[tuple[str, list[dict[str, Any]]]]
    ) -> None:
        doc = from_journal(outcome_journal(answers), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        (qr,) = instrument_responses(doc)
        assert qr["status"] == "completed"
        assert qr["subject"] == {"reference": PATIENT}
        assert [(i["linkId"], i["answer"]) for i in qr["item"]] == expected

    def test_nothing_answered_gives_no_items(self) -> None:
        blank = OdiAnswers(**dict.fromkeys(INSTRUMENTS[Measure.ODI].items))
        doc = from_journal(outcome_journal(blank), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        (qr,) = instrument_responses(doc)
        assert "item" not in qr
        assert outcome_observations_of(doc) == []

    def test_rmdq_gives_every_item_ticked_or_not(self) -> None:
        doc = from_journal(outcome_journal(RmdqAnswers(ticked=(24, 3))))
        (qr,) = instrument_responses(doc)
        assert [i["linkId"] for i in qr["item"]] == [str(n) for n in range(1, 25)]
        ticked = [
            i["linkId"] for i in qr["item"] if i["answer"] == [{"valueBoolean": True}]
        ]
        assert ticked == ["3", "24"]
        assert all(
            i["answer"] in ([{"valueBoolean": True}], [{"valueBoolean": False}])
            for i in qr["item"]
        )

    def test_psfs_gives_one_group_per_activity(self) -> None:
        psfs = PsfsAnswers(
            activities=(
                PsfsActivity(activity="stairs", score=4),
                PsfsActivity(activity="garden", score=7),
            )
        )
        doc = from_journal(outcome_journal(psfs), patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        (qr,) = instrument_responses(doc)
        assert qr["item"] == [
            {
                "linkId": "activities",
                "item": [
                    {"linkId": "activities.activity", "answer": [{"valueString": key}]},
                    {"linkId": "activities.score", "answer": [{"valueInteger": n}]},
                ],
            }
            for key, n in (("stairs", 4), ("garden", 7))
        ]
        (mean,) = outcome_observations_of(doc)
        assert mean["valueQuantity"]["value"] == 5.5

    @pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1f", "\u2028"])
    def test_psfs_key_that_is_no_fhir_string_is_refused_without_echo(
        self, bad: str
    ) -> None:
        psfs = PsfsAnswers(activities=(PsfsActivity(activity=f"st{bad}airs", score=4),))
        journal = outcome_journal(psfs)
        with pytest.raises(InvalidInput) as caught:
            from_journal(journal)
        assert caught.value.paths == (
            f"$[{len(journal) - 1}].answers.activities[0].activity",
        )
        assert "airs" not in str(caught.value)

    def test_intake_screen_is_its_own_questionnaire_response(self) -> None:
        intake = sts.clear_intake(start_back=_start_back(6, 3))
        doc = from_intake(intake, patient=PATIENT)
        assert all_problems(doc, PATIENT) == []
        intake_qr, screen = resources(doc, "QuestionnaireResponse")
        assert not any(i.startswith("start_back") for i in link_ids(intake_qr))
        assert screen["questionnaire"] == "urn:lowback:questionnaire:start_back"
        assert link_ids(screen) == list(INSTRUMENTS[Measure.START_BACK].items)

    def test_wording_check_is_live(self) -> None:
        doc = copy.deepcopy(from_journal(outcome_journal(TestOutcomes.SBST)))
        assert wording_problems(doc) == []
        (qr,) = instrument_responses(doc)
        qr["item"][0]["text"] = "a question"
        qr["item"][1]["linkId"] = "a question"
        qr["item"][2]["answer"] = [{"valueString": "agree"}]
        qr["item"][3]["answer"][0]["valueCoding"]["display"] = "agree"
        assert len(wording_problems(doc)) == 4


class TestGeneratedInstruments:
    @settings(max_examples=40)
    @given(sts.journals(max_events=12))
    def test_no_wording_in_generated_journals(self, journal: lowback.Journal) -> None:
        """Spec 6: "lowback ships item keys and scoring, never item wording"."""
        doc = from_journal(journal, patient=PATIENT)
        assert wording_problems(doc) == []
        records = [e for e in journal if isinstance(e, OutcomeRecorded)]
        first = journal[0]
        assert isinstance(first, PlanStarted)
        screens = [first.intake.start_back] if first.intake.start_back else []
        assert len(instrument_responses(doc)) == len(records) + len(screens)
        keys = {
            a.activity
            for e in records
            if isinstance(e.answers, PsfsAnswers)
            for a in e.answers.activities
        }
        strings = {
            answer["valueString"]
            for qr in instrument_responses(doc)
            for item in items_of(qr)
            for answer in item.get("answer", ())
            if "valueString" in answer
        }
        assert strings <= keys

    @settings(max_examples=40)
    @given(sts.journals(max_events=12))
    def test_every_score_links_to_answers_in_the_bundle(
        self, journal: lowback.Journal
    ) -> None:
        doc = from_journal(journal, patient=PATIENT)
        answers = {f"urn:uuid:{qr['id']}" for qr in instrument_responses(doc)}
        intake_qr = f"urn:uuid:{resources(doc, 'QuestionnaireResponse')[0]['id']}"
        for obs in resources(doc, "Observation"):
            if obs["code"]["coding"][0]["code"] == CODES["nprs"].code and (
                "derivedFrom" not in obs
            ):
                continue  # a check-in's pain score: no questionnaire behind it
            (source,) = obs["derivedFrom"]
            assert source["reference"] in answers | {intake_qr}


def _level_codes() -> dict[str, StartBackRisk]:
    return {CODES[f"start_back_{r.value}"].code: r for r in StartBackRisk}


class TestStartBackRiskAssessment:
    @settings(max_examples=80)
    @given(sts.intakes_with(start_back=sts.start_back_answers))
    def test_screen_risk_is_never_reported_lower_than_its_answers_prove(
        self, intake: Intake
    ) -> None:
        """Spec 6.1: "A measure that cannot be scored is never guessed: the
        result says which items are missing, and no rule treats it as a
        normal score." The triage's RiskAssessment codes a STarT Back level
        only when the screen was scored (its level) or its answers already
        prove ``high``; otherwise it names the items not answered.
        """
        assert intake.start_back is not None
        doc = from_intake(intake, patient=PATIENT)
        (risk,) = resources(doc, "RiskAssessment")
        (prediction,) = (
            p for p in risk["prediction"] if p["outcome"]["text"].startswith("STarT")
        )
        coded = [
            _level_codes()[c["code"]] for c in prediction["outcome"].get("coding", ())
        ]
        scored = score(intake.start_back)
        least = start_back_least_risk(intake.start_back)
        # Triage acts on the same least level: high adds psychosocial_risk.
        high = lowback.SelfCheckFinding.PSYCHOSOCIAL_RISK in triage(intake).findings
        assert high == (least is StartBackRisk.HIGH)
        assert (StartBackRisk.HIGH in coded) == high
        if scored.risk is not None:
            assert coded == [scored.risk]
            assert scored.risk is least
        elif least is StartBackRisk.HIGH:
            assert coded == [StartBackRisk.HIGH]
        else:
            assert coded == []
            assert scored.missing
            assert all(key in prediction["rationale"] for key in scored.missing)
        # The basis holds the screen's answers and every score read from them.
        (screen,) = instrument_responses(doc)
        answers = f"urn:uuid:{screen['id']}"
        derived = [
            f"urn:uuid:{o['id']}"
            for o in resources(doc, "Observation")
            if o.get("derivedFrom") == [{"reference": answers}] and "hasMember" not in o
        ]
        assert len(derived) == (3 if scored.scored else 0)
        basis = [b["reference"] for b in risk["basis"]]
        assert {answers, *derived} <= set(basis)
        assert dumped(doc) == dumped(from_intake(intake, patient=PATIENT))

    def test_prediction_needs_a_start_back_screen(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            lowback.fhir.start_back_prediction(
                score(NprsAnswers(score=3)), StartBackRisk.LOW
            )
        assert caught.value.paths == ("$.measure",)

    def test_complete_high_screen_is_coded_high_with_its_scores(self) -> None:
        # Items 1-4 and 5-8 agreed, bothersomeness "extremely": total 9, subscore 5.
        intake = sts.clear_intake(start_back=_start_back(8, 4))
        doc = from_intake(intake, patient=PATIENT)
        (risk,) = resources(doc, "RiskAssessment")
        (prediction,) = risk["prediction"]
        assert prediction["outcome"]["coding"] == [
            {"system": "http://loinc.org", "code": "LA9193-9", "display": "High"}
        ]
        assert "total 9" in prediction["rationale"]
        assert "subscore 5" in prediction["rationale"]
        assert risk["mitigation"].startswith("disposition physio_referral:")
