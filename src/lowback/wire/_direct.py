"""Building a value without its ``__init__``, when the reader has checked it all.

The structuring walk of :mod:`lowback.wire._read` checks every field's JSON
type, enum, range and length itself, with paths. When a class's validators
check nothing more than that (their constraints are *implied*), the
generated structurer may set the fields straight into a new instance
instead of calling ``__init__``; validators that check more still run. This
module decides, per class and field, which is safe, and writes the lines of
generated code that do it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from lowback.catalog._validation import Constraint, constraint_of, kind_of

from ._model import _hints, _is_sequence_type, _non_null, _union_members


def _implied(kind: tuple[Any, ...] | None, hint: Any, c: Constraint) -> bool:
    """Whether the reader's output for *hint* always passes the validator *kind*.

    *c* is the field's constraint, which the reader enforces; a validator is
    implied only when what it checks is exactly what the reader has checked.
    """
    if kind is None:
        return False
    name, *args = kind
    return _IMPLIED[name](args, _non_null(hint), c)


def _tuple_of_implied(args: list[Any], hint: Any, c: Constraint) -> bool:
    item_type, max_length = args
    if not _is_sequence_type(hint) or c.max_length != max_length:
        return False
    item = typing.get_args(hint)[0]
    return all(
        isinstance(m, type)
        and issubclass(m, item_type)
        and (m is not bool or item_type is bool)
        for m in _union_members(item) or (item,)
    )


_IMPLIED: Mapping[str, Callable[[list[Any], Any, Constraint], bool]] = {
    "optional": lambda args, hint, c: _implied(kind_of(args[0]), hint, c),
    "type_is": lambda args, hint, _c: isinstance(hint, type) and hint in args[0],
    "enum_member": lambda args, hint, _c: hint is args[0],
    "in_range": lambda args, hint, c: (
        hint is args[2] and (c.low, c.high) == (args[0], args[1])
    ),
    "tuple_of": _tuple_of_implied,
}


def _parts(validator: Any) -> tuple[Any, ...]:
    if validator is None:
        return ()
    return tuple(getattr(validator, "_validators", None) or (validator,))


def _constructible_directly(cls: type) -> bool:
    """Whether *cls* is built by attrs' own ``__init__`` and nothing more."""
    klass: Any = cls
    init_file = getattr(getattr(klass.__init__, "__code__", None), "co_filename", "")
    return (
        init_file.startswith("<attrs generated")
        and klass.__new__ is object.__new__
        # frozen: attrs' __init__ sets fields with object.__setattr__ too
        and getattr(klass.__setattr__, "__name__", "") == "_frozen_setattrs"
        and not hasattr(cls, "__attrs_pre_init__")
        and "_attrs_cached_hash" not in getattr(cls, "__slots__", ())
        and all(
            f.init
            and f.converter is None
            and not (isinstance(f.default, attrs.Factory) and f.default.takes_self)  # type: ignore[arg-type]
            for f in attrs.fields(cls)
        )
    )


@attrs.define
class _Direct:
    """How a generated structurer builds its class without the constructor.

    The instance is made first and each field set as it is read; the lines
    are Python source for the generated function, by field index.
    """

    #: The generated function's namespace, for the defaults.
    ns: dict[str, Any]
    #: A statement setting the field to the expression put in ``{}``.
    setters: dict[int, str] = attrs.Factory(dict)
    #: Lines run after a field's key was read.
    given: dict[int, list[str]] = attrs.Factory(dict)
    #: Lines run when a field's key is missing (a default to set).
    missing: dict[int, list[str]] = attrs.Factory(dict)
    #: Lines setting the defaults made by factories that were needed.
    factories: list[str] = attrs.Factory(list)
    #: The body of the final ``try``: the checks left, returning the instance.
    final: list[str] = attrs.Factory(list)


def _setter(cls: type, f: attrs.Attribute[Any], index: int, ns: dict[str, Any]) -> str:
    """A statement setting field *f* of ``inst`` to ``{}``, like attrs' own setter."""
    slot = getattr(cls, f.name, None)
    if type(slot) is types.MemberDescriptorType:  # the slot itself: no lookup
        ns[f"S{index}"] = slot.__set__
        return f"S{index}(inst, {{}})"
    return f"_set(inst, {f.name!r}, {{}})"


def _construction(cls: type, *, sparse: bool, ns: dict[str, Any]) -> _Direct | None:
    """How generated code builds *cls* without re-running checks made.

    It does what attrs' ``__init__`` does (set each field, a default when
    the key is missing, then the validators in field order, then
    ``__attrs_post_init__``), except that a validator part from
    :mod:`lowback.catalog._validation` which the reader has already enforced for the
    field's type hint and constraint is skipped: it cannot fail on the
    reader's output. A default that such a part would refuse, a factory's
    value, and every other validator are still checked. ``None``: *cls* is
    not built by attrs alone, so the reader calls its constructor.
    """
    if not _constructible_directly(cls):
        return None
    hints = _hints(cls)
    ns |= {"_new": object.__new__, "_set": object.__setattr__}
    ns["_disabled"] = attrs.validators.get_disabled
    direct = _Direct(ns=ns)
    checks: list[str] = []
    for index, f in enumerate(attrs.fields(cls)):
        constraint = constraint_of(f.validator)
        hint = _non_null(hints[f.name]) if sparse else hints[f.name]
        parts = _parts(f.validator)
        unknown = [p for p in parts if not _implied(kind_of(p), hint, constraint)]
        ns[f"a{index}"] = f
        ns[f"v{index}"] = f.validator
        for number, part in enumerate(unknown):
            ns[f"u{index}_{number}"] = part
        run_unknown = [
            f"u{index}_{number}(inst, a{index}, inst.{f.name})"
            for number in range(len(unknown))
        ]
        direct.setters[index] = _setter(cls, f, index, ns)
        direct.given[index], direct.missing[index] = [], []
        if f.default is attrs.NOTHING:
            checks += run_unknown
        else:
            known = [p for p in parts if not any(p is u for u in unknown)]
            checks += _default(direct, f, index, known, run_unknown)
    body = direct.factories
    if checks:
        body += ["if not _disabled():", *("    " + line for line in checks)]
    if hasattr(cls, "__attrs_post_init__"):
        body.append("inst.__attrs_post_init__()")
    body.append("return inst")
    direct.final = ["        " + line for line in body]
    return direct


def _default(
    direct: _Direct,
    f: attrs.Attribute[Any],
    index: int,
    known: list[Any],
    run_unknown: list[str],
) -> list[str]:
    """Plan the default of field *f*; return the checks it needs, in source lines.

    *known* are the validator parts the reader enforces, *run_unknown* the
    lines running the others. A given value needs only the others; a default
    needs the whole validator, unless the known parts surely accept it.
    """
    setter, ns = direct.setters[index], direct.ns
    default: Any = f.default
    factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
    default_passes = not known or (not factory and _passes(f, known))
    if factory:  # called where the constructor would call it: in the try
        ns[f"d{index}"] = default.factory
        direct.given[index] = [f"g{index} = False"]
        direct.missing[index] = [f"g{index} = True"]
        direct.factories += [
            f"if g{index}:",
            "    " + setter.replace("{}", f"d{index}()"),
        ]
    else:
        ns[f"d{index}"] = default
        direct.missing[index] = [setter.replace("{}", f"d{index}")]
        if not default_passes:
            direct.given[index] = [f"g{index} = False"]
            direct.missing[index].append(f"g{index} = True")
    if default_passes:
        return run_unknown
    checks = [f"if g{index}:", f"    v{index}(inst, a{index}, inst.{f.name})"]
    if run_unknown:
        checks += ["else:", *("    " + line for line in run_unknown)]
    return checks


def _passes(f: attrs.Attribute[Any], parts: list[Any]) -> bool:
    """Whether the default of *f* passes the (context-free) validator *parts*."""
    try:
        for part in parts:
            part(None, f, f.default)
    except Exception:  # noqa: BLE001 - any failure: check the default at run time
        return False
    return True
