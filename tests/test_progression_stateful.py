"""A stateful test: random journals against a small, independent model of the plan.

Hypothesis drives the engine with sessions, check-ins, red flags, new
symptoms, self-checks, clearances (some acknowledging nerve features),
overrides, outcome records and gaps of random length, from plans started
with and without remembered history flags (PR-HISTORY). A small model,
written from clinical-spec.md sections 2-5 and sharing no code with the
engine, predicts after every event:

- the action, the stage and the status;
- the pause kind and the care to seek (``seek_care``): the widened
  PR-REDFLAG (the triage red-flag rules, combinations included, over the
  day's answers and the remembered history), "not sure" on a cauda equina
  flag, escalation of an ``urgent`` pause, a red flag beside a new nerve
  feature, PR-ACK, PR-OUTCOME-WORSE and RT-NO-PROGRESS, and a clearance's
  reset (which never erases the history);
- every advance, the gates of all four stages included.

After every step the engine's decision and state must equal the model's
prediction, and the safety invariants 6-10 and 14-17 of clinical-spec.md
are checked.

Runtime: ``max_examples=100`` with ``stateful_step_count=60`` in every
profile (the ci profile's 1000 examples would take minutes here).
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any

import attrs
import hypothesis
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import lowback
import strategies as sts
from lowback import (
    Action,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Decision,
    Disposition,
    ExerciseDone,
    ExerciseId,
    Measure,
    NprsAnswers,
    OutcomeRecorded,
    PauseKind,
    PlanState,
    PlanStatus,
    RedFlag,
    SelfCheckRecorded,
    SessionLogged,
    Stage,
    Thresholds,
    start_plan,
    step,
)
from lowback.catalog.symptoms import NerveFeature
from lowback.engine.load import within_cap
from progression_helpers import DAY0, done, triage_result

T = Thresholds()
_E, _F = Disposition.EMERGENCY, Disposition.URGENT
_YES, _NO, _UNSURE = Answer.YES, Answer.NO, Answer.UNKNOWN

# --- the spec's red-flag groups (clinical-spec.md 1.4, 2 and 5.1) -------------

#: RF-CES: the cauda equina flags.
CES = frozenset(
    {
        RedFlag.BLADDER_OR_BOWEL_CHANGE,
        RedFlag.SADDLE_NUMBNESS,
        RedFlag.BILATERAL_LEG_SYMPTOMS,
    }
)
DEFICIT = RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT
#: RF-MSCC, RF-INF-NEURO (widened) and RF-FX-NEURO (widened): a flag of these
#: beside a nerve feature or a worsening deficit is an emergency; answered
#: "not sure" beside one, or yes beside an unsure nerve answer, it is urgent
#: (RF-UNKNOWN-COMBO: "a cancer, infection, fever or trauma flag").
COMBO = frozenset(
    {
        RedFlag.CANCER_HISTORY,
        RedFlag.FEVER_OR_UNWELL,
        RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
        RedFlag.SIGNIFICANT_TRAUMA,
        RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
    }
)
#: RF-UNKNOWN-COMBO's "not sure" flags: these and unexplained weight loss, a
#: cancer flag (lowback's safer reading, spec 1 lists it under malignancy).
UNSURE_COMBO = COMBO | {RedFlag.UNEXPLAINED_WEIGHT_LOSS}
#: PR-HISTORY: the intake's history flags the plan remembers.
HISTORY = (
    RedFlag.CANCER_HISTORY,
    RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
    RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
    RedFlag.SIGNIFICANT_TRAUMA,
)
WEAKNESS = NerveFeature.LEG_OR_FOOT_WEAKNESS
#: The stopped self-checks the spec counts as a nerve feature (2, SC-STOP).
NERVE_STOPS = frozenset({"strong_leg_symptoms", "sharp_shooting_pain"})

#: Dispositions most urgent first (spec 1.5), for the model's own comparisons.
ORDER = (
    Disposition.EMERGENCY,
    Disposition.URGENT,
    Disposition.MEDICAL_REVIEW,
    Disposition.PHYSIO_REFERRAL,
    Disposition.SELF_CARE,
)


def worst(*levels: Disposition | None) -> Disposition | None:
    """The most urgent of *levels*, ``None`` when there is none."""
    given = [d for d in levels if d is not None]
    return min(given, key=ORDER.index) if given else None


# --- the catalog's exercise data the gates read (spec 1.9) --------------------

_PLANS, _EXERCISES, _KIND = lowback.STAGE_PLANS, lowback.EXERCISES, lowback.ExerciseKind
#: PR-GATE-2: the stage-2 mobility work (its mobility exercises and stretches).
MOBILITY = frozenset(
    e
    for e in _PLANS[Stage.RESTORE_MOBILITY].exercises
    if _EXERCISES[e].kind in {_KIND.MOBILITY, _KIND.STRETCH}
)
#: PR-GATE-3: each stage-3 strength exercise and its target dose (the
#: catalog's goal: the bottom of "2-3 sets x 8-15 reps").
TARGETS = tuple(
    (e, _EXERCISES[e].goal)
    for e in _PLANS[Stage.STRENGTHEN_AND_COORDINATE].exercises
    if _EXERCISES[e].kind is _KIND.STRENGTH
)
#: PR-GATE-4's "daily habits in place": the stage-4 habits a session logs.
#: lowback reads it narrowly: desk breaks or hip-hinge lifting logged in the
#: window (not the planned regular activity, not the sleep position).
HABITS = (ExerciseId.DESK_BREAKS, ExerciseId.HIP_HINGE_LIFTING)


def at_goal(e: ExerciseId) -> ExerciseDone:
    goal = _EXERCISES[e].goal
    return ExerciseDone(
        exercise=e, sets=goal.sets, reps=goal.reps or 1, hold_seconds=goal.hold_seconds
    )


def as_started(e: ExerciseId) -> ExerciseDone:
    start = _EXERCISES[e].start
    return ExerciseDone(
        exercise=e,
        sets=start.sets,
        reps=start.reps or 1,
        hold_seconds=start.hold_seconds,
    )


@attrs.frozen
class Logged:
    """What the model remembers of a session that counts toward PR-ADVANCE."""

    date: dt.date
    during: int
    green: bool
    mobility: bool
    habits: bool
    on_target: bool


@attrs.define
class Model:
    """What the plan should be, tracked without the engine's code.

    The stage, the status, the pause kind and the care to seek; the
    remembered history (PR-HISTORY) and the acknowledged nerve features
    (PR-ACK); and everything an advance reads (spec 3 PR-ADVANCE, the four
    gates, 5.2 PR-GAP and PR-TIRED): the sessions counted since the stage was
    entered or since the last 7-day gap, morning pain settled or not and at
    what level, the last tired day, pain now and since when it has stayed at
    or below PR-GATE-4's level, the latest endurance hold, the NPRS outcome
    baseline and the last day an outcome was worse.
    """

    started: dt.date
    stage: int
    paused: bool
    kind: PauseKind | None
    seek: Disposition | None
    history: dict[RedFlag, Answer]
    acknowledged: frozenset[NerveFeature] = frozenset()
    last_regression: dt.date | None = None
    window: list[Logged] = attrs.Factory(list)
    settled: bool = True
    settled_pain: int = 0
    last_morning: int | None = None
    tired_on: dt.date | None = None
    pain_now: int = 0
    low_since: dt.date | None = None
    last_session: dt.date | None = None
    endurance: float | None = None
    #: The back extension is out (LD-CAUTION: a pinch on the backward lean,
    #: until a clearance), so PR-GATE-3 does not ask for it.
    no_extension: bool = False
    nprs_baseline: int | None = None
    worse_on: dt.date | None = None
    #: The action the model predicts for the event just applied.
    action: Action | None = None

    # --- stages and pauses -------------------------------------------------

    def enter(self, stage: int) -> None:
        """A stage entered: no session of it counted yet."""
        self.stage, self.window = stage, []

    def pause(self, care: Disposition | None) -> None:
        """Pause to seek *care*, or for review; never relax an earlier pause."""
        self.paused = True
        if care is not None:
            self.kind = PauseKind.SEEK_CARE
            self.seek = worst(care, self.seek)
        elif self.kind is None:
            self.kind = PauseKind.REVIEW

    def reset(self, care: Disposition | None) -> None:
        """PR-NERVE: back to stage 1 and paused (for *care*, or for review)."""
        self.enter(1)
        self.pause(care)
        self.action = Action.RESET

    def pain(self, pain: int, date: dt.date) -> None:
        """A reported pain now; PR-GATE-4 counts the days it stays low."""
        self.pain_now = pain
        if pain > T.gate4_pain:
            self.low_since = None
        elif self.low_since is None:
            self.low_since = date

    # --- PR-HISTORY and PR-REDFLAG (widened) --------------------------------

    def remembered(self, date: dt.date) -> tuple[set[RedFlag], set[RedFlag]]:
        """The history flags remembered yes and "not sure" on *date*.

        ``significant_trauma`` counts for 90 days [H] from the plan's start,
        the others for the plan's whole life.
        """
        yes: set[RedFlag] = set()
        unsure: set[RedFlag] = set()
        for flag, answer in self.history.items():
            if (
                flag is RedFlag.SIGNIFICANT_TRAUMA
                and (date - self.started).days >= T.trauma_memory_days
            ):
                continue
            if answer is _YES:
                yes.add(flag)
            elif answer is _UNSURE:
                unsure.add(flag)
        return yes, unsure

    def care(  # noqa: PLR0911 - one return per rule, in the spec's order
        self,
        date: dt.date,
        flags_yes: frozenset[RedFlag] = frozenset(),
        flags_unsure: frozenset[RedFlag] = frozenset(),
        *,
        nerve: bool,
        nerve_unsure: bool = False,
        new_weakness: bool = False,
    ) -> Disposition | None:
        """The care the triage red-flag rules give the day: emergency, urgent or none.

        Combinations read the day's answers with the remembered history; a
        history flag alone does not pause again (a clinician has seen it).
        *nerve* counts every nerve feature reported, acknowledged or not: a
        clearance acknowledges a feature, not its combination with a flag.
        """
        hist_yes, hist_unsure = self.remembered(date)
        combo_yes = (flags_yes | hist_yes) & COMBO
        combo_unsure = (flags_unsure | hist_unsure) & UNSURE_COMBO
        neuro = nerve or DEFICIT in flags_yes
        if flags_yes & CES:
            return _E  # RF-CES
        if combo_yes and neuro:
            return _E  # RF-MSCC, RF-INF-NEURO, RF-FX-NEURO
        if flags_yes:
            return _F  # RF-DEFICIT, RF-TRAUMA, RF-INF, RF-CANCER
        if flags_unsure & CES:
            return _F  # "not sure" on a CES flag (spec 5.2)
        if combo_unsure and neuro:
            return _F  # RF-UNKNOWN-COMBO
        if combo_yes and (nerve_unsure or DEFICIT in flags_unsure):
            return _F  # RF-UNKNOWN-COMBO (safer reading: unsure deficit too)
        if new_weakness:
            return _F  # NV-WEAKNESS, unless acknowledged (PR-ACK)
        return None

    # --- PR-ADVANCE ----------------------------------------------------------

    def advance_window(self) -> list[Logged]:
        """The last N sessions, reaching back until they span M days."""
        w = self.window
        start = max(0, len(w) - T.advance_sessions)
        while start > 0 and (w[-1].date - w[start].date).days < T.advance_span_days:
            start -= 1
        return w[start:]

    def may_advance(self, date: dt.date) -> bool:
        """Every condition of PR-ADVANCE and the stage's gate, from the model alone."""
        w = self.advance_window()
        if len(w) < T.advance_sessions:
            return False
        conditions = (
            (w[-1].date - w[0].date).days >= T.advance_span_days
            and self.settled
            and all(s.green for s in w)
            and w[-1].during <= w[0].during
            and (
                self.last_regression is None
                or (date - self.last_regression).days >= T.regression_cooldown_days
            )
            # PR-TIRED and PR-OUTCOME-WORSE: not on such a day
            and date not in {self.tired_on, self.worse_on}
        )
        if not conditions:
            return False
        gate = self.gate(date, w)
        hypothesis.event(f"stage {self.stage} gate {'met' if gate else 'unmet'}")
        return gate

    def gate(self, date: dt.date, w: list[Logged]) -> bool:
        """PR-GATE-1..4 of the stage being left; stage 5 has no gate."""
        if self.stage == 1:  # pain now <= 4 (narrowed, spec 5.2)
            return self.pain_now <= T.gate1_pain
        if self.stage == 2:  # mobility work done with pain <= 3 each session
            return all(s.mobility for s in w)
        if self.stage == 3:  # target dose reached; endurance >= 10 s if re-checked
            return w[-1].on_target and (
                self.endurance is None or self.endurance >= T.gate3_endurance_seconds
            )
        if self.stage == 4:  # pain <= 2 over 14 days with habits in place
            return (
                self.low_since is not None
                and (date - self.low_since).days >= T.gate4_days
                and any(s.habits for s in w)
            )
        return False


def _nprs_improved(baseline: int, latest: int) -> bool:
    """OM-MIC for NPRS: better by the MIC or by 30 % of baseline."""
    better = baseline - latest
    return better > 0 and (better >= T.mic_nprs or 10 * better >= 3 * baseline)


_SESSION_EXTRAS = st.sampled_from(("planned",) * 4 + ("target", "habits", "both"))


class PlanMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.initial: PlanState | None = None
        self.state: PlanState | None = None
        self.before: PlanState | None = None
        self.decision: Decision | None = None
        self.event: Any = None
        self.events: list[Any] = []
        self.model = Model(
            started=DAY0, stage=1, paused=False, kind=None, seek=None, history={}
        )
        self.today = DAY0
        self.spike = False
        self.result: Any = None
        self.entry_pain = 0
        #: Invariant 14: the least care the event just applied must give.
        self.floor: Disposition | None = None
        #: Invariant 17: the sessions since the last 7-day gap or stage entry,
        #: and those of the last advance.
        self.since_gap: list[dt.date] = []
        self.advanced_on: list[dt.date] = []

    @initialize(
        entry=st.sampled_from((Stage.CALM_AND_UNLOAD, Stage.RESTORE_MOBILITY)),
        status=st.sampled_from(
            (PlanStatus.ACTIVE, PlanStatus.ACTIVE, PlanStatus.PAUSED)
        ),
        pain=st.integers(0, 10),
        history=st.tuples(
            *(st.sampled_from((_NO,) * 6 + (_YES, _UNSURE)) for _ in HISTORY)
        ),
        then=st.sampled_from(
            (None, None, Stage.STRENGTHEN_AND_COORDINATE, Stage.INTEGRATE)
        ),
    )
    def start(
        self,
        entry: Stage,
        status: PlanStatus,
        pain: int,
        history: tuple[Answer, ...],
        then: Stage | None,
    ) -> None:
        remembered = dict(zip(HISTORY, history, strict=True))
        yes = tuple(f for f in RedFlag if remembered.get(f) is _YES)
        unsure = tuple(f for f in RedFlag if remembered.get(f) is _UNSURE)
        m = Model(
            started=DAY0,
            stage=1,
            paused=True,
            kind=PauseKind.REVIEW,
            seek=None,
            history=remembered,
            settled_pain=pain,
        )
        # The triage result these answers give (spec 2): a history flag yes is
        # urgent and starts no plan (RF-CANCER, RF-INF, RF-TRAUMA); "not
        # sure" is a medical review (RF-UNKNOWN), paused at stage 1.
        if yes:
            result = triage_result(Disposition.URGENT, None, None)
            m.kind, m.seek = PauseKind.SEEK_CARE, Disposition.URGENT
        elif unsure or status is PlanStatus.PAUSED:
            result = triage_result(
                Disposition.MEDICAL_REVIEW, Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED
            )
        else:
            result = triage_result(Disposition.SELF_CARE, entry, PlanStatus.ACTIVE)
            m.stage, m.paused, m.kind = entry.number, False, None
        result = attrs.evolve(
            result,
            red_flags=yes,
            unknown_answers=tuple(f"$.red_flags.{f.value}" for f in unsure),
        )
        self.result, self.entry_pain = result, pain
        self.state, self.decision = start_plan(result, date=DAY0, entry_pain=pain)
        self.initial = self.state
        # The intake's pain is pain now for PR-GATE-1; PR-GATE-4's 14 low days
        # count from the first report after the start (the cautious reading).
        m.pain_now = pain
        m.action = Action.PAUSE if m.paused else Action.START
        self.model = m
        self.matches_the_model()
        if then is not None:
            # A clinician sets a later stage on day one, so that the gates of
            # stages 3 and 4 are reached often within the run's steps.
            self.override(then)

    # --- driving the engine ---------------------------------------------------

    def apply(self, event: Any, *, spike: bool = False) -> None:
        assert self.state is not None
        self.before = self.state
        self.event = event
        self.spike = spike
        self.floor = None
        self.state, self.decision = step(self.state, event)
        self.events.append(event)
        self.model.action = None

    @rule(gap=st.sampled_from((0, 1, 1, 2, 3, 8, 15, 40, 60)))
    def wait(self, gap: int) -> None:
        self.today += dt.timedelta(days=gap)

    def log_green_session(self, before: int, extras: str) -> None:
        """A completed session with pain 1 during and after, settled, no new symptom."""
        self.log_session(
            before=before,
            during=1,
            after=1,
            completed=True,
            calm=True,
            new=(),
            extras=extras,
        )

    @rule(
        before=st.integers(0, 10),
        during=st.integers(0, 10),
        after=st.integers(0, 10),
        completed=st.booleans(),
        calm=st.integers(0, 3).map(bool),
        new=st.one_of(
            st.just(()), st.just(()), st.just(()), st.just(()),
            sts.unique_tuples(st.sampled_from(NerveFeature), 2),
        ),
        extras=_SESSION_EXTRAS,
    )  # fmt: skip
    def log_session(  # noqa: PLR0917 - one argument per drawn field
        self,
        before: int,
        during: int,
        after: int,
        completed: bool,
        calm: bool,
        new: tuple[NerveFeature, ...],
        extras: str = "planned",
    ) -> None:
        assert self.state is not None
        if calm:  # often a green session, so that advancing is exercised
            # pain before up to 5: either side of the stage-1 gate (<= 4)
            before, during, after = min(before, 5), min(during, 2), min(after, 2)
            new = ()
        done_ = {x.exercise: x for x in done(self.state)}
        if extras in {"target", "both"}:  # the stage-3 target dose (PR-GATE-3)
            done_ |= {e: at_goal(e) for e, _ in TARGETS}
        if extras in {"habits", "both"}:  # the stage-4 habits (PR-GATE-4)
            done_ |= {e: as_started(e) for e in HABITS}
        event = SessionLogged(
            date=self.today,
            exercises=tuple(done_.values()),
            pain_before=before,
            pain_during_max=during,
            pain_after=after,
            completed=completed or calm,
            new_symptoms=new,
        )
        m = self.model
        date = self.today
        reported = frozenset(new)
        unacknowledged = reported - m.acknowledged
        care = m.care(
            date, nerve=bool(reported), new_weakness=WEAKNESS in unacknowledged
        )
        spike = during > T.max_pain_during or after >= before + T.spike_pain_rise
        self.apply(event, spike=spike and not unacknowledged and care is None)
        self.floor = self.history_floor(date, nerve=bool(reported), deficit=False)
        m.pain(before, date)
        gap = m.last_session is not None and (date - m.last_session).days >= T.gap_days
        m.last_session = date
        if unacknowledged or care is not None:
            # PR-NERVE, or an acknowledged feature that a remembered history
            # flag makes a red-flag combination: a session's symptoms reset.
            m.reset(care)
            self.since_gap = []
        elif spike:
            self.regress(date)
        else:
            if gap:  # PR-GAP: the sessions before the gap no longer count
                m.window = []
                self.since_gap = []
            names = {x.exercise: x for x in event.exercises}
            m.window.append(
                Logged(
                    date=date,
                    during=during,
                    green=event.completed and during <= T.green_zone_pain and m.settled,
                    mobility=not MOBILITY.isdisjoint(names),
                    habits=not set(HABITS).isdisjoint(names),
                    on_target=all(
                        e in names
                        and names[e].sets >= goal.sets
                        and names[e].reps >= (goal.reps or 0)
                        for e, goal in TARGETS
                        if not (m.no_extension and e is ExerciseId.BACK_EXTENSION)
                    ),
                )
            )
            self.since_gap.append(date)
            if not m.paused and m.stage < 5 and m.may_advance(date):
                hypothesis.event(f"advanced from stage {m.stage}")
                m.enter(m.stage + 1)
                self.advanced_on, self.since_gap = self.since_gap, []
                m.action = Action.ADVANCE
            else:
                m.action = Action.HOLD
        self.matches_the_model()

    def regress(self, date: dt.date) -> None:
        """PR-SPIKE: down one stage (never below 1), paused or not."""
        m = self.model
        m.enter(max(1, m.stage - 1))
        m.last_regression = date
        m.action = Action.REGRESS
        self.since_gap = []

    def history_floor(
        self, date: dt.date, *, nerve: bool, deficit: bool
    ) -> Disposition | None:
        """Invariant 14's floor: a remembered history flag with a new nerve
        feature or deficit is never below urgent."""
        yes, unsure = self.model.remembered(date)
        return _F if (yes or unsure) and (nerve or deficit) else None

    @rule()
    def green_session_two_days_later(self) -> None:
        """A green session two days on: strings of these earn advances."""
        self.today += dt.timedelta(days=2)
        self.log_session(before=1, during=1, after=1, completed=True, calm=True, new=())

    @rule(
        extras=st.sampled_from(("target", "habits", "both")),
        days=st.integers(1, 3),
    )
    def green_session_with_extras(self, extras: str, days: int) -> None:
        """A green session a few days on with the stage-3 target or the habits."""
        self.today += dt.timedelta(days=days)
        self.log_green_session(before=1, extras=extras)

    @rule(
        pain=st.integers(0, 10),
        morning=st.integers(0, 10),
        tired=sts.mostly_no,
        flags=sts.asked_red_flags,
        nerve=sts.asked_nerve_features,
        calm=st.integers(0, 3),
    )
    def check_in(  # noqa: PLR0917 - one argument per drawn field
        self,
        pain: int,
        morning: int,
        tired: Answer,
        flags: AskedRedFlags,
        nerve: AskedNerveFeatures,
        calm: int,
    ) -> None:
        assert self.state is not None
        m = self.model
        if calm:  # mostly a quiet day, so that advancing is exercised
            pain, morning, tired = min(pain, 2), min(morning, m.settled_pain), _NO
            flags, nerve = AskedRedFlags(), AskedNerveFeatures()
        event = CheckIn(
            date=self.today,
            pain_now=pain,
            morning_pain=morning,
            very_tired=tired,
            red_flags=flags,
            nerve_features=nerve,
        )
        date = self.today
        flags_yes = frozenset(flags.answered(_YES))
        flags_unsure = frozenset(flags.answered(_UNSURE))
        nerve_yes = frozenset(nerve.answered(_YES))
        nerve_unsure = bool(nerve.answered(_UNSURE))
        unacknowledged = nerve_yes - m.acknowledged
        care = m.care(
            date,
            flags_yes,
            flags_unsure,
            nerve=bool(nerve_yes),
            nerve_unsure=nerve_unsure,
            new_weakness=WEAKNESS in unacknowledged,
        )
        flagged = bool(
            flags_yes or flags_unsure or nerve_unsure or unacknowledged or care
        )
        # PR-SPIKE's morning clause: above the settled level, new or rising.
        rising = m.settled or m.last_morning is None or morning > m.last_morning
        spike = not flagged and morning > m.settled_pain and rising
        self.apply(event, spike=spike)
        floor = self.history_floor(
            date, nerve=bool(nerve_yes), deficit=DEFICIT in flags_yes
        )
        if flags_unsure & CES:
            floor = worst(floor, _F)
        if flags_yes & CES:
            floor = _E
        self.floor = floor
        m.pain(pain, date)
        if tired is not _NO:  # LD-TIRED and PR-TIRED: unknown counts as tired
            m.tired_on = date
        if unacknowledged:
            m.reset(care)  # PR-NERVE, at the care the flags beside it need
            self.since_gap = []
        elif flagged:
            m.pause(care)  # PR-REDFLAG: seek care, or review on "not sure"
            m.action = Action.PAUSE
        elif spike:
            m.settled = False
            self.regress(date)
        elif morning > m.settled_pain:  # LD-SETTLE: a plateau holds
            m.settled = False
            m.action = Action.HOLD
        else:
            m.settled, m.settled_pain = True, morning
            m.action = Action.HOLD
        m.last_morning = morning
        self.matches_the_model()

    @rule(
        sessions=st.integers(3, 6),
        days=st.integers(1, 3),
        extras=st.sampled_from(("planned", "target", "habits", "both")),
        before=st.sampled_from((1, 2, 4, 5)),
    )
    def green_run(self, sessions: int, days: int, extras: str, before: int) -> None:
        """Green sessions every few days, the way a plan earns its advances
        (the later stages need weeks of them). Every invariant is checked
        after each session."""
        for _ in range(sessions):
            self.today += dt.timedelta(days=days)
            self.log_green_session(before=before, extras=extras)
            self.every_invariant()

    def every_invariant(self) -> None:
        """The machine's invariants, for a rule that steps more than once.

        All but invariant 10's replay, which the machine checks after the
        rule over the whole journal (each check replays it all).
        """
        self.stage_moves_at_most_one_step()
        self.never_advance_when_unsafe()
        self.paused_left_only_by_clearance()
        self.volume_capped_and_deloaded()
        self.serious_signs_never_below_urgent()
        self.no_exercise_while_paused_for_care()
        self.no_advance_when_tired_or_across_a_gap()
        self.fast_copies_match_the_constructor()

    @rule(seconds=st.sampled_from((0.0, 9.5, 10.0, 12.0, 30.0)))
    def endurance_recheck(self, seconds: float) -> None:
        """An endurance hold re-checked to completion (PR-GATE-3 reads it)."""
        held = lowback.EnduranceHoldResult(
            hold_seconds=seconds, shaking_early=_NO, cramped=_NO
        )
        self.self_check((held,))

    @rule(pain=st.sampled_from((0, 1, 2, 2, 3, 4, 5)))
    def quiet_check_in(self, pain: int) -> None:
        """A check-in with nothing flagged and morning pain at its settled
        level: pain now alone moves (PR-GATE-1 and PR-GATE-4 read it)."""
        self.today += dt.timedelta(days=1)
        self.check_in(
            pain=pain,
            morning=self.model.settled_pain,
            tired=_NO,
            flags=AskedRedFlags(),
            nerve=AskedNerveFeatures(),
            calm=0,
        )

    @rule(results=sts.self_check_lists)
    def self_check(self, results: tuple[Any, ...]) -> None:
        m = self.model
        date = self.today
        stops = {r.stopped for r in results if r.stopped is not None}
        leg = bool(stops & NERVE_STOPS)
        # A stop for leg symptoms or sharp shooting pain is a nerve feature
        # (spec 2, SC-STOP), graded with the remembered history (PR-REDFLAG).
        care = m.care(date, nerve=leg)
        self.apply(SelfCheckRecorded(date=date, results=results))
        self.floor = self.history_floor(date, nerve=leg, deficit=False)
        for r in results:
            if r.check is lowback.SelfCheck.ENDURANCE_HOLD:
                m.endurance = (
                    0.0 if r.stopped is not None else float(r.hold_seconds or 0)
                )
            if (
                r.check is lowback.SelfCheck.BACKWARD_LEAN
                and r.pinch_in_one_spot is _YES
            ):
                m.no_extension = True  # LD-CAUTION
        if leg:
            m.reset(care)
            self.since_gap = []
        elif stops:  # dizziness or feeling unwell: a review pause
            m.pause(None)
            m.action = Action.PAUSE
        else:
            m.action = Action.HOLD
        self.matches_the_model()

    @rule(
        stage=st.sampled_from(Stage),
        acknowledged=st.one_of(
            st.just(()), st.just(()),
            sts.unique_tuples(st.sampled_from(NerveFeature), 2),
        ),
    )  # fmt: skip
    def clear(self, stage: Stage, acknowledged: tuple[NerveFeature, ...]) -> None:
        event = ClinicianCleared(
            date=self.today,
            clinician="c",
            note="",
            resume_stage=stage,
            acknowledged=acknowledged,
        )
        history = self.state.history if self.state is not None else None
        self.apply(event)
        m = self.model
        if m.paused:
            # PR-CLEAR: the stage is entered afresh, the latest morning pain
            # becomes the settled level, and the pause, its care and the
            # dropped exercises are reset; the history is not (PR-HISTORY).
            m.enter(stage.number)
            if m.last_morning is not None:
                m.settled_pain = m.last_morning
            m.settled = True
            m.paused, m.kind, m.seek = False, None, None
            m.action = Action.RESUME
            self.since_gap = []
        else:  # a clearance of an active plan acts as an override
            if m.stage != stage.number:
                m.enter(stage.number)
                self.since_gap = []
            m.action = Action.OVERRIDE
        m.acknowledged = frozenset(acknowledged)
        m.no_extension = False  # a clearance brings the back extension back
        self.matches_the_model()
        assert self.state is not None
        assert self.state.history == history
        if m.action is Action.RESUME:
            assert self.state.dropped == frozenset()
        self.same_care_as_a_fresh_clearance(event)

    def same_care_as_a_fresh_clearance(self, clearance: ClinicianCleared) -> None:
        """Invariant 15: "A clinician's clearance never erases a history flag:
        the same check-in gives the same `seek_care` before and after a
        clearance."

        Leg weakness that is getting worse, today, after this plan's
        clearances, needs the same care as on the same plan cleared once,
        today, with nothing between: an emergency beside a remembered cancer,
        infection or trauma flag (a progressive deficit always pauses,
        acknowledged features or not, PR-ACK).
        """
        assert self.state is not None
        probe = CheckIn(
            date=self.today,
            pain_now=2,
            morning_pain=2,
            very_tired=_NO,
            red_flags=AskedRedFlags(progressive_neurological_deficit=_YES),
            nerve_features=AskedNerveFeatures(leg_or_foot_weakness=_YES),
        )
        fresh, _ = start_plan(self.result, date=DAY0, entry_pain=self.entry_pain)
        fresh, _ = step(fresh, clearance)
        ours = step(self.state, probe)[1].seek_care
        assert ours == step(fresh, probe)[1].seek_care
        m = self.model
        assert ours == m.care(self.today, frozenset({DEFICIT}), nerve=True)
        if clearance.acknowledged:
            # PR-ACK: the acknowledged features reported again pause only
            # when they make a combination with a remembered history flag.
            nerve = {
                f.value: _YES
                for f in clearance.acknowledged
                if f.value in attrs.fields_dict(AskedNerveFeatures)
            }
            again = attrs.evolve(
                probe,
                red_flags=AskedRedFlags(),
                nerve_features=AskedNerveFeatures(**nerve),
            )
            care = m.care(self.today, nerve=bool(nerve))
            expected = m.seek if care is None else worst(care, m.seek)
            assert step(self.state, again)[1].seek_care == expected

    @precondition(lambda self: self.state is not None)
    @rule(stage=st.sampled_from(Stage))
    def override(self, stage: Stage) -> None:
        event = ClinicianOverride(
            date=self.today, clinician="c", reason="r", stage=stage
        )
        self.apply(event)
        m = self.model
        if m.stage != stage.number:
            m.enter(stage.number)
            self.since_gap = []
        m.action = Action.OVERRIDE
        self.matches_the_model()

    @rule(score=st.integers(0, 10))
    def record_outcome(self, score: int) -> None:
        """PR-OUTCOME with NPRS: a worse score or a stalled plan recommends a review."""
        date = self.today
        self.apply(
            OutcomeRecorded(
                date=date, measure=Measure.NPRS, answers=NprsAnswers(score=score)
            )
        )
        m = self.model
        if m.nprs_baseline is None:
            m.nprs_baseline = score
        worse = score - m.nprs_baseline >= T.mic_nprs
        stalled = (date - m.started).days >= T.no_progress_days and not _nprs_improved(
            m.nprs_baseline, score
        )
        if worse:
            m.worse_on = date
        if not m.paused:
            if worse or stalled:
                m.seek = worst(m.seek, Disposition.PHYSIO_REFERRAL)
            elif m.seek is Disposition.PHYSIO_REFERRAL:
                m.seek = None  # the review is no longer called for
        m.action = Action.HOLD  # invariant 20: an outcome never advances
        self.matches_the_model()

    # --- the model ------------------------------------------------------------------

    def matches_the_model(self) -> None:
        """The engine's decision and state equal the model's prediction."""
        s, d, m = self.state, self.decision, self.model
        assert s is not None
        assert d is not None
        predicted = (m.action, m.stage, m.paused, m.kind, m.seek)
        actual = (
            d.action,
            s.stage.number,
            s.status is PlanStatus.PAUSED,
            s.pause,
            s.seek_care,
        )
        assert actual == predicted, (actual, predicted, self.event, m)
        assert (d.to_stage, d.status, d.seek_care) == (s.stage, s.status, s.seek_care)
        assert (ExerciseId.BACK_EXTENSION in s.excluded) == m.no_extension
        if m.seek in {_E, _F} and m.action in {Action.PAUSE, Action.RESET}:
            hypothesis.event(f"paused to seek {m.seek.value}")

    # --- the safety invariants ---------------------------------------------------------

    @invariant()
    def stage_moves_at_most_one_step(self) -> None:
        """Invariant 6: "The stage changes by at most one step per event, except a
        `reset` to 1 or an explicit clinician clearance or override."
        """
        d = self.decision
        if d is None or d.action in (Action.RESET, Action.RESUME, Action.OVERRIDE):
            return
        assert abs(d.to_stage.number - d.from_stage.number) <= 1

    @invariant()
    def never_advance_when_unsafe(self) -> None:
        """Invariant 7: "Never `advance` while paused, on a spike, within 7 days
        of a regression, or on time alone."
        """
        d = self.decision
        if d is None or d.action is not Action.ADVANCE:
            return
        assert self.before is not None
        assert self.before.status is PlanStatus.ACTIVE
        assert not self.spike
        assert isinstance(self.event, SessionLogged)  # time alone: only sessions
        last = self.model.last_regression
        assert last is None or (d.date - last).days >= T.regression_cooldown_days
        assert d.to_stage.number == d.from_stage.number + 1

    @invariant()
    def paused_left_only_by_clearance(self) -> None:
        """Invariant 8: "`paused` is left only through `ClinicianCleared`."."""
        if self.before is None or self.state is None:
            return
        if (
            self.before.status is PlanStatus.PAUSED
            and self.state.status is not PlanStatus.PAUSED
        ):
            assert isinstance(self.event, ClinicianCleared)

    @invariant()
    def volume_capped_and_deloaded(self) -> None:
        """Invariant 9: "Weekly planned volume never exceeds the cap over the
        previous week; dose after a spike is at least 30 % below the dose
        before it."
        """
        if self.state is None:
            return
        reference = {d.exercise: d.dose for d in self.state.reference}
        assert within_cap(self.state.planned, reference, T.weekly_volume_cap)
        d = self.decision
        if self.spike and d is not None and self.before is not None:
            assert d.action is Action.REGRESS
            before = {x.exercise: x.dose for x in self.before.planned}
            for x in self.state.planned:
                if x.exercise in before:
                    limit = (1 - T.deload_fraction) * before[x.exercise].volume
                    assert x.dose.volume <= limit + 1e-9

    @invariant()
    def replay_equals_stepping(self) -> None:
        """Invariant 10: "`replay(events)` equals stepping one event at a time;
        the same events and ruleset give byte-identical JSON."
        """
        if self.initial is None or self.state is None:
            return
        folded = reduce(lambda s, e: step(s, e)[0], self.events, self.initial)
        assert folded == self.state

    @invariant()
    def serious_signs_never_below_urgent(self) -> None:
        """Invariant 14: "Any saddle-region symptom, any CES flag, or any
        remembered history flag combined with a new nerve feature or deficit
        mid-plan is never below `urgent`; CES features are `emergency` at
        intake and mid-plan alike."
        """
        if self.floor is None or self.state is None:
            return
        assert self.state.seek_care is not None
        assert worst(self.state.seek_care, self.floor) is self.state.seek_care

    @invariant()
    def no_exercise_while_paused_for_care(self) -> None:
        """Invariant 16: "While a plan is paused for `emergency` or `urgent`, no
        decision plans an exercise."
        """
        s, d = self.state, self.decision
        if s is None or d is None or s.status is not PlanStatus.PAUSED:
            return
        if s.seek_care in {_E, _F}:
            assert d.doses == ()

    @invariant()
    def no_advance_when_tired_or_across_a_gap(self) -> None:
        """Invariant 17: "No `advance` on a day reported `very_tired` (yes or
        unknown), nor with sessions from before a >= 7-day gap in the advance
        window."
        """
        d = self.decision
        if d is None or d.action is not Action.ADVANCE:
            return
        assert self.model.tired_on != d.date
        # The sessions since the last gap (and the stage's entry) fill the
        # window on their own: at least N, spanning at least M days.
        window = self.advanced_on
        assert window[-1] == d.date
        assert len(window) >= T.advance_sessions
        assert (window[-1] - window[0]).days >= T.advance_span_days

    @invariant()
    def fast_copies_match_the_constructor(self) -> None:
        """The engine's internal copies equal values built by __init__, cached doses too."""
        if self.state is None or self.decision is None:
            return
        rebuilt = attrs.evolve(self.state)
        assert rebuilt == self.state
        assert rebuilt.planned == self.state.planned
        assert attrs.evolve(self.decision) == self.decision


PlanMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=60, deadline=None
)
TestPlanMachine = PlanMachine.TestCase
