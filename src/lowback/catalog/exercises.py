"""The exercises and daily habits of each stage, with their doses.

Stages, exercises, holds and rep ranges follow the article's stepwise reset
plan and its prevention blueprint. Where the article gives no number (for
example the reps of a pelvic tilt), the dose is a lowback heuristic and the
exercise cites :attr:`SourceId.HEURISTIC`. Patient-facing wording is held as
message IDs (see :mod:`lowback.catalog.messages`).

>>> EXERCISES[ExerciseId.GLUTE_BRIDGE].start
Dose(sets=1, reps=8, hold_seconds=3.0, rest_seconds=None, effort_percent=None, minutes=None)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypedDict

import attrs

from lowback.errors import InvalidInput

from .anatomy import MuscleGroup
from .sources import SourceId
from .stages import Stage
from .validators import in_range, optional

__all__ = [
    "EXERCISES",
    "STAGE_PLANS",
    "Dose",
    "Exercise",
    "ExerciseId",
    "ExerciseKind",
    "StagePlan",
    "exercises_for_muscle",
]


class ExerciseId(enum.StrEnum):
    """Stable IDs of exercises, positions and habits (wire values)."""

    LEGS_UP_REST = "legs_up_rest"
    SIDE_LYING_PILLOW = "side_lying_pillow"
    PELVIC_TILT = "pelvic_tilt"
    KNEE_ROLLS = "knee_rolls"
    DIAPHRAGMATIC_BREATHING = "diaphragmatic_breathing"
    #: The pain-calming isometric hold of the article's clinical note.
    ISOMETRIC_HOLD = "isometric_hold"
    SHORT_WALKS = "short_walks"
    CAT_CAMEL = "cat_camel"
    KNEE_TO_CHEST_SINGLE = "knee_to_chest_single"
    KNEE_TO_CHEST_DOUBLE = "knee_to_chest_double"
    HIP_FLEXOR_STRETCH = "hip_flexor_stretch"
    HAMSTRING_STRETCH = "hamstring_stretch"
    ABDOMINAL_BRACE = "abdominal_brace"
    GLUTE_BRIDGE = "glute_bridge"
    BIRD_DOG = "bird_dog"
    CLAMSHELL = "clamshell"
    BACK_EXTENSION = "back_extension"
    HIP_HINGE_LIFTING = "hip_hinge_lifting"
    DESK_BREAKS = "desk_breaks"
    REGULAR_ACTIVITY = "regular_activity"
    NEUTRAL_SLEEP_POSITION = "neutral_sleep_position"


class ExerciseKind(enum.StrEnum):
    """What sort of thing an exercise is."""

    #: A resting position that unloads the back.
    POSITION = "position"
    #: Gentle movement through a comfortable range.
    MOBILITY = "mobility"
    #: A held stretch.
    STRETCH = "stretch"
    #: A pain-calming hold without movement.
    ISOMETRIC = "isometric"
    #: Strength and coordination work, done in sets and reps.
    STRENGTH = "strength"
    #: Walking and other whole-body activity.
    ACTIVITY = "activity"
    #: A daily habit rather than an exercise session.
    HABIT = "habit"


_MAX_SETS, _MAX_REPS, _MAX_SECONDS, _MAX_MINUTES = 10, 50, 120.0, 120


@attrs.frozen(kw_only=True)
class Dose:
    """How much of an exercise: sets of reps, each held, with rest between.

    Every part but ``sets`` may be absent when it does not apply (a walk has
    minutes, not reps).

    >>> Dose(sets=2, reps=10).volume
    20.0
    """

    sets: int = attrs.field(default=1, validator=in_range(1, _MAX_SETS))
    reps: int | None = attrs.field(
        default=None, validator=optional(in_range(1, _MAX_REPS))
    )
    hold_seconds: float | None = attrs.field(
        default=None, validator=optional(in_range(1.0, _MAX_SECONDS, kind=float))
    )
    rest_seconds: float | None = attrs.field(
        default=None, validator=optional(in_range(0.0, _MAX_SECONDS, kind=float))
    )
    #: Effort as a percentage of maximum, for holds that are dosed by effort.
    effort_percent: int | None = attrs.field(
        default=None, validator=optional(in_range(1, 100))
    )
    minutes: int | None = attrs.field(
        default=None, validator=optional(in_range(1, _MAX_MINUTES))
    )

    @property
    def volume(self) -> float:
        """A single number for comparing loads: sets x reps x seconds held x minutes.

        Absent parts count as 1, so doses of one exercise compare sensibly.
        """
        return float(
            self.sets
            * (self.reps or 1)
            * (self.hold_seconds or 1.0)
            * (self.minutes or 1)
        )

    def describe(self) -> str:
        """Return the dose in words, for logs, the CLI and reference pages.

        >>> Dose(sets=2, reps=10, hold_seconds=5.0).describe()
        '2 x 10 reps, hold 5 s'
        >>> Dose(sets=5, reps=1, hold_seconds=8.0, rest_seconds=5.0, effort_percent=20).describe()
        '5 x 1 reps, hold 8 s, rest 5 s, 20 % effort'
        >>> Dose(minutes=10).describe()
        '10 min'
        """
        parts = []
        if self.reps:
            parts.append(f"{self.sets} x {self.reps} reps")
        elif self.sets > 1:
            parts.append(f"{self.sets} sets")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds:g} s")
        if self.rest_seconds:
            parts.append(f"rest {self.rest_seconds:g} s")
        if self.effort_percent:
            parts.append(f"{self.effort_percent} % effort")
        if self.minutes:
            parts.append(f"{self.minutes} min")
        return ", ".join(parts) or "1 set"

    def fits_within(self, other: Dose) -> bool:
        """Whether every part of this dose is at most the same part of *other*."""
        return all(
            _le(getattr(self, f.name), getattr(other, f.name))
            for f in attrs.fields(Dose)
            if f.name != "rest_seconds"  # more rest is an easier dose, not a larger one
        )


def _le(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a <= b


@attrs.frozen(kw_only=True)
class Exercise:
    """One exercise, position or habit, and how it is dosed."""

    id: ExerciseId
    kind: ExerciseKind
    #: The stages it belongs to; the first is where it is introduced.
    stages: tuple[Stage, ...]
    #: Muscle groups it trains or calms.
    targets: frozenset[MuscleGroup]
    #: The first dose.
    start: Dose
    #: The dose that counts as reaching the stage's target (spec PR-GATE-3).
    goal: Dose
    #: The most lowback will ever prescribe.
    ceiling: Dose
    #: Message ID of how to do it.
    how: str
    #: Message IDs of cues.
    cues: tuple[str, ...] = ()
    #: Message IDs of cautions.
    cautions: tuple[str, ...] = ()
    sources: tuple[SourceId, ...]

    def __attrs_post_init__(self) -> None:
        """Check that start <= goal <= ceiling and that the exercise has a stage."""
        if not self.stages:
            raise InvalidInput.at("$.stages", "empty", "an exercise needs a stage")
        if not self.start.fits_within(self.goal):
            raise InvalidInput.at("$.start", "out_of_range", "must not exceed the goal")
        if not self.goal.fits_within(self.ceiling):
            raise InvalidInput.at(
                "$.goal", "out_of_range", "must not exceed the ceiling"
            )

    @property
    def stage(self) -> Stage:
        """The stage where the exercise is introduced."""
        return self.stages[0]


_S1, _S2, _S3, _S4, _S5 = tuple(Stage)
_M = MuscleGroup
_H = SourceId.HEURISTIC
_K = ExerciseKind


class _Doses(TypedDict):
    start: Dose
    goal: Dose
    ceiling: Dose


def _fixed(dose: Dose) -> _Doses:
    return {"start": dose, "goal": dose, "ceiling": dose}


# Stage 3 target: 2-3 sets of 8-15 reps on most days (article, stage 3). The
# goal is the bottom of that range, the ceiling its top.
def _stage3(*, start_reps: int, hold: float | None, max_hold: float | None) -> _Doses:
    return {
        "start": Dose(sets=1, reps=start_reps, hold_seconds=hold),
        "goal": Dose(sets=2, reps=max(8, start_reps), hold_seconds=hold),
        "ceiling": Dose(sets=3, reps=15, hold_seconds=max_hold),
    }


_ALL = (_S1, _S2, _S3, _S4, _S5)

_EXERCISES = (
    Exercise(
        id=ExerciseId.LEGS_UP_REST,
        kind=_K.POSITION,
        stages=_ALL,
        targets=frozenset({_M.ERECTOR_SPINAE, _M.HIP_FLEXORS}),
        **_fixed(Dose(minutes=10)),
        how="exercise.legs_up_rest.how",
        cues=("cue.breathe_slowly",),
        sources=(SourceId.ARTICLE_STAGE_1, _H),
    ),
    Exercise(
        id=ExerciseId.SIDE_LYING_PILLOW,
        kind=_K.POSITION,
        stages=_ALL,
        targets=frozenset({_M.QUADRATUS_LUMBORUM, _M.GLUTEALS}),
        **_fixed(Dose(minutes=10)),
        how="exercise.side_lying_pillow.how",
        sources=(SourceId.ARTICLE_STAGE_1, _H),
    ),
    Exercise(
        id=ExerciseId.PELVIC_TILT,
        kind=_K.MOBILITY,
        stages=(_S1, _S2),
        targets=frozenset({_M.DEEP_CORE, _M.MULTIFIDUS, _M.ERECTOR_SPINAE}),
        start=Dose(sets=1, reps=8),
        goal=Dose(sets=1, reps=10),
        ceiling=Dose(sets=2, reps=15),
        how="exercise.pelvic_tilt.how",
        cues=("cue.smooth_not_stretch", "cue.within_comfort"),
        cautions=("caution.no_end_range_stretch",),
        sources=(SourceId.ARTICLE_STAGE_1, _H),
    ),
    Exercise(
        id=ExerciseId.KNEE_ROLLS,
        kind=_K.MOBILITY,
        stages=(_S1, _S2),
        targets=frozenset({_M.QUADRATUS_LUMBORUM, _M.DEEP_CORE, _M.ERECTOR_SPINAE}),
        start=Dose(sets=1, reps=8),
        goal=Dose(sets=1, reps=10),
        ceiling=Dose(sets=2, reps=15),
        how="exercise.knee_rolls.how",
        cues=("cue.smooth_not_stretch", "cue.within_comfort"),
        cautions=("caution.no_end_range_stretch",),
        sources=(SourceId.ARTICLE_STAGE_1, _H),
    ),
    Exercise(
        id=ExerciseId.DIAPHRAGMATIC_BREATHING,
        kind=_K.MOBILITY,
        stages=_ALL,
        targets=frozenset({_M.DEEP_CORE}),
        start=Dose(sets=1, reps=5),
        goal=Dose(sets=1, reps=8),
        ceiling=Dose(sets=2, reps=10),
        how="exercise.diaphragmatic_breathing.how",
        cues=("cue.breathe_slowly",),
        sources=(SourceId.ARTICLE_STAGE_1, SourceId.ARTICLE_HABITS, _H),
    ),
    # LD-ISO: 20-30 % effort, 8-10 s on, 5 s off, 5-6 rounds (article, clinical note).
    Exercise(
        id=ExerciseId.ISOMETRIC_HOLD,
        kind=_K.ISOMETRIC,
        stages=(_S1,),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.MULTIFIDUS, _M.DEEP_CORE}),
        start=Dose(
            sets=5, reps=1, hold_seconds=8.0, rest_seconds=5.0, effort_percent=20
        ),
        goal=Dose(
            sets=5, reps=1, hold_seconds=8.0, rest_seconds=5.0, effort_percent=20
        ),
        ceiling=Dose(
            sets=6, reps=1, hold_seconds=10.0, rest_seconds=5.0, effort_percent=30
        ),
        how="exercise.isometric_hold.how",
        cues=("cue.light_effort",),
        cautions=("caution.stop_if_leg_pain",),
        sources=(SourceId.ARTICLE_CLINICAL_NOTE,),
    ),
    Exercise(
        id=ExerciseId.SHORT_WALKS,
        kind=_K.ACTIVITY,
        stages=_ALL,
        targets=frozenset({_M.GLUTEALS, _M.ERECTOR_SPINAE, _M.DEEP_CORE}),
        start=Dose(minutes=5),
        goal=Dose(minutes=10),
        ceiling=Dose(minutes=20),
        how="exercise.short_walks.how",
        cues=("cue.within_comfort",),
        sources=(SourceId.ARTICLE_CLINICAL_NOTE, SourceId.ARTICLE_PREVENTION, _H),
    ),
    Exercise(
        id=ExerciseId.CAT_CAMEL,
        kind=_K.MOBILITY,
        stages=(_S2, _S3),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.MULTIFIDUS, _M.DEEP_CORE}),
        start=Dose(sets=1, reps=6),
        goal=Dose(sets=1, reps=10),
        ceiling=Dose(sets=2, reps=12),
        how="exercise.cat_camel.how",
        cues=("cue.breathe_slowly", "cue.within_comfort"),
        sources=(SourceId.ARTICLE_STAGE_2, _H),
    ),
    # Knee-to-chest holds of 10-15 s (article, stage 2).
    Exercise(
        id=ExerciseId.KNEE_TO_CHEST_SINGLE,
        kind=_K.STRETCH,
        stages=(_S2,),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.GLUTEALS}),
        start=Dose(sets=1, reps=3, hold_seconds=10.0),
        goal=Dose(sets=1, reps=3, hold_seconds=10.0),
        ceiling=Dose(sets=1, reps=5, hold_seconds=15.0),
        how="exercise.knee_to_chest_single.how",
        cues=("cue.within_comfort",),
        cautions=("caution.leg_pain_knee_to_chest",),
        sources=(SourceId.ARTICLE_STAGE_2, _H),
    ),
    Exercise(
        id=ExerciseId.KNEE_TO_CHEST_DOUBLE,
        kind=_K.STRETCH,
        stages=(_S2,),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.GLUTEALS}),
        start=Dose(sets=1, reps=3, hold_seconds=10.0),
        goal=Dose(sets=1, reps=3, hold_seconds=10.0),
        ceiling=Dose(sets=1, reps=5, hold_seconds=15.0),
        how="exercise.knee_to_chest_double.how",
        cues=("cue.within_comfort",),
        cautions=("caution.leg_pain_knee_to_chest",),
        sources=(SourceId.ARTICLE_STAGE_2, _H),
    ),
    Exercise(
        id=ExerciseId.HIP_FLEXOR_STRETCH,
        kind=_K.STRETCH,
        stages=(_S2, _S5),
        targets=frozenset({_M.HIP_FLEXORS}),
        start=Dose(sets=1, reps=2, hold_seconds=20.0),
        goal=Dose(sets=1, reps=2, hold_seconds=30.0),
        ceiling=Dose(sets=1, reps=3, hold_seconds=30.0),
        how="exercise.hip_flexor_stretch.how",
        cues=("cue.stretch_front_of_hip",),
        sources=(SourceId.ARTICLE_STAGE_2, SourceId.ARTICLE_PREVENTION, _H),
    ),
    Exercise(
        id=ExerciseId.HAMSTRING_STRETCH,
        kind=_K.STRETCH,
        stages=(_S2, _S5),
        targets=frozenset({_M.HAMSTRINGS}),
        start=Dose(sets=1, reps=2, hold_seconds=20.0),
        goal=Dose(sets=1, reps=2, hold_seconds=30.0),
        ceiling=Dose(sets=1, reps=3, hold_seconds=30.0),
        how="exercise.hamstring_stretch.how",
        cues=("cue.within_comfort",),
        cautions=("caution.leg_pain_knee_to_chest",),
        sources=(SourceId.ARTICLE_FAQ, SourceId.ARTICLE_PREVENTION, _H),
    ),
    Exercise(
        id=ExerciseId.ABDOMINAL_BRACE,
        kind=_K.STRENGTH,
        stages=(_S3,),
        targets=frozenset({_M.DEEP_CORE}),
        **_stage3(start_reps=8, hold=None, max_hold=None),
        how="exercise.abdominal_brace.how",
        cues=("cue.gentle_firmness",),
        sources=(SourceId.ARTICLE_STAGE_3,),
    ),
    # Bridge: hold 3-5 s, start with 8-10 reps (article, stage 3).
    Exercise(
        id=ExerciseId.GLUTE_BRIDGE,
        kind=_K.STRENGTH,
        stages=(_S3, _S4, _S5),
        targets=frozenset({_M.GLUTEALS, _M.HAMSTRINGS, _M.ERECTOR_SPINAE}),
        **_stage3(start_reps=8, hold=3.0, max_hold=5.0),
        how="exercise.glute_bridge.how",
        cues=("cue.buttocks_do_the_work",),
        sources=(SourceId.ARTICLE_STAGE_3,),
    ),
    # Bird-dog: hold 5-10 s each side (article, stage 3).
    Exercise(
        id=ExerciseId.BIRD_DOG,
        kind=_K.STRENGTH,
        stages=(_S3, _S4, _S5),
        targets=frozenset(
            {
                _M.MULTIFIDUS,
                _M.ERECTOR_SPINAE,
                _M.DEEP_CORE,
                _M.GLUTEALS,
                _M.QUADRATUS_LUMBORUM,
            }
        ),
        **_stage3(start_reps=8, hold=5.0, max_hold=10.0),
        how="exercise.bird_dog.how",
        cues=("cue.hips_level",),
        sources=(SourceId.ARTICLE_STAGE_3,),
    ),
    Exercise(
        id=ExerciseId.CLAMSHELL,
        kind=_K.STRENGTH,
        stages=(_S3,),
        targets=frozenset({_M.GLUTEALS}),
        **_stage3(start_reps=8, hold=None, max_hold=None),
        how="exercise.clamshell.how",
        cues=("cue.feet_together",),
        sources=(SourceId.ARTICLE_STAGE_3,),
    ),
    # Gentle back extensions (article, FAQ 5); the dose is a lowback heuristic.
    Exercise(
        id=ExerciseId.BACK_EXTENSION,
        kind=_K.STRENGTH,
        stages=(_S3, _S4, _S5),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.MULTIFIDUS, _M.GLUTEALS}),
        **_stage3(start_reps=8, hold=3.0, max_hold=10.0),
        how="exercise.back_extension.how",
        cues=("cue.neck_relaxed",),
        cautions=("caution.stop_sharp_pain",),
        sources=(SourceId.ARTICLE_FAQ, SourceId.ARTICLE_SELF_CHECKS, _H),
    ),
    Exercise(
        id=ExerciseId.HIP_HINGE_LIFTING,
        kind=_K.HABIT,
        stages=(_S4, _S5),
        targets=frozenset({_M.GLUTEALS, _M.HAMSTRINGS, _M.DEEP_CORE}),
        **_fixed(Dose(sets=1)),
        how="exercise.hip_hinge_lifting.how",
        cues=("cue.load_close",),
        sources=(SourceId.ARTICLE_STAGE_4, SourceId.ARTICLE_FAQ),
    ),
    # LD-DESK: change position every 25-30 min (article, stage 4 desk strategy).
    Exercise(
        id=ExerciseId.DESK_BREAKS,
        kind=_K.HABIT,
        stages=(_S4, _S5),
        targets=frozenset({_M.ERECTOR_SPINAE, _M.HIP_FLEXORS}),
        **_fixed(Dose(sets=1)),
        how="exercise.desk_breaks.how",
        cues=("cue.move_often",),
        sources=(SourceId.ARTICLE_STAGE_4, SourceId.ARTICLE_HABITS),
    ),
    Exercise(
        id=ExerciseId.REGULAR_ACTIVITY,
        kind=_K.ACTIVITY,
        stages=(_S4, _S5),
        targets=frozenset({_M.GLUTEALS, _M.DEEP_CORE, _M.ERECTOR_SPINAE}),
        start=Dose(minutes=20),
        goal=Dose(minutes=30),
        ceiling=Dose(minutes=60),
        how="exercise.regular_activity.how",
        sources=(SourceId.ARTICLE_STAGE_4, SourceId.ARTICLE_PREVENTION, _H),
    ),
    Exercise(
        id=ExerciseId.NEUTRAL_SLEEP_POSITION,
        kind=_K.HABIT,
        stages=_ALL,
        targets=frozenset({_M.QUADRATUS_LUMBORUM, _M.ERECTOR_SPINAE}),
        **_fixed(Dose(sets=1)),
        how="exercise.neutral_sleep_position.how",
        sources=(SourceId.ARTICLE_HABITS, SourceId.ARTICLE_PREVENTION),
    ),
)

#: Every exercise by ID. Read-only.
EXERCISES: Mapping[ExerciseId, Exercise] = MappingProxyType(
    {e.id: e for e in _EXERCISES}
)


def exercises_for_muscle(group: MuscleGroup) -> tuple[ExerciseId, ...]:
    """Return the IDs of the exercises that train *group*, in catalog order.

    >>> ExerciseId.HAMSTRING_STRETCH in exercises_for_muscle(MuscleGroup.HAMSTRINGS)
    True
    """
    return tuple(e.id for e in _EXERCISES if group in e.targets)


@attrs.frozen(kw_only=True)
class StagePlan:
    """What a stage is for, and its exercises and habits."""

    stage: Stage
    #: Message ID of the stage's goal.
    goal: str
    #: Exercises done in sessions, in the order they are shown.
    exercises: tuple[ExerciseId, ...]
    #: Daily habits (positions, breaks, sleep) for the stage.
    habits: tuple[ExerciseId, ...]
    #: The treatment-based-classification approach the stage corresponds to.
    tbc_approach: str
    #: Message IDs of the mindset and prevention messages for the stage.
    messages: tuple[str, ...]
    sources: tuple[SourceId, ...]


_E = ExerciseId

#: The plan for every stage. Read-only.
STAGE_PLANS: Mapping[Stage, StagePlan] = MappingProxyType(
    {
        p.stage: p
        for p in (
            StagePlan(
                stage=_S1,
                goal="stage.calm_and_unload.goal",
                exercises=(
                    _E.PELVIC_TILT,
                    _E.KNEE_ROLLS,
                    _E.DIAPHRAGMATIC_BREATHING,
                    _E.ISOMETRIC_HOLD,
                    _E.SHORT_WALKS,
                ),
                habits=(
                    _E.LEGS_UP_REST,
                    _E.SIDE_LYING_PILLOW,
                    _E.NEUTRAL_SLEEP_POSITION,
                ),
                tbc_approach="symptom modulation",
                messages=("mindset.pain_not_damage", "caution.no_end_range_stretch"),
                sources=(
                    SourceId.ARTICLE_STAGE_1,
                    SourceId.ARTICLE_CLINICAL_NOTE,
                    SourceId.TBC_2016,
                ),
            ),
            StagePlan(
                stage=_S2,
                goal="stage.restore_mobility.goal",
                exercises=(
                    _E.CAT_CAMEL,
                    _E.PELVIC_TILT,
                    _E.KNEE_ROLLS,
                    _E.KNEE_TO_CHEST_SINGLE,
                    _E.KNEE_TO_CHEST_DOUBLE,
                    _E.HIP_FLEXOR_STRETCH,
                    _E.HAMSTRING_STRETCH,
                    _E.SHORT_WALKS,
                ),
                habits=(_E.NEUTRAL_SLEEP_POSITION, _E.DIAPHRAGMATIC_BREATHING),
                tbc_approach="movement control",
                messages=("mindset.movement_is_medicine",),
                sources=(SourceId.ARTICLE_STAGE_2, SourceId.TBC_2016),
            ),
            StagePlan(
                stage=_S3,
                goal="stage.strengthen_and_coordinate.goal",
                exercises=(
                    _E.ABDOMINAL_BRACE,
                    _E.GLUTE_BRIDGE,
                    _E.BIRD_DOG,
                    _E.CLAMSHELL,
                    _E.BACK_EXTENSION,
                    _E.CAT_CAMEL,
                    _E.SHORT_WALKS,
                ),
                habits=(_E.NEUTRAL_SLEEP_POSITION, _E.DIAPHRAGMATIC_BREATHING),
                tbc_approach="movement control",
                messages=("mindset.trainable", "prevention.stress"),
                sources=(
                    SourceId.ARTICLE_STAGE_3,
                    SourceId.TBC_2016,
                    SourceId.APTA_CPG_2021,
                ),
            ),
            StagePlan(
                stage=_S4,
                goal="stage.integrate.goal",
                exercises=(
                    _E.GLUTE_BRIDGE,
                    _E.BIRD_DOG,
                    _E.BACK_EXTENSION,
                    _E.REGULAR_ACTIVITY,
                ),
                habits=(
                    _E.HIP_HINGE_LIFTING,
                    _E.DESK_BREAKS,
                    _E.NEUTRAL_SLEEP_POSITION,
                ),
                tbc_approach="function optimisation",
                messages=("prevention.rotate_tasks", "mindset.early_warning"),
                sources=(SourceId.ARTICLE_STAGE_4, SourceId.TBC_2016),
            ),
            StagePlan(
                stage=_S5,
                goal="stage.maintain.goal",
                exercises=(
                    _E.GLUTE_BRIDGE,
                    _E.BIRD_DOG,
                    _E.HIP_FLEXOR_STRETCH,
                    _E.HAMSTRING_STRETCH,
                    _E.REGULAR_ACTIVITY,
                ),
                habits=(
                    _E.DESK_BREAKS,
                    _E.HIP_HINGE_LIFTING,
                    _E.NEUTRAL_SLEEP_POSITION,
                ),
                tbc_approach="function optimisation",
                messages=(
                    "prevention.build_gradually",
                    "prevention.sleep",
                    "prevention.rest_when_tired",
                    "mindset.early_warning",
                ),
                sources=(SourceId.ARTICLE_PREVENTION,),
            ),
        )
    }
)
