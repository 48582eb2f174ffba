"""The three independent FHIR R4 checks the FHIR export's tests run.

1. The HL7 FHIR R4 JSON Schema (the subset in ``fhir_r4/``; see its README),
   with :mod:`jsonschema`, one validator built once.
2. A strict parse with ``fhirclient`` 4.4 (models generated from FHIR
   4.0.1), which catches missing required elements the schema does not.
3. FHIRPath invariants of the R4 specification, with ``fhirpathpy`` and its
   R4 model, keyed as in the specification.

Plus the Bundle's own promise, every reference resolves inside it, and the
JSON rule that no array, object or string is empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from fhirclient.models.bundle import Bundle
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models

SCHEMA_PATH = Path(__file__).parent / "fhir_r4" / "fhir.r4.subset.schema.json"
_SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft6Validator(_SCHEMA)
# The same schema entered at one resource type's definition, so that errors
# name the element instead of the root's oneOf. Built once.
_BY_TYPE = {
    ref["$ref"].removeprefix("#/definitions/"): _VALIDATOR.evolve(
        schema={"id": _SCHEMA["id"], "definitions": _SCHEMA["definitions"], **ref}
    )
    for ref in _SCHEMA["oneOf"]
}
_R4 = models["r4"]

#: Invariants of the FHIR R4 (4.0.1) specification: key -> (resource type,
#: the path of the element it constrains, its FHIRPath expression), copied
#: from the specification's constraint tables.
INVARIANTS: dict[str, tuple[str, str, str]] = {
    "qrs-1": (
        "QuestionnaireResponse",
        "repeat(item | answer.item)",
        "(answer.exists() and item.exists()).not()",
    ),
    "obs-6": ("Observation", "", "dataAbsentReason.empty() or value.empty()"),
    "obs-7": (
        "Observation",
        "",
        "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()",
    ),
    "ras-2": (
        "RiskAssessment",
        "prediction",
        "probability is decimal implies (probability as decimal) <= 100",
    ),
    "cpl-3": ("CarePlan", "activity", "detail.empty() or reference.empty()"),
    "tim-1": (
        "CarePlan",
        "activity.detail.scheduled.repeat",
        "duration.empty() or durationUnit.exists()",
    ),
    "tim-4": (
        "CarePlan",
        "activity.detail.scheduled.repeat",
        "duration.exists() implies duration >= 0",
    ),
    "gol-1": (
        "Goal",
        "target",
        "(detail.exists() and measure.exists()) or detail.empty()",
    ),
    "bdl-1": (
        "Bundle",
        "",
        "total.empty() or (type = 'searchset') or (type = 'history')",
    ),
    "bdl-2": ("Bundle", "", "entry.search.empty() or (type = 'searchset')"),
    "bdl-3": (
        "Bundle",
        "",
        "entry.request.empty() or type = 'batch' or type = 'transaction' or type = 'history'",
    ),
    "bdl-4": (
        "Bundle",
        "",
        "entry.response.empty() or type = 'batch-response' or type = 'transaction-response' or type = 'history'",
    ),
    "bdl-5": (
        "Bundle",
        "entry",
        "resource.exists() or request.exists() or response.exists()",
    ),
    "bdl-7": (
        "Bundle",
        "",
        "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
    ),
    "bdl-8": ("Bundle", "entry", "fullUrl.contains('/_history/').not()"),
}


# qrs-2 ("Repeated answers are combined in the answers array of a single
# item": repeat(answer|item).select(item.where(answer.value.exists()).linkId
# .isDistinct()).allTrue()) is checked in Python by repeated_link_ids:
# fhirpathpy 2.2.4 loses the element types inside repeat(), so answer.value
# never resolves there and the expression passes vacuously.

# Each invariant parsed once, entered at its element's path.
_COMPILED = {
    key: (type_, compile_fhirpath(f"{path}.select({expr})" if path else expr, _R4))
    for key, (type_, path, expr) in INVARIANTS.items()
}


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """Problems the R4 JSON Schema finds in *resource* (a Bundle or any emitted type)."""
    validator = _BY_TYPE.get(resource.get("resourceType", ""), _VALIDATOR)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(resource)
        for e in (
            [e] if not e.context else [jsonschema.exceptions.best_match(e.context)]
        )
    ]


def strict_parse_errors(bundle: dict[str, Any]) -> list[str]:
    """Problems ``fhirclient``'s strict parse of *bundle* raises."""
    try:
        Bundle(jsondict=json.loads(json.dumps(bundle)), strict=True)
    except Exception as err:  # noqa: BLE001 - fhirclient raises several kinds
        return [str(err)]
    return []


def invariant_failures(resource: dict[str, Any]) -> list[str]:
    """The keys of the invariants *resource* breaks.

    An invariant is broken when it evaluates to ``false``. An empty result
    means it does not apply: ras-2 on a prediction without a probability
    gives ``{} implies {}``, which is empty.
    """
    data = json.loads(json.dumps(resource))  # fhirpathpy may annotate its input
    return [
        key
        for key, (type_, check) in _COMPILED.items()
        if resource.get("resourceType") == type_
        and False in check(data, {"resource": data})
    ]


def repeated_link_ids(resource: dict[str, Any]) -> list[str]:
    """qrs-2: answered items that repeat a sibling's ``linkId``."""
    repeated = []

    def visit(node: dict[str, Any]) -> None:
        children = [
            *node.get("item", ()),
            *(i for a in node.get("answer", ()) for i in a.get("item", ())),
        ]
        answered = [c["linkId"] for c in children if c.get("answer")]
        repeated.extend(sorted({x for x in answered if answered.count(x) > 1}))
        for child in children:
            visit(child)

    if resource.get("resourceType") == "QuestionnaireResponse":
        visit(resource)
    return repeated


def empty_elements(node: Any, path: str = "") -> list[str]:
    """Paths of empty arrays, objects or strings, which FHIR JSON forbids.

    The R4 JSON rules: an array is never empty, an object has content, and a
    primitive is never ``""`` (absent elements are left out instead). The
    JSON Schema encodes none of this.
    """
    if node in ([], {}, ""):
        return [path or "/"]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in empty_elements(v, f"{path}/{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in empty_elements(v, f"{path}/{i}")]
    return []


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def unresolved(bundle: dict[str, Any], patient: str | None) -> list[str]:
    """References in *bundle* that name neither an entry nor the patient."""
    inside = {entry["fullUrl"] for entry in bundle["entry"]}
    return [r for r in _references(bundle) if r not in inside and r != patient]


def all_problems(bundle: dict[str, Any], patient: str | None = None) -> list[str]:
    """Every problem the three checks and the reference check find in *bundle*.

    The schema checks the Bundle without its resources, then each resource
    against its own type's definition (the same result as the Bundle's
    ``oneOf`` over every type, far quicker and with clearer messages).
    """
    shell = {**bundle, "entry": [{"fullUrl": e["fullUrl"]} for e in bundle["entry"]]}
    problems = [f"schema: {p}" for p in schema_errors(shell)]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        problems += [f"schema: {p}" for p in schema_errors(resource)]
        problems += [
            f"invariant {k} in {resource['resourceType']}"
            for k in invariant_failures(resource)
        ]
        problems += [f"qrs-2: repeated {i}" for i in repeated_link_ids(resource)]
    problems += [f"empty element: {p}" for p in empty_elements(bundle)]
    problems += [f"invariant {k} in Bundle" for k in invariant_failures(bundle)]
    problems += [f"fhirclient: {p}" for p in strict_parse_errors(bundle)]
    problems += [f"unresolved reference: {r}" for r in unresolved(bundle, patient)]
    return problems
