"""Hypothesis strategies for every public lowback value.

Strategies build valid values only; tests that need invalid input build it
explicitly. Intake strategies lean towards "all clear" answers so that the
interesting cases (one flag, one unknown) come up often rather than drowning
in intakes that are emergencies for ten reasons at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
from hypothesis import strategies as st

import lowback
from lowback import (
    Answer,
    BackwardLeanResult,
    BodyRegion,
    Dose,
    EnduranceHoldResult,
    ForwardBendResult,
    Intake,
    Onset,
    PainQuality,
    RedFlag,
    RedFlagAnswers,
    SelfCheckResult,
    Side,
    SideBendResult,
    StopReason,
    Thresholds,
)
from lowback.catalog.validators import InRange, Optional

answers = st.sampled_from(Answer)
#: Mostly ``no``, so that one ``yes`` or ``unknown`` stands out: ``no`` 7 times
#: in 9, ``yes`` and ``unknown`` once each (one draw, not a ``one_of``).
mostly_no = st.sampled_from((*(Answer.NO,) * 7, Answer.YES, Answer.UNKNOWN))
sides = st.sampled_from(Side)
optional_sides = st.none() | sides
pain = st.integers(0, 10)


def unique_tuples(
    elements: st.SearchStrategy[Any], max_size: int
) -> st.SearchStrategy[tuple[Any, ...]]:
    """Tuples of distinct elements."""
    return st.lists(elements, unique=True, max_size=max_size).map(tuple)


red_flag_answers = st.builds(RedFlagAnswers, **{f.value: mostly_no for f in RedFlag})
stop_reasons = st.none() | st.sampled_from(StopReason)


def _result(
    cls: type[Any], observations: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    """A self-check result: observations always drawn; sometimes stopped."""
    complete = st.fixed_dictionaries(observations).map(lambda kw: cls(**kw))
    stopped = st.builds(
        cls,
        stopped=st.sampled_from(StopReason),
        **{k: st.none() | v for k, v in observations.items()},
    )
    return st.one_of(complete, complete, stopped)


forward_bends = _result(
    ForwardBendResult,
    {
        "one_side_tighter": answers,
        "tighter_side": optional_sides,
        "pull_in_muscles": answers,
        "pain_in_centre_of_spine": answers,
        "knee_bend_eases": answers,
    },
)
backward_leans = _result(
    BackwardLeanResult,
    {
        "pinch_in_one_spot": answers,
        "feels_like_muscle_stretch": answers,
        "hand_support_eases": answers,
    },
)
side_bends = _result(
    SideBendResult,
    {
        "one_side_blocked_or_painful": answers,
        "blocked_side": optional_sides,
        "pain_over_ql_area": answers,
    },
)
endurance_holds = _result(
    EnduranceHoldResult,
    {
        "hold_seconds": st.floats(0.0, 60.0, allow_nan=False),
        "shaking_early": answers,
        "cramped": answers,
    },
)
#: The strategy of each check's result, by the check it records.
results_of_check: dict[Any, st.SearchStrategy[Any]] = {
    ForwardBendResult.check: forward_bends,
    BackwardLeanResult.check: backward_leans,
    SideBendResult.check: side_bends,
    EnduranceHoldResult.check: endurance_holds,
}
self_check_results: st.SearchStrategy[SelfCheckResult] = st.one_of(
    forward_bends, backward_leans, side_bends, endurance_holds
)
#: At most one result per check, in any order.
self_check_lists = st.lists(
    self_check_results, max_size=4, unique_by=lambda r: r.check
).map(tuple)

#: The strategy of each intake field; :func:`intakes_with` replaces some.
_INTAKE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "age": st.none() | st.integers(0, 130),
    "duration_days": st.integers(0, 400),
    "onset": st.sampled_from(Onset),
    "pain_now": pain,
    "pain_worst_24h": st.none() | pain,
    "pain_regions": unique_tuples(st.sampled_from(BodyRegion), len(BodyRegion)),
    "pain_side": optional_sides,
    "pain_qualities": unique_tuples(st.sampled_from(PainQuality), len(PainQuality)),
    "pressing_reproduces_pain": answers,
    "eases_with_movement": answers,
    "worse_with_sustained_posture": answers,
    "muscle_spasm_or_stuck": answers,
    "leg_pain_below_knee": mostly_no,
    "numbness_or_tingling_in_a_line": mostly_no,
    "leg_or_foot_weakness": mostly_no,
    "leg_symptom_side": optional_sides,
    "red_flags": red_flag_answers,
    "frequent_flare_ups": answers,
    "fear_of_movement": answers,
    "rest_without_relief": answers,
    "self_checks": self_check_lists,
    # Defined with the outcome strategies below.
    "start_back": st.none() | st.none() | st.deferred(lambda: start_back_answers),
}


def intakes_with(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Intake]:
    """Intakes whose named fields come from the given strategies instead.

    Cheaper than drawing a whole intake and then replacing a field, which
    draws the replaced field for nothing.
    """
    return st.builds(Intake, **(_INTAKE_FIELDS | fields))


intakes: st.SearchStrategy[Intake] = intakes_with()


def field_range(cls: type, name: str) -> InRange:
    """The range validator of *cls*'s field *name*, as the wire and schema read it."""
    validator = attrs.fields_dict(cls)[name].validator
    inner = validator.inner if isinstance(validator, Optional) else validator
    assert isinstance(inner, InRange), (cls, name)
    return inner


def in_bounds(cls: type, name: str) -> st.SearchStrategy[Any]:
    """Values the field's own validator accepts (``None`` too when optional)."""
    bounds = field_range(cls, name)
    if bounds.kind is float:
        values: st.SearchStrategy[Any] = st.floats(
            bounds.low, bounds.high, allow_nan=False
        )
    else:
        values = st.integers(int(bounds.low), int(bounds.high))
    optional = isinstance(attrs.fields_dict(cls)[name].validator, Optional)
    return st.none() | values if optional else values


#: Any dose, each part within the bounds its field's validator declares.
doses: st.SearchStrategy[Dose] = st.builds(
    Dose,
    **{
        name: in_bounds(Dose, name)
        for name in (
            "sets",
            "reps",
            "hold_seconds",
            "rest_seconds",
            "effort_percent",
            "minutes",
        )
    },
)


def _threshold_values(
    info: lowback.catalog.thresholds.ThresholdInfo,
) -> st.SearchStrategy[Any]:
    if info.integer:
        return st.integers(int(info.low), int(info.high))
    return st.floats(info.low, info.high, allow_nan=False)


#: Any thresholds an app may legally configure.
thresholds: st.SearchStrategy[Thresholds] = st.fixed_dictionaries(
    {info.name: _threshold_values(info) for info in Thresholds.describe()}
).map(lambda kw: Thresholds(**kw))


def clear_intake(**changes: Any) -> Intake:
    """A plain muscle-dominant intake with no flags: triage gives self-care."""
    base = Intake(
        age=44,
        duration_days=10,
        onset=Onset.GRADUAL,
        pain_now=6,
        pain_worst_24h=7,
        pain_regions=(BodyRegion.LOW_BACK, BodyRegion.BUTTOCK),
        pain_side=Side.LEFT,
        pain_qualities=(PainQuality.ACHE, PainQuality.TIGHTNESS),
        pressing_reproduces_pain=Answer.YES,
        eases_with_movement=Answer.YES,
        worse_with_sustained_posture=Answer.YES,
        muscle_spasm_or_stuck=Answer.NO,
        leg_pain_below_knee=Answer.NO,
        numbness_or_tingling_in_a_line=Answer.NO,
        leg_or_foot_weakness=Answer.NO,
        red_flags=RedFlagAnswers.all_no(),
        frequent_flare_ups=Answer.NO,
        fear_of_movement=Answer.NO,
        rest_without_relief=Answer.NO,
    )
    return attrs.evolve(base, **changes)


# --- Answer sites: every yes/no/unknown question in an intake, by JSON path ---
# (used by the triage property tests to flip one answer at a time).


def answer_paths(intake: Intake) -> tuple[str, ...]:
    """JSON paths of every question in *intake* that holds an Answer.

    In intake field order (the red flags where ``red_flags`` sits, in flag
    order), then each self-check's observations in field order, then the
    STarT Back items.
    """
    paths: list[str] = []
    for field in attrs.fields(Intake):
        if field.name == "red_flags":
            paths += [f"$.red_flags.{flag.value}" for flag in RedFlag]
        elif isinstance(getattr(intake, field.name), Answer):
            paths.append(f"$.{field.name}")
    for index, result in enumerate(intake.self_checks):
        paths += [
            f"$.self_checks[{index}].{field.name}"
            for field in attrs.fields(type(result))
            if isinstance(getattr(result, field.name), Answer)
        ]
    if intake.start_back is not None:
        paths += [
            f"$.start_back.{field.name}"
            for field in attrs.fields(type(intake.start_back))
            if isinstance(getattr(intake.start_back, field.name), Answer)
        ]
    return tuple(paths)


def _split(path: str) -> tuple[str, int | None, str]:
    """Split a path into (``""``/``"red_flags"``/``"self_checks"``/``"start_back"``, index, name)."""
    parts = path.removeprefix("$.").split(".")
    if len(parts) == 1:
        return "", None, parts[0]
    head, name = parts
    if head in {"red_flags", "start_back"}:
        return head, None, name
    return "self_checks", int(head.removeprefix("self_checks[").rstrip("]")), name


def answer_at(intake: Intake, path: str) -> Any:
    """The value at an answer *path* of *intake*."""
    where, index, name = _split(path)
    if where == "red_flags":
        return getattr(intake.red_flags, name)
    if where == "start_back":
        return getattr(intake.start_back, name)
    if where == "self_checks":
        assert index is not None
        return getattr(intake.self_checks[index], name)
    return getattr(intake, name)


def with_answer(intake: Intake, path: str, answer: Answer) -> Intake:
    """*intake* with the question at *path* answered *answer*."""
    where, index, name = _split(path)
    change: dict[str, Any] = {name: answer}
    if where == "red_flags":
        return attrs.evolve(intake, red_flags=attrs.evolve(intake.red_flags, **change))
    if where == "start_back":
        assert intake.start_back is not None
        return attrs.evolve(
            intake, start_back=attrs.evolve(intake.start_back, **change)
        )
    if where == "self_checks":
        assert index is not None
        checks = list(intake.self_checks)
        checks[index] = attrs.evolve(checks[index], **change)
        return attrs.evolve(intake, self_checks=tuple(checks))
    return attrs.evolve(intake, **change)


# --- Progression events and journals (lowback.catalog.events) -----------------------

#: The nerve-feature questions a check-in may ask.
_ASKED_NERVE = (
    "leg_pain_below_knee",
    "numbness_or_tingling_in_a_line",
    "leg_or_foot_weakness",
)
#: Mostly not asked; when asked, mostly ``no``.
_asked = st.one_of(st.none(), st.none(), mostly_no)

asked_red_flags: st.SearchStrategy[lowback.AskedRedFlags] = st.fixed_dictionaries(
    {f.value: _asked for f in RedFlag}
).map(lambda kw: lowback.AskedRedFlags(**kw))
asked_nerve_features: st.SearchStrategy[lowback.AskedNerveFeatures] = (
    st.fixed_dictionaries(dict.fromkeys(_ASKED_NERVE, _asked)).map(
        lambda kw: lowback.AskedNerveFeatures(**kw)
    )
)
exercises_done: st.SearchStrategy[lowback.ExerciseDone] = st.builds(
    lowback.ExerciseDone,
    exercise=st.sampled_from(lowback.ExerciseId),
    sets=st.integers(0, 4),
    reps=st.integers(0, 20),
    hold_seconds=st.none() | st.floats(0.0, 60.0, allow_nan=False),
)
event_dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 1, 1))
#: Usually no new symptom, sometimes one.
new_symptoms = st.one_of(
    st.just(()),
    st.just(()),
    st.just(()),
    unique_tuples(st.sampled_from(lowback.NerveFeature), 2),
)


def session_logs(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[lowback.SessionLogged]:
    """Sessions with any pains, exercises and (rarely) new symptoms."""
    return st.builds(
        lowback.SessionLogged,
        date=date,
        exercises=st.lists(exercises_done, max_size=6).map(tuple),
        pain_before=pain,
        pain_during_max=pain,
        pain_after=pain,
        completed=st.booleans(),
        new_symptoms=new_symptoms,
    )


def check_ins(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[lowback.CheckIn]:
    """Check-ins; screening questions are mostly not asked."""
    return st.builds(
        lowback.CheckIn,
        date=date,
        pain_now=pain,
        morning_pain=pain,
        very_tired=mostly_no,
        red_flags=asked_red_flags,
        nerve_features=asked_nerve_features,
    )


def self_check_records(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[lowback.SelfCheckRecorded]:
    """Repeated self-checks."""
    return st.builds(lowback.SelfCheckRecorded, date=date, results=self_check_lists)


_clinician_text = st.text(max_size=20)


def clinician_clearances(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[lowback.ClinicianCleared]:
    """Clearances to resume at any stage."""
    return st.builds(
        lowback.ClinicianCleared,
        date=date,
        clinician=_clinician_text,
        note=_clinician_text,
        resume_stage=st.sampled_from(lowback.Stage),
    )


def clinician_overrides(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[lowback.ClinicianOverride]:
    """Overrides to any stage."""
    return st.builds(
        lowback.ClinicianOverride,
        date=date,
        clinician=_clinician_text,
        reason=_clinician_text,
        stage=st.sampled_from(lowback.Stage),
    )


def outcome_records(date: st.SearchStrategy[dt.date]) -> st.SearchStrategy[Any]:
    """An ``outcome_recorded`` event; PSFS always rates the same two activities,
    so any follow-up re-rates its baseline."""
    answers = st.deferred(lambda: journal_outcome_answers)
    return st.builds(
        lambda day, given: lowback.OutcomeRecorded(
            date=day, measure=given.measure, answers=given
        ),
        date,
        answers,
    )


_EVENT_MAKERS: tuple[Any, ...] = (
    session_logs,
    check_ins,
    session_logs,
    check_ins,
    self_check_records,
    clinician_clearances,
    clinician_overrides,
    outcome_records,
)


def plan_events(
    date: st.SearchStrategy[dt.date] = event_dates,
) -> st.SearchStrategy[Any]:
    """Any event but ``PlanStarted``, sessions and check-ins the most common."""
    return st.one_of(*(make(date) for make in _EVENT_MAKERS))


#: Any event but ``PlanStarted``, on a day :func:`journals` then replaces. One
#: strategy, built once: a new one per event (``plan_events(st.just(day))``)
#: made Hypothesis build and validate it again every time, most of a
#: journal's drawing time.
_undated_events = plan_events(st.just(dt.date(2024, 1, 1)))


@st.composite
def journals(draw: st.DrawFn, max_events: int = 30) -> tuple[Any, ...]:
    """A journal: ``PlanStarted`` then events on days that never go back."""
    day = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 1, 1)))
    intake = draw(
        st.one_of(st.just(clear_intake()), st.just(clear_intake(pain_now=3)), intakes)
    )
    events: list[Any] = [lowback.PlanStarted(date=day, intake=intake)]
    for _ in range(draw(st.integers(0, max_events))):
        day += dt.timedelta(days=draw(st.sampled_from((0, 1, 1, 1, 2, 3, 8))))
        events.append(attrs.evolve(draw(_undated_events), date=day))
    return tuple(events)


# --- wire contract (serialization) ---------------------------------------

from lowback import (  # noqa: E402 - appended section, kept apart for easy merges
    RULES,
    Disposition,
    FiredRule,
    HoldDirection,
    MuscleGroup,
    PainPattern,
    PlanStatus,
    SelfCheckFinding,
    Stage,
    TriageResult,
)
from lowback.catalog.rules import Check, CheckOutcome  # noqa: E402 - appended section

#: A rule from the catalog, as results report it.
fired_rules: st.SearchStrategy[FiredRule] = st.sampled_from(sorted(RULES)).map(
    FiredRule.of
)
#: Short printable text, including non-ASCII letters.
wire_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)

#: Any well-typed TriageResult (not necessarily one triage would give).
fact_values = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | wire_text
)
#: Any explained check (spec 5.3), as a result or decision lists them.
checks: st.SearchStrategy[Check] = st.builds(
    Check,
    id=wire_text,
    outcome=st.sampled_from(CheckOutcome),
    facts=st.dictionaries(wire_text, fact_values, max_size=4),
)

_CALM, _MOBILITY = Stage.CALM_AND_UNLOAD, Stage.RESTORE_MOBILITY
#: (disposition, entry_stage, plan_status) a result may hold (spec 2, 5.1).
_CONSISTENT_PLANS = (
    (Disposition.EMERGENCY, None, None),
    (Disposition.URGENT, None, None),
    (Disposition.MEDICAL_REVIEW, None, None),
    (Disposition.MEDICAL_REVIEW, _CALM, PlanStatus.PAUSED),
    (Disposition.PHYSIO_REFERRAL, _CALM, PlanStatus.ACTIVE),
    (Disposition.PHYSIO_REFERRAL, _MOBILITY, PlanStatus.ACTIVE),
    (Disposition.SELF_CARE, _CALM, PlanStatus.ACTIVE),
    (Disposition.SELF_CARE, _MOBILITY, PlanStatus.ACTIVE),
)


def _triage_results(
    disposition: Disposition, stage: Stage | None, status: PlanStatus | None
) -> st.SearchStrategy[TriageResult]:
    return _any_triage_result(
        disposition=st.just(disposition),
        entry_stage=st.just(stage),
        plan_status=st.just(status),
    )


_any_triage_result = functools.partial(
    st.builds,
    TriageResult,
    pain_pattern=st.sampled_from(PainPattern),
    red_flags=unique_tuples(st.sampled_from(RedFlag), 3),
    unknown_answers=st.lists(wire_text, max_size=3).map(tuple),
    findings=unique_tuples(st.sampled_from(SelfCheckFinding), 3),
    implicated_muscles=unique_tuples(st.sampled_from(MuscleGroup), 3),
    stop_reasons=unique_tuples(st.sampled_from(StopReason), 2),
    hold_direction=st.none() | st.sampled_from(HoldDirection),
    rules=st.lists(fired_rules, max_size=4).map(tuple),
    ruleset_version=wire_text,
    safety_net=wire_text,
    safety_net_message=wire_text,
    safety_net_messages=st.lists(wire_text, max_size=2).map(tuple),
    checks=st.lists(checks, max_size=3).map(tuple),
)

#: Any well-typed TriageResult with a consistent plan (one strategy per plan,
#: built once: a ``flatmap`` would build and validate one per draw).
triage_results: st.SearchStrategy[TriageResult] = st.one_of(
    *(_triage_results(*plan) for plan in _CONSISTENT_PLANS)
)

#: Any JSON value (what ``json.loads`` can return), small and shallow.
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | wire_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(wire_text, children, max_size=4)
    ),
    max_leaves=12,
)

# --- v2: remembered history flags (PR-HISTORY) ---------------------------

#: Any remembered intake history flags.
history_flags: st.SearchStrategy[lowback.HistoryFlags] = st.fixed_dictionaries(
    {f.value: mostly_no for f in lowback.catalog.intake.HISTORY_FLAGS}
).map(lambda kw: lowback.HistoryFlags(**kw))


# --- Outcome measures (clinical-spec 6.1) ---------------------------------

from lowback.catalog.outcomes import (  # noqa: E402 - grouped with their strategies
    INSTRUMENTS,
    Measure,
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsActivity,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
)

nprs_answers = st.builds(NprsAnswers, score=pain)
#: ODI sections, some left out (``None``) now and then.
odi_answers = st.fixed_dictionaries(
    {
        key: st.one_of(st.integers(0, 5), st.integers(0, 5), st.none())
        for key in INSTRUMENTS[Measure.ODI].items
    }
).map(lambda kw: OdiAnswers(**kw))
rmdq_answers = st.builds(RmdqAnswers, ticked=unique_tuples(st.integers(1, 24), 24))
#: App keys for PSFS activities.
psfs_keys = st.sampled_from(
    ("stairs", "gardening", "lifting", "driving", "running", "sitting")
)
psfs_answers = st.lists(
    st.builds(PsfsActivity, activity=psfs_keys, score=pain),
    min_size=1,
    max_size=5,
    unique_by=lambda a: a.activity,
).map(lambda items: PsfsAnswers(activities=tuple(items)))
peg_answers = st.builds(PegAnswers, pain=pain, enjoyment=pain, general_activity=pain)


def _start_back(kw: dict[str, Any]) -> StartBackAnswers:
    return StartBackAnswers(**kw)


#: STarT Back answers, usually complete, sometimes with items not answered.
start_back_answers: st.SearchStrategy[StartBackAnswers] = st.fixed_dictionaries(
    {
        **dict.fromkeys(
            INSTRUMENTS[Measure.START_BACK].items[:8],
            st.sampled_from(
                (Answer.YES, Answer.NO, Answer.YES, Answer.NO, Answer.UNKNOWN)
            ),
        ),
        "bothersomeness": st.one_of(st.integers(0, 4), st.integers(0, 4), st.none()),
    }
).map(_start_back)
#: Complete STarT Back answers (every item yes or no, bothersomeness given).
complete_start_back_answers: st.SearchStrategy[StartBackAnswers] = (
    st.fixed_dictionaries(
        {
            **{
                key: st.sampled_from((Answer.YES, Answer.NO))
                for key in INSTRUMENTS[Measure.START_BACK].items[:8]
            },
            "bothersomeness": st.integers(0, 4),
        }
    ).map(_start_back)
)
#: Answer records of every measure.
outcome_answers = st.one_of(
    nprs_answers,
    odi_answers,
    rmdq_answers,
    psfs_answers,
    peg_answers,
    start_back_answers,
)
#: Outcome answers that can follow each other in one journal (PSFS over a
#: fixed pair of activities).
journal_outcome_answers = st.one_of(
    nprs_answers,
    odi_answers,
    rmdq_answers,
    peg_answers,
    start_back_answers,
    st.builds(
        lambda a, b: PsfsAnswers(
            activities=(
                PsfsActivity(activity="stairs", score=a),
                PsfsActivity(activity="garden", score=b),
            )
        ),
        pain,
        pain,
    ),
)
