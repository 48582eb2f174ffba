"""Regenerate the golden wire corpus in ``tests/golden/wire/`` from today's code.

The corpus pins the wire contract byte for byte: ``tests/test_wire_golden.py``
checks the code against it. Regenerate it only on purpose, when the contract
changes (for example a new field), and review the diff::

    python tests/golden/make_wire_corpus.py --write

Without ``--write`` the script only reports what it would write.

What it holds:

- ``examples.json``: every example document in ``docs/``, ``examples/data/``
  and the test fixtures, with the type it is read as and its exact
  :func:`lowback.dumps` output;
- ``documents/NNNN-Type.json``: generated values of every wire type (fixed
  seed; Hypothesis strategies from ``tests/strategies.py``, and plan states,
  decisions and prescriptions from replaying generated journals with the
  real engine), each file the exact ``dumps`` output;
- ``malformed/NNNN.json`` (or ``.bin`` for bytes) with ``malformed.json``:
  documents :func:`lowback.loads` refuses, with their type and every
  expected (path, code) problem.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "wire"
sys.path.insert(0, str(HERE.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import lowback  # noqa: E402
import strategies as S  # noqa: E402, N812
from lowback import progress, wire  # noqa: E402
from lowback.catalog.events import OutcomeRecorded  # noqa: E402
from lowback.engine.outcomes import ScoreReport, score  # noqa: E402

#: Malformed documents longer than this are left to the unit tests.
MAX_STORED = 150_000


def _collect(strategy: st.SearchStrategy[Any], count: int, seed: int) -> list[Any]:
    """*count* examples of *strategy*, the same on every run (derandomized)."""
    found: list[Any] = []

    @settings(
        max_examples=count * 3,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: Any) -> None:
        if len(found) < count:
            found.append(value)

    random.seed(seed)
    draw()
    return found


def _replays(journals: list[Any]) -> list[tuple[Any, Any]]:
    """(state, decisions) for each journal the engine accepts."""
    out = []
    for journal in journals:
        try:
            out.append(lowback.replay(journal))
        except lowback.InvalidInput:
            continue
    return out


def generated() -> list[tuple[str, Any]]:
    """(wire type name, value) pairs across every wire type."""
    values: list[tuple[str, Any]] = []
    plain = [
        ("Intake", S.intakes, 40),
        ("RedFlagAnswers", S.red_flag_answers, 10),
        ("SelfCheckResult", S.self_check_results, 20),
        ("TriageResult", S.triage_results, 25),
        ("FiredRule", S.fired_rules, 10),
        ("Dose", S.doses, 20),
        ("Thresholds", S.thresholds, 10),
        ("SessionLogged", S.session_logs(), 15),
        ("CheckIn", S.check_ins(), 15),
        ("SelfCheckRecorded", S.self_check_records(), 10),
        ("ClinicianCleared", S.clinician_clearances(), 8),
        ("ClinicianOverride", S.clinician_overrides(), 8),
        ("ExerciseDone", S.exercises_done, 10),
        ("AskedRedFlags", S.asked_red_flags, 10),
        ("AskedNerveFeatures", S.asked_nerve_features, 6),
        ("Event", S.plan_events(), 15),
    ]
    for seed, (name, strategy, count) in enumerate(plain):
        values += [(name, v) for v in _collect(strategy, count, seed)]
    journals = _collect(S.journals(max_events=12), 30, 100)
    values += [("Journal", j) for j in journals]
    values += [("PlanStarted", j[0]) for j in journals[:10]]
    runs = _replays(journals)
    for state, decisions in runs[:20]:
        values.append(("PlanState", state))
        values += [("Decision", d) for d in decisions[-2:]]
        values.append(
            ("ReplayOutput", wire.ReplayOutput(state=state, decisions=decisions))
        )
        rx = lowback.prescription(state)
        values.append(("Prescription", rx))
        # A prescribed exercise is an ExerciseDose with its cautions
        # (LD-CAUTION); the ExerciseDose document is the dose alone.
        values += [
            ("ExerciseDose", lowback.ExerciseDose(exercise=d.exercise, dose=d.dose))
            for d in rx.exercises[:1]
        ]
    # Outcome measures (spec 6): answer records, score reports, and what a
    # plan remembers of them (drawn from the replays above).
    answers = [
        ("NprsAnswers", S.nprs_answers, 5),
        ("OdiAnswers", S.odi_answers, 8),
        ("RmdqAnswers", S.rmdq_answers, 6),
        ("PsfsAnswers", S.psfs_answers, 6),
        ("PegAnswers", S.peg_answers, 5),
        ("StartBackAnswers", S.start_back_answers, 8),
    ]
    for seed, (name, strategy, count) in enumerate(answers, start=200):
        drawn = _collect(strategy, count, seed)
        values += [(name, v) for v in drawn]
        values += [("ScoreReport", ScoreReport.of(score(v))) for v in drawn[:2]]
        if name == "PsfsAnswers":
            values += [("PsfsActivity", a) for v in drawn[:2] for a in v.activities]
    recorded = [e for j in journals for e in j if isinstance(e, OutcomeRecorded)]
    values += [("OutcomeRecorded", e) for e in recorded[:10]]
    records = [r for state, _ in runs for r in state.outcomes]
    values += [("OutcomeRecord", r) for r in records[:10]]
    reports = [p for state, _ in runs for p in progress(state)]
    values += [("MeasureProgress", p) for p in reports[:10]]
    return values


def examples() -> list[dict[str, Any]]:
    """Every example document of docs, examples and the fixtures."""
    found: list[tuple[str, str, str]] = [
        ("examples/data/intake.json", "Intake", "doc"),
        ("examples/data/journal.jsonl", "Journal", "jsonl"),
        ("tests/fixtures/wire/intake.json", "Intake", "doc"),
        ("tests/fixtures/wire/triage_result.json", "TriageResult", "doc"),
        ("tests/fixtures/wire/journal.json", "Journal", "doc"),
    ]
    out = []
    for source, type_name, kind in found:
        text = (ROOT / source).read_text(encoding="utf-8")
        tp = wire.WIRE_TYPES[type_name]
        read = wire.loads_jsonl if kind == "jsonl" else wire.loads
        value = read(text, tp)
        out.append(
            {
                "source": source,
                "type": type_name,
                "kind": kind,
                "input": text,
                "dumps": wire.dumps(value),
                "dumps_jsonl": wire.dumps_jsonl(value) if kind == "jsonl" else None,
            }
        )
    return out


def _problems(text: str | bytes, tp: Any) -> list[list[str]] | None:
    try:
        wire.loads(text, tp)
    except lowback.InvalidInput as err:
        return [[p.path, p.code] for p in err.problems]
    return None


def _mutants(name: str, value: Any, rng: random.Random) -> list[str]:
    """Malformed variants of the document of *value*: one mutation each."""
    doc = json.loads(wire.dumps(value))
    if not isinstance(doc, dict):
        return []
    keys = [k for k in doc if k not in ("schema_version", "check", "type")]
    out = []
    bad_values: list[Any] = ["7", 3.5, True, None, [], {}, -1, 10**6, "no such"]
    for _ in range(3):
        if not keys:
            break
        key = rng.choice(keys)
        mutated = dict(doc)
        mutated[key] = rng.choice(bad_values)
        out.append(json.dumps(mutated))
    mutated = dict(doc)
    mutated["unexpected_" + name.lower()] = 1
    out.append(json.dumps(mutated))
    if keys:
        mutated = dict(doc)
        del mutated[rng.choice(keys)]
        out.append(json.dumps(mutated))
    return out


def malformed(values: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Malformed documents with every expected problem, from tests and mutations."""
    import test_serialization  # noqa: PLC0415 - the hand-written malformed corpus

    out: list[dict[str, Any]] = []
    type_names = {id(tp): n for n, tp in wire.WIRE_TYPES.items()}
    for label, text, tp, _path, _code in test_serialization.MALFORMED:
        if len(text) > MAX_STORED or id(tp) not in type_names:
            continue
        problems = _problems(text, tp)
        if problems is not None:
            out.append(
                {
                    "label": label,
                    "type": type_names[id(tp)],
                    "text": text,
                    "problems": problems,
                }
            )
    rng = random.Random(11)  # noqa: S311 - a fixed seed, not a secret
    for index, (name, value) in enumerate(values):
        if index % 3:
            continue
        for text in _mutants(name, value, rng):
            problems = _problems(text, wire.WIRE_TYPES[name])
            if problems is not None:
                out.append(
                    {
                        "label": f"mutant-{name}",
                        "type": name,
                        "text": text,
                        "problems": problems,
                    }
                )
    return out


def write() -> None:
    """Rebuild ``tests/golden/wire/``."""
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "documents").mkdir(parents=True)
    (OUT / "malformed").mkdir()
    (OUT / "examples.json").write_text(
        json.dumps(examples(), indent=1, ensure_ascii=True) + "\n", encoding="utf-8"
    )
    values = generated()
    for index, (name, value) in enumerate(values):
        (OUT / "documents" / f"{index:04d}-{name}.json").write_text(
            wire.dumps(value), encoding="ascii"
        )
    index_rows = []
    for number, case in enumerate(malformed(values)):
        text = case.pop("text")
        if isinstance(text, bytes):
            file = f"{number:04d}.bin"
            (OUT / "malformed" / file).write_bytes(text)
        else:
            file = f"{number:04d}.json"
            (OUT / "malformed" / file).write_bytes(
                text.encode("utf-8", "surrogatepass")
            )
        index_rows.append({"file": file, **case})
    (OUT / "malformed.json").write_text(
        json.dumps(index_rows, indent=1, ensure_ascii=True) + "\n", encoding="utf-8"
    )
    print(f"{len(values)} documents, {len(index_rows)} malformed, in {OUT}")  # noqa: T201 - a script


def main() -> None:
    """Parse the flag and write, or say what would be written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--write", action="store_true", help="rewrite tests/golden/wire/"
    )
    if parser.parse_args().write:
        write()
    else:
        values = generated()
        print(f"would write {len(values)} documents; pass --write to rewrite {OUT}")  # noqa: T201 - a script


if __name__ == "__main__":
    main()
