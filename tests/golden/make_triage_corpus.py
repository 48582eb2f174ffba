"""Build, or check, the triage golden corpus in ``tests/golden/triage/``.

The corpus pins what :func:`lowback.triage` gives today, byte for byte, so a
restructuring can prove it changed nothing and a rule change shows exactly
which results it moved. Three files, one case per line or block, in the same
order:

* ``intakes.jsonl``: ``{"name": ..., "intake": <Intake document>}``;
* ``results.jsonl``: ``lowback.dumps(triage(intake))``;
* ``text.txt``: ``== name ==`` then what ``lowback triage FILE`` prints.

The intakes are every example intake of the docs and ``examples/``, the
benchmark's intakes, hand-made edge cases (saddle region, onset after
trauma, ages around 16 and 50, worst pain around 7, "not sure" beside a
nerve feature or a history flag) and intakes drawn from
``tests/strategies.py`` with a fixed seed.

``python tests/golden/make_triage_corpus.py --write`` regenerates all three
files from scratch (new generated intakes too); ``--outputs`` re-triages the
committed intakes and rewrites only the outputs (for a commit that changes a
rule: the diff then shows exactly the results the rule moved); with neither it
re-triages the committed intakes and reports whether the outputs still match.
``tests/test_triage_golden.py`` runs the same comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

import lowback
from lowback import (
    Answer,
    BackwardLeanResult,
    BodyRegion,
    EnduranceHoldResult,
    ForwardBendResult,
    Intake,
    Onset,
    PainQuality,
    RedFlag,
    RedFlagAnswers,
    Side,
    StopReason,
    cli,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "triage"
INTAKES, RESULTS, TEXT = "intakes.jsonl", "results.jsonl", "text.txt"
SEED = 20261130
N_GENERATED = 220
N_BENCH_VARIED = 40
YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN


def _clear(**changes: Any) -> Intake:
    sys.path.insert(0, str(ROOT / "tests"))
    from strategies import clear_intake  # noqa: PLC0415 - tests/ is on the path only here

    return clear_intake(**changes)


def _flags(**answers: Answer) -> RedFlagAnswers:
    return RedFlagAnswers.all_no(**answers)


def _module(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _documented() -> Iterator[tuple[str, Intake]]:
    """The example intakes of the docs, examples/ and the demo."""
    text = (ROOT / "examples" / "data" / "intake.json").read_bytes()
    yield "examples-data-intake", lowback.loads(text, Intake)
    journal = (ROOT / "examples" / "data" / "journal.jsonl").read_bytes()
    first = lowback.loads_jsonl(journal, lowback.Journal)[0]
    yield "examples-data-journal-intake", first.intake
    from lowback._demo import _intake  # noqa: PLC0415 - the demo's own intake

    yield "demo-intake", _intake()
    tutorial = _clear(pain_regions=(BodyRegion.LOW_BACK, BodyRegion.BUTTOCK))
    yield "docs-tutorial", tutorial
    yield (
        "docs-tutorial-saddle-numbness",
        attrs.evolve(tutorial, red_flags=_flags(saddle_numbness=YES)),
    )
    yield (
        "docs-tutorial-fever-unknown",
        attrs.evolve(tutorial, red_flags=_flags(fever_or_unwell=UNKNOWN)),
    )
    yield (
        "docs-triage-result-weakness-unknown",
        Intake(
            duration_days=5,
            onset=Onset.GRADUAL,
            pain_now=3,
            pressing_reproduces_pain=YES,
            eases_with_movement=YES,
            worse_with_sustained_posture=NO,
            muscle_spasm_or_stuck=NO,
            leg_pain_below_knee=NO,
            numbness_or_tingling_in_a_line=NO,
            leg_or_foot_weakness=UNKNOWN,
            red_flags=RedFlagAnswers.all_no(),
            frequent_flare_ups=NO,
            fear_of_movement=NO,
            rest_without_relief=NO,
        ),
    )


def _benchmark() -> Iterator[tuple[str, Intake]]:
    """The benchmark's intakes: its typical one and the first varied ones."""
    import random  # noqa: PLC0415

    bench = _module(ROOT / "benchmarks" / "bench_triage.py")
    yield "bench-one-intake", bench.one_intake()
    rng = random.Random(bench.SEED)  # noqa: S311 - the benchmark's own data
    for index in range(N_BENCH_VARIED):
        yield f"bench-varied-{index:03d}", bench.varied_intake(rng)


def _edge_cases() -> Iterator[tuple[str, Intake]]:  # noqa: C901, PLR0912 - a list of cases
    """Hand-made cases around the v2 amendments' boundaries (spec 5.1)."""
    leg_pain = {"leg_pain_below_knee": YES}
    for quality in (None, *PainQuality):
        qualities = () if quality is None else (quality,)
        name = "none" if quality is None else quality.value
        yield (
            f"saddle-region-{name}",
            _clear(
                pain_regions=(BodyRegion.LOW_BACK, BodyRegion.SADDLE),
                pain_qualities=qualities,
            ),
        )
    yield (
        "saddle-region-numbness-in-a-line",
        _clear(
            pain_regions=(BodyRegion.SADDLE,),
            numbness_or_tingling_in_a_line=YES,
        ),
    )
    yield (
        "saddle-region-numbness-unknown",
        _clear(
            pain_regions=(BodyRegion.SADDLE,),
            numbness_or_tingling_in_a_line=UNKNOWN,
        ),
    )
    for age in (None, 0, 10, 15, 16, 17, 49, 50, 51, 80):
        for onset in Onset:
            yield f"age-{age}-onset-{onset.value}", _clear(age=age, onset=onset)
    for worst in (None, 5, 6, 7, 8, 10):
        for now in (3, 4, 5):
            yield (
                f"pain-now-{now}-worst-{worst}",
                _clear(pain_now=now, pain_worst_24h=worst),
            )
    history = (
        RedFlag.CANCER_HISTORY,
        RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
        RedFlag.FEVER_OR_UNWELL,
        RedFlag.SIGNIFICANT_TRAUMA,
        RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
        RedFlag.UNEXPLAINED_WEIGHT_LOSS,
    )
    nerve_questions = (
        "leg_pain_below_knee",
        "numbness_or_tingling_in_a_line",
        "leg_or_foot_weakness",
    )
    for flag in history:
        for flag_answer in (YES, UNKNOWN):
            for question in nerve_questions:
                for nerve_answer in (YES, UNKNOWN):
                    yield (
                        f"combo-{flag.value}-{flag_answer.value}-{question}-{nerve_answer.value}",
                        _clear(
                            red_flags=_flags(**{flag.value: flag_answer}),
                            **{question: nerve_answer},
                        ),
                    )
            yield (
                f"combo-{flag.value}-{flag_answer.value}-deficit-yes",
                _clear(
                    red_flags=_flags(
                        **{
                            flag.value: flag_answer,
                            "progressive_neurological_deficit": YES,
                        }
                    )
                ),
            )
    for side in (None, *Side):
        name = "none" if side is None else side.value
        yield f"leg-pain-side-{name}", _clear(leg_symptom_side=side, **leg_pain)
        yield (
            f"weakness-side-{name}",
            _clear(leg_symptom_side=side, leg_or_foot_weakness=YES),
        )
        yield (
            f"nerve-unknown-side-{name}",
            _clear(leg_symptom_side=side, leg_pain_below_knee=UNKNOWN),
        )
    for flag in RedFlag:
        for answer in (YES, UNKNOWN):
            yield (
                f"flag-{flag.value}-{answer.value}",
                _clear(red_flags=_flags(**{flag.value: answer})),
            )
    yield (
        "nerve-quality-in-leg",
        _clear(
            pain_regions=(BodyRegion.THIGH,),
            pain_qualities=(PainQuality.BURNING,),
        ),
    )
    for reason in StopReason:
        yield (
            f"stopped-{reason.value}",
            _clear(self_checks=(ForwardBendResult(stopped=reason),)),
        )
    yield (
        "hold-direction-backward",
        _clear(
            self_checks=(
                BackwardLeanResult(
                    pinch_in_one_spot=NO,
                    feels_like_muscle_stretch=YES,
                    hand_support_eases=YES,
                ),
                EnduranceHoldResult(hold_seconds=10.0, shaking_early=NO, cramped=NO),
            )
        ),
    )
    for trigger in ("frequent_flare_ups", "fear_of_movement", "rest_without_relief"):
        for answer in (YES, UNKNOWN):
            yield f"trigger-{trigger}-{answer.value}", _clear(**{trigger: answer})
    for days in (42, 43):
        yield f"duration-{days}", _clear(duration_days=days)
    for spasm in Answer:
        yield (
            f"spasm-{spasm.value}-pain-3",
            _clear(pain_now=3, muscle_spasm_or_stuck=spasm),
        )


def _generated() -> list[tuple[str, Intake]]:
    """Intakes drawn from ``tests/strategies.py`` with a fixed seed."""
    from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "tests"))
    import strategies  # noqa: PLC0415 - tests/ is on the path only here

    drawn: list[Intake] = []

    @seed(SEED)
    @settings(
        max_examples=N_GENERATED,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.intakes)
    def draw(intake: Intake) -> None:
        drawn.append(intake)

    draw()
    seen: set[str] = set()
    unique: list[tuple[str, Intake]] = []
    for intake in drawn:
        text = lowback.dumps(intake)
        if text not in seen:
            seen.add(text)
            unique.append((f"generated-{len(unique):03d}", intake))
    return unique


def cases() -> list[tuple[str, Intake]]:
    """Every corpus case, named, in corpus order (names are unique)."""
    made = [*_documented(), *_benchmark(), *_edge_cases(), *_generated()]
    names = [name for name, _ in made]
    assert len(set(names)) == len(names), "corpus case names must be unique"
    return made


def read_intakes(corpus: Path = CORPUS) -> list[tuple[str, Intake]]:
    """The committed intakes, named, in corpus order."""
    loaded = []
    for line in (corpus / INTAKES).read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        loaded.append((case["name"], lowback.loads(json.dumps(case["intake"]), Intake)))
    return loaded


def cli_text(intake: Intake) -> str:
    """What ``lowback triage FILE`` prints for *intake*."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "intake.json"
        path.write_text(lowback.dumps(intake), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli.main(["triage", str(path)])
    assert code == 0, code
    return out.getvalue()


def render(named: list[tuple[str, Intake]]) -> dict[str, str]:
    """The three corpus files' contents for *named* intakes."""
    intakes, results, text = [], [], []
    for name, intake in named:
        document = json.loads(lowback.dumps(intake))
        intakes.append(json.dumps({"name": name, "intake": document}, sort_keys=False))
        results.append(lowback.dumps(lowback.triage(intake)))
        text.append(f"== {name} ==\n{cli_text(intake)}")
    return {
        INTAKES: "\n".join(intakes) + "\n",
        RESULTS: "\n".join(results) + "\n",
        TEXT: "".join(text),
    }


def main(argv: list[str] | None = None) -> int:
    """Write the corpus (``--write``) or check it; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate the corpus")
    parser.add_argument(
        "--outputs",
        action="store_true",
        help="rewrite the outputs of the committed intakes",
    )
    args = parser.parse_args(argv)
    if args.outputs:
        for name, content in render(read_intakes()).items():
            (CORPUS / name).write_text(content, encoding="utf-8")
        sys.stdout.write(f"rewrote the outputs in {CORPUS}\n")
        return 0
    if args.write:
        CORPUS.mkdir(parents=True, exist_ok=True)
        made = cases()
        for name, content in render(made).items():
            (CORPUS / name).write_text(content, encoding="utf-8")
        sys.stdout.write(f"wrote {len(made)} cases to {CORPUS}\n")
        return 0
    expected = render(read_intakes())
    stale = [
        name
        for name, content in expected.items()
        if (CORPUS / name).read_text(encoding="utf-8") != content
    ]
    sys.stdout.write(
        "corpus matches\n" if not stale else f"corpus differs: {', '.join(stale)}\n"
    )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
