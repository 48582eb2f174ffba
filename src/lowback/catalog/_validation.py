"""Private attrs validators that raise :class:`InvalidInput` without echoing values.

attrs' own ``ge``/``le``/``in_`` validators put the rejected value into their
message; lowback's input may be health data, so these say only what was
expected, at the field's JSON path.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, cast

import attrs

from lowback.errors import InvalidInput

__all__ = [
    "Constraint",
    "constraint_of",
    "enum_member",
    "in_range",
    "kind_of",
    "optional",
    "text",
    "tuple_of",
    "type_is",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@attrs.frozen(kw_only=True)
class Constraint:
    """What a validator from this module checks, for the wire edge to read.

    :mod:`lowback.wire` checks these bounds while parsing (so it can
    list every problem at once) and writes them into JSON Schema.
    """

    #: Closed numeric bounds, when the validator has them.
    low: float | None = None
    high: float | None = None
    #: The most items a tuple may hold.
    max_length: int | None = None
    #: The most characters a string may hold.
    max_chars: int | None = None


_CONSTRAINTS: dict[object, Constraint] = {}
#: What each validator built here checks, by kind and arguments, for the wire
#: reader to tell which checks it has already made field by field.
_KINDS: dict[object, tuple[Any, ...]] = {}


def _kind(check: Validator, *kind: Any) -> Validator:
    _KINDS[check] = kind
    return check


def kind_of(validator: object) -> tuple[Any, ...] | None:
    """Return what a validator from this module checks, or ``None`` for others.

    The kinds are ``("type_is", types)``, ``("in_range", low, high, kind)``,
    ``("enum_member", enum_type)``, ``("optional", inner)`` and
    ``("tuple_of", item_type, max_length)``.

    >>> kind_of(in_range(0, 10))
    ('in_range', 0, 10, <class 'int'>)
    >>> kind_of(print) is None
    True
    """
    try:
        return _KINDS.get(validator)
    except TypeError:  # an unhashable validator object
        return None


def _described(check: Validator, constraint: Constraint) -> Validator:
    _CONSTRAINTS[check] = constraint
    return check


def constraint_of(validator: object) -> Constraint:
    """Return the merged :class:`Constraint` of *validator* (attrs ``and_`` lists too).

    Validators that are not from this module contribute nothing.

    >>> constraint_of(optional(in_range(0, 10)))
    Constraint(low=0, high=10, max_length=None, max_chars=None)
    """
    parts = getattr(validator, "_validators", None)
    if parts is not None:
        merged: dict[str, Any] = {}
        for part in parts:
            merged |= {
                k: v
                for k, v in attrs.asdict(constraint_of(part)).items()
                if v is not None
            }
        return Constraint(**merged)
    try:
        return _CONSTRAINTS.get(validator, Constraint())
    except TypeError:  # an unhashable validator object
        return Constraint()


def _path(attribute: attrs.Attribute[Any]) -> str:
    return f"$.{attribute.name}"


def type_is(*types: type) -> Validator:
    """Require an instance of *types*; ``bool`` never passes for ``int``/``float``."""
    names = " or ".join(t.__name__ for t in types)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (isinstance(value, bool) and bool not in types) or not isinstance(
            value, types
        ):
            raise InvalidInput.at(_path(attribute), "wrong_type", f"expected {names}")

    return _kind(check, "type_is", types)


def text(max_chars: int) -> Validator:
    """Require a string of at most *max_chars* characters.

    >>> constraint_of(text(200)).max_chars
    200
    """

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        type_is(str)(_inst, attribute, value)
        if len(value) > max_chars:
            raise InvalidInput.at(
                _path(attribute), "too_long", f"at most {max_chars} characters"
            )

    return _described(check, Constraint(max_chars=max_chars))


def in_range(low: float, high: float, *, kind: type = int) -> Validator:
    """Require a number of *kind* in the closed range [*low*, *high*].

    ``float`` accepts ints too, and rejects NaN and the infinities.
    """
    accepted: tuple[type, ...] = (int, float) if kind is float else (kind,)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, accepted):
            raise InvalidInput.at(
                _path(attribute), "wrong_type", f"expected {kind.__name__}"
            )
        if not (low <= cast("float", value) <= high):  # False for NaN as well
            raise InvalidInput.at(
                _path(attribute), "out_of_range", f"must be {low}..{high}"
            )

    return _kind(
        _described(check, Constraint(low=low, high=high)), "in_range", low, high, kind
    )


def enum_member(enum_type: type[enum.Enum]) -> Validator:
    """Require a member of *enum_type* (not its raw value)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            raise InvalidInput.at(
                _path(attribute), "wrong_type", f"expected a {enum_type.__name__}"
            )

    return _kind(check, "enum_member", enum_type)


def optional(inner: Validator) -> Validator:
    """Allow ``None`` or whatever *inner* allows."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attribute, value)

    return _kind(_described(check, constraint_of(inner)), "optional", inner)


def tuple_of(item_type: type, *, max_length: int = 1000) -> Validator:
    """Require a tuple of *item_type* instances, at most *max_length* long."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        path = _path(attribute)
        if not isinstance(value, tuple):
            raise InvalidInput.at(path, "wrong_type", "expected a tuple")
        if len(value) > max_length:
            raise InvalidInput.at(path, "too_long", f"at most {max_length} items")
        for index, item in enumerate(value):
            if (isinstance(item, bool) and item_type is not bool) or not isinstance(
                item, item_type
            ):
                raise InvalidInput.at(
                    f"{path}[{index}]", "wrong_type", f"expected {item_type.__name__}"
                )

    return _kind(
        _described(check, Constraint(max_length=max_length)),
        "tuple_of",
        item_type,
        max_length,
    )
