"""Extract the FHIR R4 JSON Schema subset lowback's tests validate against.

Usage: python tests/fhir_r4/make_subset.py PATH/TO/fhir.schema.json

Keeps the definitions reachable from the resource types lowback emits,
trims ``ResourceList`` (and the root's ``oneOf`` and discriminator) to those
types, and drops the ``description`` texts to keep the file small. Nothing
else is changed. See README.md beside this file for the source.
"""

import json
import sys
from pathlib import Path
from typing import Any

EMITTED = (
    "Bundle",
    "CarePlan",
    "Goal",
    "GuidanceResponse",
    "Observation",
    "QuestionnaireResponse",
    "RiskAssessment",
)
HERE = Path(__file__).parent


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref.removeprefix("#/definitions/"))
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _strip(v)
            for k, v in node.items()
            if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def main(source: str) -> None:
    full = json.loads(Path(source).read_text(encoding="utf-8"))
    definitions = full["definitions"]
    types = [{"$ref": f"#/definitions/{name}"} for name in EMITTED]
    definitions = {**definitions, "ResourceList": {"oneOf": types}}
    keep: set[str] = set()
    todo = [*EMITTED, "ResourceList"]
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        todo.extend(_refs(definitions[name]) - keep)
    subset = {
        "$schema": full["$schema"],
        "id": full["id"],
        "discriminator": {
            "propertyName": "resourceType",
            "mapping": {n: f"#/definitions/{n}" for n in EMITTED},
        },
        "oneOf": types,
        "definitions": {n: _strip(definitions[n]) for n in sorted(keep)},
    }
    text = json.dumps(subset, indent=1, sort_keys=True, ensure_ascii=False)
    (HERE / "fhir.r4.subset.schema.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
