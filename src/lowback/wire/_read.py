"""Python values parsed from JSON to lowback values: the strict structuring walk.

A structurer is built once per type from the attrs fields, their type hints
and their validators' constraints. For a class it is generated code: inline
checks accept the common, valid case quickly; anything else goes to the
general structurer of the field, which records each problem with its JSON
path and reason code. The model's own constructor then has the last word,
and its problems are re-rooted under the object's path.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from lowback.catalog._validation import Constraint, constraint_of
from lowback.errors import InvalidInput, Problem

from ._direct import _construction
from ._model import (
    _SPARSE,
    _VERSION_KEY,
    MAX_LIST_LENGTH,
    MAX_PROBLEMS,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
    _class_tag,
    _hints,
    _is_sequence_type,
    _non_null,
    _tag_of,
    _union_members,
)
from ._scan import _DuplicateKeys
from ._values import (
    _BAD,
    Structurer,
    _enum_structurer,
    _float_structurer,
    _int_structurer,
    _key_path,
    _not_null,
    _optional_structurer,
    _sequence_structurer,
    _structure_bool,
    _structure_date,
    _structure_str,
)


def _report_duplicates(v: dict[str, Any], path: str, problems: list[Problem]) -> None:
    if isinstance(v, _DuplicateKeys):
        problems.extend(
            Problem(
                path=_key_path(path, k),
                code="duplicate_key",
                detail="a key given twice",
            )
            for k in v.duplicates
        )


def _check_keys(
    v: dict[str, Any],
    path: str,
    problems: list[Problem],
    known: frozenset[str],
    name: str,
) -> None:
    _report_duplicates(v, path, problems)
    if not known.issuperset(v):
        problems.extend(
            Problem(
                path=_key_path(path, k),
                code="unknown_key",
                detail=f"not a field of {name}",
            )
            for k in v
            if k not in known
        )


def _check_tag(
    v: dict[str, Any], path: str, problems: list[Problem], tag: tuple[str, str]
) -> None:
    key, expected = tag
    code = (
        "missing"
        if key not in v
        else "wrong_type"
        if type(v[key]) is not str
        else "bad_enum"
        if v[key] != expected
        else None
    )
    if code is not None:
        problems.append(
            Problem(path=f"{path}.{key}", code=code, detail=f"must be {expected}")
        )


def _fast_check(tp: Any, c: Constraint, ns: dict[str, Any]) -> tuple[str, str] | None:
    """A Python condition on ``x`` that accepts only valid input, and its conversion.

    The generated structurer uses it to skip the general walk for the common,
    valid case; whatever it does not accept goes to the general structurer,
    which has the last word and reports the problem. ``None``: no shortcut.
    """
    members = _union_members(tp)
    if members:
        non_null = [m for m in members if m is not type(None)]
        inner = _fast_check(non_null[0], c, ns) if len(non_null) == 1 else None
        if inner is None or len(non_null) == len(members):
            return None
        return f"(x is None or ({inner[0]}))", f"(None if x is None else {inner[1]})"
    scalar = _fast_scalar(tp, c, ns)
    if scalar is not None:
        return scalar
    args = typing.get_args(tp)
    if _is_sequence_type(tp) and args[0] is str:
        limit = min(
            MAX_LIST_LENGTH if c.max_length is None else c.max_length, MAX_LIST_LENGTH
        )
        return (
            f"type(x) is list and len(x) <= {limit} and _short_texts(x)",
            "tuple(x)",
        )
    if (
        _is_sequence_type(tp)
        and isinstance(args[0], type)
        and issubclass(args[0], enum.Enum)
    ):
        name = f"m{len(ns)}"
        ns[name] = {m.value: m for m in args[0]}
        ns[f"k{name}"] = frozenset(ns[name])
        limit = min(c.max_length or MAX_LIST_LENGTH, MAX_LIST_LENGTH)
        return (
            f"type(x) is list and len(x) <= {limit} and _within(k{name}, x)",
            f"tuple([{name}[e] for e in x])",
        )
    return None


def _short_texts(items: list[Any]) -> bool:
    """Whether every item is a string the reader accepts."""
    return all(type(e) is str and len(e) <= MAX_STRING_CHARS for e in items)


def _within(keys: frozenset[str], items: list[Any]) -> bool:
    """Whether every item is one of *keys* (JSON strings only can be)."""
    try:
        return keys.issuperset(items)
    except TypeError:  # an array or object among the items
        return False


def _fast_scalar(tp: Any, c: Constraint, ns: dict[str, Any]) -> tuple[str, str] | None:
    """The shortcut of a scalar type, or ``None``."""
    result: tuple[str, str] | None = None
    if tp is bool:
        result = "type(x) is bool", "x"
    elif tp is str:
        result = f"type(x) is str and len(x) <= {MAX_STRING_CHARS}", "x"
    elif tp in (int, float) and (tp is int or None not in (c.low, c.high)):
        kinds = (
            "type(x) is int" if tp is int else "(type(x) is float or type(x) is int)"
        )
        bounds = "".join(
            f" and {op}"
            for op in (
                None if c.low is None else f"{c.low!r} <= x",
                None if c.high is None else f"x <= {c.high!r}",
            )
            if op
        )
        result = f"{kinds}{bounds}", "x" if tp is int else "float(x)"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        name = f"m{len(ns)}"
        ns[name] = {m.value: m for m in tp}
        result = f"type(x) is str and x in {name}", f"{name}[x]"
    return result


def _class_structurer(cls: type) -> Structurer:
    """Generate a structurer for *cls*: inline checks for the common valid case."""
    tag = _class_tag(cls)
    sparse = cls in _SPARSE
    hints = _hints(cls)
    ns: dict[str, Any] = {
        "_BAD": _BAD,
        "Problem": Problem,
        "_check_keys": _check_keys,
        "_check_tag": _check_tag,
        "InvalidInput": InvalidInput,
        "_within": _within,
        "_short_texts": _short_texts,
        "cls": cls,
        "tag": tag,
        "name": cls.__name__,
    }
    lines = [
        "def structure(v, path, problems):",
        "    if not isinstance(v, dict):",
        (
            "        problems.append(Problem(path=path, code='wrong_type',"
            f" detail={f'expected a {cls.__name__} object'!r}))"
        ),
        "        return _BAD",
        "    before = len(problems)",
        "    if type(v) is not dict or not known.issuperset(v):",
        "        _check_keys(v, path, problems, known, name)",
    ]
    if tag is not None:
        lines += [
            f"    if v.get({tag[0]!r}) != {tag[1]!r}:",
            "        _check_tag(v, path, problems, tag)",
        ]
    direct = _construction(cls, sparse=sparse, ns=ns)
    lines.append("    kw = {}" if direct is None else "    inst = _new(cls)")
    known = {tag[0]} if tag else set()
    for index, f in enumerate(attrs.fields(cls)):
        if not f.init:
            continue
        known.add(f.name)
        hint, constraint = hints[f.name], constraint_of(f.validator)
        general = _structurer(hint, constraint)
        if sparse:
            general, hint = _not_null(general), _non_null(hint)
        ns[f"s{index}"] = general
        suffix = f".{f.name}"
        fast = _fast_check(hint, constraint, ns)
        lines += [f"    if {f.name!r} in v:", f"        x = v[{f.name!r}]"]
        call = f"s{index}(x, path + {suffix!r}, problems)"
        store = f"kw[{f.alias!r}] = {{}}" if direct is None else direct.setters[index]
        if fast is None:
            lines.append("        " + store.replace("{}", call))
        else:
            lines += [
                f"        if {fast[0]}:",
                "            " + store.replace("{}", fast[1]),
                "        else:",
                "            " + store.replace("{}", call),
            ]
        missing: list[str] = []
        if direct is not None:
            lines += ["        " + line for line in direct.given[index]]
            missing = direct.missing[index]
        if f.default is attrs.NOTHING:
            missing = [
                (
                    f"problems.append(Problem(path=path + {suffix!r},"
                    " code='missing', detail='a required key'))"
                )
            ]
        if missing:
            lines += ["    else:", *("        " + line for line in missing)]
    lines += ["    if len(problems) > before:", "        return _BAD", "    try:"]
    lines += ["        return cls(**kw)"] if direct is None else direct.final
    lines += [
        "    except InvalidInput as err:",
        "        problems.extend(err.under(path).problems)",
        "    except Exception:",
        (
            "        problems.append(Problem(path=path, code='invalid',"
            f" detail={f'not a valid {cls.__name__}'!r}))"
        ),
        "    return _BAD",
    ]
    ns["known"] = frozenset(known)
    exec("\n".join(lines), ns)  # noqa: S102 - generated from the class's own fields
    return ns["structure"]  # type: ignore[no-any-return]


def _union_structurer(tag: str, classes: Mapping[str, type]) -> Structurer:
    structurers = {value: _structurer(cls) for value, cls in classes.items()}
    detail = f"expected one of: {', '.join(classes)}"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(v, dict):
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an object")
            )
            return _BAD
        if tag not in v:
            problems.append(
                Problem(path=f"{path}.{tag}", code="missing", detail=detail)
            )
            return _BAD
        value = v[tag]
        if type(value) is not str:
            problems.append(
                Problem(path=f"{path}.{tag}", code="wrong_type", detail=detail)
            )
            return _BAD
        struct = structurers.get(value)
        if struct is None:
            problems.append(
                Problem(path=f"{path}.{tag}", code="bad_enum", detail=detail)
            )
            return _BAD
        return struct(v, path, problems)

    return structure


def _keyed(members: tuple[Any, ...]) -> bool:
    """Whether *members* are attrs classes that each have their own set of keys."""
    if not all(isinstance(m, type) and attrs.has(m) for m in members):
        return False
    keys = {frozenset(f.name for f in attrs.fields(m)) for m in members}
    return len(keys) == len(members)


def _keyed_union_structurer(members: tuple[type, ...]) -> Structurer:
    """An untagged union of records told apart by their keys (outcome answers).

    The member sharing the most keys with the object reads it, so a record
    with a key missing or misspelt still gets its problems by path.
    """
    named = tuple(
        (frozenset(f.name for f in attrs.fields(m)), _structurer(m)) for m in members
    )
    detail = "expected the keys of one of: " + ", ".join(m.__name__ for m in members)

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(v, dict):
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an object")
            )
            return _BAD
        shared, read = max(((len(keys & v.keys()), s) for keys, s in named), key=_first)
        if not shared:
            problems.append(Problem(path=path, code="invalid", detail=detail))
            return _BAD
        return read(v, path, problems)

    return structure


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


_CACHE: dict[tuple[Any, Constraint], Structurer] = {}


def _structurer(tp: Any, constraint: Constraint = Constraint()) -> Structurer:  # noqa: B008 - a frozen value
    key = (tp, constraint)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _make_structurer(tp, constraint)
    return found


_SIMPLE: Mapping[Any, Structurer] = {
    bool: _structure_bool,
    str: _structure_str,
    dt.date: _structure_date,
}
_NUMBERS: Mapping[Any, Callable[[Constraint], Structurer]] = {
    int: _int_structurer,
    float: _float_structurer,
}


def _make_structurer(tp: Any, c: Constraint) -> Structurer:
    simple = _SIMPLE.get(tp) or (_NUMBERS[tp](c) if tp in _NUMBERS else None)
    if simple is not None:
        return simple
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_structurer(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return _class_structurer(tp)
    if _union_members(tp):
        return _union_or_optional_structurer(tp, c)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    max_length = c.max_length if c.max_length is not None else MAX_LIST_LENGTH
    if _is_sequence_type(tp) or origin is frozenset:
        return _sequence_structurer(
            _structurer(args[0]), max_length, unique=origin is frozenset
        )
    raise TypeError(f"lowback has no wire form for {tp!r}")


def _union_or_optional_structurer(tp: Any, c: Constraint) -> Structurer:
    members = _union_members(tp)
    non_null = tuple(m for m in members if m is not type(None))
    inner: Structurer
    if len(non_null) == 1:
        inner = _structurer(non_null[0], c)
    else:
        tagged = _tag_of(non_null)
        if tagged is not None:
            inner = _union_structurer(*tagged)
        elif _keyed(non_null):
            inner = _keyed_union_structurer(non_null)
        else:
            raise TypeError(f"lowback cannot read the untagged union {tp!r}")
    return _optional_structurer(inner) if len(non_null) < len(members) else inner


def _finish(problems: list[Problem]) -> InvalidInput:
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [
            *problems[:MAX_PROBLEMS],
            Problem(
                path="$", code="too_many_problems", detail=f"{more} more not listed"
            ),
        ]
    return InvalidInput(problems)


def _check_version(
    v: dict[str, Any], path: str, problems: list[Problem], *, required: bool
) -> dict[str, Any]:
    """Check and remove ``schema_version`` from a document object."""
    if _VERSION_KEY not in v:
        if required:
            problems.append(
                Problem(
                    path=f"{path}.{_VERSION_KEY}",
                    code="missing",
                    detail=f"must be {SCHEMA_VERSION}",
                )
            )
        return v
    version = v[_VERSION_KEY]
    if type(version) is not int:
        problems.append(
            Problem(
                path=f"{path}.{_VERSION_KEY}",
                code="wrong_type",
                detail="expected an integer",
            )
        )
    elif version != SCHEMA_VERSION:
        problems.append(
            Problem(
                path=f"{path}.{_VERSION_KEY}",
                code="bad_version",
                detail=f"this lowback reads version {SCHEMA_VERSION}",
            )
        )
    rest = type(v)(v)
    if isinstance(v, _DuplicateKeys):
        rest.duplicates = v.duplicates  # type: ignore[attr-defined]
    del rest[_VERSION_KEY]
    return rest


#: Per document type: whether it is a sequence, and its structurer.
_DOCUMENTS: dict[Any, tuple[bool, Structurer]] = {}


def _document_plan(tp: Any) -> tuple[bool, Structurer]:
    """How to read a document of type *tp* (a TypeError if it has no wire form)."""
    plan = _DOCUMENTS.get(tp)
    if plan is None:
        plan = _DOCUMENTS[tp] = (_is_sequence_type(tp), _structurer(tp))
    return plan


def _structure_document(
    value: Any, tp: Any, root: str = "$", *, version_required: bool = True
) -> Any:
    sequence, structure = _document_plan(tp)
    problems: list[Problem] = []
    if sequence:
        if type(value) is list:
            value = [
                _check_version(item, f"{root}[{i}]", problems, required=False)
                if isinstance(item, dict) and _VERSION_KEY in item
                else item
                for i, item in enumerate(value)
            ]
    elif isinstance(value, dict):
        value = _check_version(value, root, problems, required=version_required)
    result = structure(value, root, problems)
    if problems:
        raise _finish(problems)
    return result
