"""Shared by the wire tests: one prebuilt, strict JSON Schema validator per type."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema

from lowback import wire


def _is_strict_integer(_checker: object, instance: object) -> bool:
    return type(instance) is int


#: JSON Schema's "integer" admits 6.0; lowback reads only integer literals.
StrictValidator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", _is_strict_integer
    ),
)


@functools.cache
def schema_validator(tp: Any) -> jsonschema.protocols.Validator:
    """The checked schema of *tp* in a strict validator, built once per type."""
    schema = wire.json_schema(tp)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator: jsonschema.protocols.Validator = StrictValidator(schema)
    return validator
