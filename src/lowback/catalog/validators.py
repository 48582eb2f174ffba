"""Field validators as small frozen values, read by the models, the wire and the tests.

Each validator is an attrs validator (``validator(instance, attribute,
value)``) that raises :class:`~lowback.errors.InvalidInput` at the field's
JSON path without echoing the value (attrs' own ``ge``/``le``/``in_`` put
the rejected value into their message; lowback's input may be health data).
Because each is a plain frozen value, :mod:`lowback.wire` reads the same
object to check a field while reading JSON (so it can list every problem at
once) and to write its JSON Schema, and ``tests/strategies.py`` can read the
bounds to draw valid values. Nothing is registered anywhere: a validator is
just its fields.

>>> in_range(0, 10)
InRange(low=0, high=10, kind=<class 'int'>)
>>> in_range(0, 10).refusal(11)
(<ReasonCode.OUT_OF_RANGE: 'out_of_range'>, 'must be 0..10')
>>> in_range(0, 10).refusal(7) is None
True
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from lowback.errors import InvalidInput, ReasonCode

__all__ = [
    "AllOf",
    "EnumMember",
    "InRange",
    "Optional",
    "Refusal",
    "Text",
    "TupleOf",
    "TypeIs",
    "UniqueBy",
    "Validator",
    "all_of",
    "enum_member",
    "in_range",
    "optional",
    "text",
    "tuple_of",
    "type_is",
    "unique_by",
]

#: Why a value is refused: a reason code and what was expected, in words.
Refusal = tuple[ReasonCode, str]


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


def _is_a(value: object, types: tuple[type, ...]) -> bool:
    """``isinstance``, except that a bool is never an int or a float."""
    if type(value) in types:
        return True
    return isinstance(value, types) and (
        not isinstance(value, bool) or bool in types or object in types
    )


class Validator:
    """The base of lowback's validators: an attrs validator with a :meth:`refusal`."""

    __slots__ = ()

    def refusal(self, value: Any) -> Refusal | None:
        """Why *value* is refused, or ``None`` when it passes."""
        raise NotImplementedError

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise :class:`InvalidInput` at ``$.<field>`` when *value* is refused."""
        refused = self.refusal(value)
        if refused is not None:
            raise InvalidInput.at(f"$.{attribute.name}", *refused)


@attrs.frozen
class TypeIs(Validator):
    """An instance of *types*; a bool never passes for an int or a float."""

    types: tuple[type, ...]

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        if _is_a(value, self.types):
            return None
        return ReasonCode.WRONG_TYPE, f"expected {_type_name(self.types)}"

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise :class:`InvalidInput` at ``$.<field>`` when *value* is refused."""
        if type(value) not in self.types:
            Validator.__call__(self, _inst, attribute, value)


@attrs.frozen
class Text(Validator):
    """A string of at most *max_chars* characters."""

    max_chars: int

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        if not isinstance(value, str):
            return ReasonCode.WRONG_TYPE, "expected str"
        if len(value) > self.max_chars:
            return ReasonCode.TOO_LONG, f"at most {self.max_chars} characters"
        return None


@attrs.frozen
class InRange(Validator):
    """A number of *kind* in the closed range [*low*, *high*].

    ``float`` accepts ints too, and refuses NaN and the infinities.
    """

    low: float
    high: float
    kind: type = int

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise :class:`InvalidInput` at ``$.<field>`` when *value* is refused."""
        # The common case first: exactly *kind* and in range (NaN is not).
        kind = type(value)
        if kind is self.kind and self.low <= value <= self.high:
            return
        Validator.__call__(self, _inst, attribute, value)

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        kind = type(value)
        if kind is not self.kind and not (self.kind is float and kind is int):
            accepted = (int, float) if self.kind is float else (self.kind,)
            if not _is_a(value, accepted):
                return ReasonCode.WRONG_TYPE, f"expected {self.kind.__name__}"
        if not (self.low <= value <= self.high):  # False for NaN as well
            return ReasonCode.OUT_OF_RANGE, f"must be {self.low}..{self.high}"
        return None


@attrs.frozen
class EnumMember(Validator):
    """A member of *enum_type* (not its raw value)."""

    enum_type: type[enum.Enum]

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        if isinstance(value, self.enum_type):
            return None
        return ReasonCode.WRONG_TYPE, f"expected a {self.enum_type.__name__}"

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise :class:`InvalidInput` at ``$.<field>`` when *value* is refused."""
        if not isinstance(value, self.enum_type):
            Validator.__call__(self, _inst, attribute, value)


@attrs.frozen
class Optional(Validator):
    """``None``, or whatever *inner* allows."""

    inner: Validator

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        return None if value is None else self.inner.refusal(value)

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise :class:`InvalidInput` at ``$.<field>`` when *value* is refused."""
        if value is not None:
            self.inner(_inst, attribute, value)


@attrs.frozen
class TupleOf(Validator):
    """A tuple of *item_type* instances, at most *max_length* long."""

    item_type: type
    max_length: int = 1000

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        if not isinstance(value, tuple):
            return ReasonCode.WRONG_TYPE, "expected a tuple"
        if len(value) > self.max_length:
            return ReasonCode.TOO_LONG, f"at most {self.max_length} items"
        if self.bad_item(value) is not None:
            return ReasonCode.WRONG_TYPE, f"expected {self.item_type.__name__} items"
        return None

    def bad_item(self, value: tuple[Any, ...]) -> int | None:
        """The index of the first item that is not an *item_type*, if any."""
        for index, item in enumerate(value):
            if not _is_a(item, (self.item_type,)):
                return index
        return None

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise at ``$.<field>``, or at ``$.<field>[i]`` for a wrong item."""
        # The common case first: a short enough tuple of exactly *item_type*
        # items passes (anything else takes the full check below).
        if type(value) is tuple and len(value) <= self.max_length:
            item_type = self.item_type
            for item in value:
                if type(item) is not item_type:
                    break
            else:
                return
        refused = self.refusal(value)
        if refused is None:
            return
        index = self.bad_item(value) if refused[1].endswith("items") else None
        where = "" if index is None else f"[{index}]"
        raise InvalidInput.at(f"$.{attribute.name}{where}", *refused)


@attrs.frozen
class UniqueBy(Validator):
    """Items of a tuple whose attribute *key* differ (each self-check at most once)."""

    key: str

    def duplicate(self, value: tuple[Any, ...]) -> int | None:
        """The index of the first item repeating an earlier item's *key*, if any."""
        seen: set[Any] = set()
        for index, item in enumerate(value):
            tag = getattr(item, self.key, None)
            if tag in seen:
                return index
            seen.add(tag)
        return None

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        if self.duplicate(value) is None:
            return None
        return ReasonCode.DUPLICATE, f"each {self.key} at most once"

    def __call__(self, _inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Raise at ``$.<field>[i].<key>``, the repeated item's key."""
        index = self.duplicate(value)
        if index is not None:
            raise InvalidInput.at(
                f"$.{attribute.name}[{index}].{self.key}",
                ReasonCode.DUPLICATE,
                f"each {self.key} at most once",
            )


@attrs.frozen
class AllOf(Validator):
    """Every one of *parts*, in order (lowback's or any other attrs validator)."""

    parts: tuple[Any, ...]

    def refusal(self, value: Any) -> Refusal | None:  # noqa: D102 - see the base
        for part in self.parts:
            if isinstance(part, Validator):
                refused = part.refusal(value)
                if refused is not None:
                    return refused
        return None

    def __call__(self, inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Run each part; the first that refuses raises."""
        for part in self.parts:
            part(inst, attribute, value)


def type_is(*types: type) -> TypeIs:
    """Require an instance of *types*; ``bool`` never passes for ``int``/``float``."""
    return TypeIs(types)


def text(max_chars: int) -> Text:
    """Require a string of at most *max_chars* characters.

    >>> text(200).max_chars
    200
    """
    return Text(max_chars)


def in_range(low: float, high: float, *, kind: type = int) -> InRange:
    """Require a number of *kind* in the closed range [*low*, *high*]."""
    return InRange(low, high, kind)


def enum_member(enum_type: type[enum.Enum]) -> EnumMember:
    """Require a member of *enum_type* (not its raw value)."""
    return EnumMember(enum_type)


def optional(inner: Validator) -> Optional:
    """Allow ``None`` or whatever *inner* allows."""
    return Optional(inner)


def tuple_of(item_type: type, *, max_length: int = 1000) -> TupleOf:
    """Require a tuple of *item_type* instances, at most *max_length* long."""
    return TupleOf(item_type, max_length)


def unique_by(key: str) -> UniqueBy:
    """Require the items' attribute *key* to differ."""
    return UniqueBy(key)


def all_of(*parts: Any) -> AllOf:
    """Require every one of *parts* (lowback validators or plain attrs ones)."""
    return AllOf(parts)
