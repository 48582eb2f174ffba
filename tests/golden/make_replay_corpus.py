"""Build the golden replay corpus: journals and their exact replay output.

Run ``python tests/golden/make_replay_corpus.py --write`` from the
repository root to rewrite the outputs of the stored journals in
``tests/golden/replay/`` (after a change meant to change them);
``--write --journals`` draws the journals afresh as well (Hypothesis'
generation is not byte-stable across runs, so the stored journals are the
corpus). Without ``--write`` it only lists the journals. Each journal ``NAME`` is stored
as ``NAME.journal.jsonl`` with ``NAME.replay.json`` (``lowback replay
--json``: ``lowback.dumps(ReplayOutput(...))``) and ``NAME.replay.txt``
(``lowback replay``). Large files are gzipped (``.gz``, no timestamp, so
the bytes are reproducible).

The journals: the benchmark journal, every example journal in ``docs/`` and
``examples/`` and the test fixtures, the demo journal, and journals drawn
from ``tests/strategies.py`` with a fixed seed.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "replay"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import lowback  # noqa: E402
from lowback import wire  # noqa: E402
from lowback.cli import format_replay  # noqa: E402

#: How many journals to draw from the strategies.
GENERATED = 320
#: Files larger than this many bytes are stored gzipped.
GZIP_OVER = 200_000


def generated_journals(count: int = GENERATED) -> list[tuple[Any, ...]]:
    """*count* journals drawn from ``strategies.journals`` with a fixed seed."""
    from hypothesis import HealthCheck, Phase, given, settings  # noqa: PLC0415

    import strategies as sts  # noqa: PLC0415

    drawn: list[tuple[Any, ...]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(sts.journals(max_events=40))
    def collect(journal: tuple[Any, ...]) -> None:
        drawn.append(journal)

    collect()
    return drawn[:count]


def journals() -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every journal of the corpus, with its file name stem."""
    from bench_progression import (  # type: ignore[import-not-found]  # noqa: PLC0415
        journal as bench_journal,
    )

    from lowback._demo import demo_journal  # noqa: PLC0415

    yield "bench_progression", tuple(bench_journal())
    text = (ROOT / "examples" / "data" / "journal.jsonl").read_text(encoding="utf-8")
    yield "examples_data_journal", tuple(wire.loads_jsonl(text, lowback.Journal))
    fixture = (ROOT / "tests" / "fixtures" / "wire" / "journal.json").read_text(
        encoding="utf-8"
    )
    yield "fixture_wire_journal", tuple(wire.loads(fixture, lowback.Journal))
    yield "demo", tuple(demo_journal())
    for i, journal in enumerate(generated_journals()):
        yield f"generated_{i:03d}", journal
    yield from handmade()


def handmade() -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Journals written by hand for the v2 amendments (clinical spec 5.2)."""
    import datetime as dt  # noqa: PLC0415

    from strategies import clear_intake  # noqa: PLC0415

    a = lowback.Answer
    d0 = dt.date(2026, 3, 2)

    def day(n: int) -> dt.date:
        return d0 + dt.timedelta(days=n)

    def check(n: int, tired: lowback.Answer = a.NO, **asked: Any) -> Any:
        flags = {k: v for k, v in asked.items() if k in _FLAG_FIELDS}
        nerve = {k: v for k, v in asked.items() if k not in _FLAG_FIELDS}
        return lowback.CheckIn(
            date=day(n),
            pain_now=3,
            morning_pain=3,
            very_tired=tired,
            red_flags=lowback.AskedRedFlags(**flags),
            nerve_features=lowback.AskedNerveFeatures(**nerve),
        )

    def session(n: int, during: int = 1, new: tuple[Any, ...] = ()) -> Any:
        done = lowback.ExerciseDone(
            exercise=lowback.ExerciseId.PELVIC_TILT, sets=1, reps=8
        )
        return lowback.SessionLogged(
            date=day(n),
            exercises=(done,),
            pain_before=3,
            pain_during_max=during,
            pain_after=3,
            completed=True,
            new_symptoms=new,
        )

    def cleared(n: int, *acknowledged: Any) -> Any:
        return lowback.ClinicianCleared(
            date=day(n),
            clinician="c-1",
            note="",
            resume_stage=lowback.Stage.CALM_AND_UNLOAD,
            acknowledged=acknowledged,
        )

    start = lowback.PlanStarted(date=day(0), intake=clear_intake(pain_now=3))
    leg = lowback.NerveFeature.LEG_PAIN_BELOW_KNEE
    yield (
        "v2_acknowledged",
        (
            start,
            check(1, leg_pain_below_knee=a.YES),
            cleared(2, leg),
            check(3, leg_pain_below_knee=a.YES),
            session(3, new=(leg,)),
            check(4, leg_or_foot_weakness=a.YES),
        ),
    )
    yield (
        "v2_emergency_pause",
        (
            start,
            session(1),
            check(2, saddle_numbness=a.YES),
            session(3),
            check(4),
            check(5, fever_or_unwell=a.YES),
            cleared(6),
            check(7, unexplained_weight_loss=a.YES),
            session(8),
        ),
    )
    cancer = lowback.PlanStarted(
        date=day(0),
        intake=clear_intake(
            pain_now=3,
            red_flags=lowback.RedFlagAnswers.all_no(cancer_history=a.YES),
        ),
    )
    weak = lowback.NerveFeature.LEG_OR_FOOT_WEAKNESS
    yield (
        "v2_history",
        (
            cancer,
            cleared(1),
            session(2),
            check(3, leg_or_foot_weakness=a.YES),
            cleared(4, weak),
            check(5, leg_or_foot_weakness=a.YES),
            cleared(6),
            session(7, new=(weak,)),
        ),
    )
    yield (
        "v2_gap_tired_deload",
        (
            start,
            session(1),
            session(3),
            session(5),
            check(6, tired=a.UNKNOWN),
            session(6),
            session(14),
            session(15, during=7),
            session(17),
            session(20),
            session(30),
        ),
    )

    def pain_rating(n: int, rating: int) -> Any:
        return lowback.OutcomeRecorded(
            date=day(n),
            measure=lowback.Measure.NPRS,
            answers=lowback.NprsAnswers(score=rating),
        )

    # Outcomes in the plan (spec 6.2): a baseline (PR-OUTCOME), a worse
    # rating that blocks that day's advance (PR-OUTCOME-WORSE), and no
    # measure improved 6 weeks in (RT-NO-PROGRESS).
    yield (
        "outcomes_worse_and_stalled",
        (
            start,
            pain_rating(0, 3),
            session(1),
            session(3),
            pain_rating(6, 6),
            session(6),
            pain_rating(45, 3),
        ),
    )


_FLAG_FIELDS = frozenset(f.value for f in lowback.RedFlag)


def outputs(journal: tuple[Any, ...]) -> tuple[str, str, str]:
    """The journal as JSON Lines, and its replay as JSON and as text."""
    state, decisions = lowback.replay(journal)
    return (
        wire.dumps_jsonl(journal),
        wire.dumps(wire.ReplayOutput(state=state, decisions=decisions)) + "\n",
        format_replay(state, decisions) + "\n",
    )


def write(path: Path, text: str) -> None:
    """Write *text*, gzipped (with a fixed header) when it is large."""
    data = text.encode("utf-8")
    if len(data) > GZIP_OVER:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def read(path: Path) -> str:
    """Read a corpus file written by :func:`write`, gzipped or not."""
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        return gzip.decompress(gz.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def stored() -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every journal stored in the corpus, with its name."""
    for name in names():
        text = read(HERE / f"{name}.journal.jsonl")
        yield name, tuple(wire.loads_jsonl(text, lowback.Journal))


def names() -> list[str]:
    """The stems of the journals stored in the corpus."""
    return sorted(
        p.name.split(".journal.jsonl")[0] for p in HERE.glob("*.journal.jsonl*")
    )


def main(argv: list[str] | None = None) -> int:
    """Regenerate the corpus (``--write``) or list it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the outputs")
    parser.add_argument(
        "--journals", action="store_true", help="draw the journals afresh too"
    )
    args = parser.parse_args(argv)
    if args.write and args.journals:
        for old in HERE.glob("*"):
            old.unlink()
        HERE.mkdir(parents=True, exist_ok=True)
    count = 0
    # The hand-made journals are rewritten from code every time.
    made = dict(handmade())
    if args.write:
        for name, journal in made.items():
            write(HERE / f"{name}.journal.jsonl", wire.dumps_jsonl(journal))
    for name, journal in journals() if args.journals else stored():
        count += 1
        if not args.write:
            print(name, len(journal))  # noqa: T201 - the listing is the output
            continue
        events, as_json, as_text = outputs(journal)
        write(HERE / f"{name}.journal.jsonl", events)
        write(HERE / f"{name}.replay.json", as_json)
        write(HERE / f"{name}.replay.txt", as_text)
    print(f"{count} journals", file=sys.stderr)  # noqa: T201 - a script
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
