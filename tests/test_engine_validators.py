"""The engine's values refuse exactly what the catalog validators refuse.

``PlanState``, ``Decision`` and ``SessionSummary`` are made for every event,
so their enum, type and optional-date fields use plain-function forms of
the catalog validators (``lowback.engine.plan._plain``). Each must refuse
the same values with the same problem (path, reason code, detail) as the
validator it stands for.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowback import Disposition, InvalidInput, PlanStatus, Stage
from lowback.catalog.intake import HistoryFlags
from lowback.catalog.validators import (
    EnumMember,
    TypeIs,
    enum_member,
    optional,
    type_is,
)
from lowback.engine import plan
from lowback.engine.plan import Decision, PauseKind, PlanState, SessionSummary
from lowback.engine.transitions import Action


class _StrStage(enum.StrEnum):
    """Another enum whose values equal Stage's: never a Stage."""

    CALM_AND_UNLOAD = "calm_and_unload"


#: Values of every kind the fields may be handed by a careless caller.
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(Stage),
    st.sampled_from(PlanStatus),
    st.sampled_from(PauseKind),
    st.sampled_from(Disposition),
    st.sampled_from(Action),
    st.sampled_from(_StrStage),
    st.sampled_from([s.value for s in Stage]),
    st.just(HistoryFlags.none()),
    st.just(dt.date(2026, 1, 1)),
    st.just(dt.datetime(2026, 1, 1, 12, 0)),  # noqa: DTZ001 - a naive datetime is the point
    st.just(()),
)

VALIDATORS = [
    enum_member(Stage),
    enum_member(PlanStatus),
    enum_member(PauseKind),
    enum_member(Disposition),
    enum_member(Action),
    type_is(bool),
    type_is(str),
    type_is(HistoryFlags),
]


@attrs.frozen
class _Field:
    """A stand-in for the attrs attribute a validator is called with."""

    name: str = "field"


def _verdict(check: Any, value: Any) -> tuple[str, ...] | None:
    """``None`` when *check* accepts *value*, else its problems as text."""
    try:
        check(None, _Field(), value)
    except InvalidInput as err:
        return tuple(f"{p.path} {p.code} {p.detail}" for p in err.problems)
    return None


@pytest.mark.parametrize("nullable", [False, True])
@pytest.mark.parametrize("validator", VALIDATORS, ids=repr)
@given(value=ANY_VALUE)
def test_plain_refuses_what_its_validator_refuses(
    validator: EnumMember | TypeIs, nullable: bool, value: Any
) -> None:
    """The plain form accepts and refuses each value as the validator does."""
    full = optional(validator) if nullable else validator
    assert _verdict(plan._plain(validator, nullable=nullable), value) == _verdict(
        full, value
    )


def _state(**changes: Any) -> PlanState:
    fields: dict[str, Any] = {
        "stage": Stage.CALM_AND_UNLOAD,
        "status": PlanStatus.ACTIVE,
        "started": dt.date(2026, 1, 1),
        "last_date": dt.date(2026, 1, 2),
        "entry_pain": 6,
        "pain_now": 5,
        "settled_morning_pain": 4,
    }
    fields.update(changes)
    return PlanState(**fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stage", "calm_and_unload"),
        ("stage", _StrStage.CALM_AND_UNLOAD),
        ("status", "active"),
        ("pause", "review"),
        ("seek_care", "emergency"),
        ("hold_direction", "flexion"),
        ("morning_settled", 1),
        ("history", None),
        ("low_pain_since", dt.datetime(2026, 1, 2, 8, 0)),  # noqa: DTZ001
        ("tired_on", "2026-01-02"),
    ],
)
def test_a_state_refuses_raw_values(field: str, value: Any) -> None:
    """A state built from raw strings, ints or datetimes is refused at its field."""
    with pytest.raises(InvalidInput) as info:
        _state(**{field: value})
    assert info.value.paths == (f"$.{field}",)
    assert info.value.problems[0].code == "wrong_type"


def test_a_decision_refuses_raw_values() -> None:
    """A decision's action, stages, status, version and care are checked too."""
    good: dict[str, Any] = {
        "date": dt.date(2026, 1, 2),
        "action": Action.HOLD,
        "from_stage": Stage.CALM_AND_UNLOAD,
        "to_stage": Stage.CALM_AND_UNLOAD,
        "status": PlanStatus.ACTIVE,
        "doses": (),
        "rules": (),
    }
    Decision(**good)
    for field, value in [
        ("action", "hold"),
        ("from_stage", "calm_and_unload"),
        ("to_stage", 1),
        ("status", "active"),
        ("ruleset_version", 2026),
        ("seek_care", "urgent"),
    ]:
        with pytest.raises(InvalidInput) as info:
            Decision(**{**good, field: value})
        assert info.value.paths == (f"$.{field}",)


def test_a_session_summary_refuses_an_int_for_a_bool() -> None:
    """``green`` and the other flags are bools, never 0 or 1."""
    with pytest.raises(InvalidInput) as info:
        SessionSummary(
            date=dt.date(2026, 1, 2),
            pain_during_max=2,
            green=1,  # type: ignore[arg-type]
            mobility=False,
            habits=False,
            on_target=False,
        )
    assert info.value.paths == ("$.green",)
