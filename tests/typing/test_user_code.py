"""Realistic user code against the public API; mypy --strict checks it, pytest runs it.

If a public signature loses its types or changes shape, mypy fails here first.
"""

from __future__ import annotations

import lowback
from lowback import Answer, Exercise, ExerciseId, Stage, Thresholds


def stage_three_exercises() -> list[Exercise]:
    plan = lowback.STAGE_PLANS[Stage.STRENGTHEN_AND_COORDINATE]
    return [lowback.EXERCISES[e] for e in plan.exercises]


def cautious_thresholds() -> Thresholds:
    # An app that refers to a physiotherapist after four weeks instead of six.
    return Thresholds(persistent_days=28, weekly_volume_cap=0.05)


def rejected_input_paths() -> tuple[str, ...]:
    try:
        Thresholds(weekly_volume_cap=0.5)
    except lowback.InvalidInput as err:
        return err.paths
    return ()


def translated(message_id: str) -> str:
    catalog = dict(lowback.MESSAGES) | {
        "mindset.trainable": "Tu espalda se puede entrenar."
    }
    return lowback.render(message_id, catalog)


def stored_thresholds(text: str) -> Thresholds:
    # An app keeps its tuned thresholds as JSON and reads them back strictly.
    return lowback.loads(text, Thresholds)


def thresholds_document() -> str:
    return lowback.dumps(Thresholds(persistent_days=28))


def odi_change(before: lowback.OdiAnswers, after: lowback.OdiAnswers) -> str:
    # An app judges a follow-up ODI against the baseline it stored.
    change = lowback.classify_change(lowback.score(before), lowback.score(after))
    return change.classification.value


def odi_answers(total: int) -> lowback.OdiAnswers:
    parts = [min(5, max(0, total - 5 * i)) for i in range(10)]
    keys = lowback.INSTRUMENTS[lowback.Measure.ODI].items
    return lowback.OdiAnswers(**dict(zip(keys, parts, strict=True)))


class TestUserCode:
    def test_user_code_runs(self) -> None:
        """The typed user code above behaves as written."""
        assert ExerciseId.GLUTE_BRIDGE in {e.id for e in stage_three_exercises()}
        assert cautious_thresholds().persistent_days == 28
        assert rejected_input_paths() == ("$.weekly_volume_cap",)
        assert translated("mindset.trainable").startswith("Tu")
        assert Answer("unknown").is_not_no
        assert stored_thresholds(thresholds_document()).persistent_days == 28
        # ODI 20 % -> 14 % is exactly 30 % better: improved
        assert odi_change(odi_answers(10), odi_answers(7)) == "improved"
