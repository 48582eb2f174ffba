"""Benchmark: what ``import lowback`` adds to the start of a Python process.

Run ``python benchmarks/bench_import.py [RUNS]``. Starts fresh interpreters
in turn (interleaved, so a busy machine slows every variant alike), RUNS
times each (default 41): ``python -c pass``; ``import attrs``, the runtime
dependency lowback cannot avoid; ``import lowback``; and
``import lowback; lowback.triage``, since every public name loads its module
on first use: what a program that triages pays in all (the catalog and the
engines, not the wire). Prints the median wall time of each and its
difference over ``python -c pass``; the budget is 90 ms for
``import lowback``. The child's CPU time (user + system) is printed beside
it: on a machine shared with other work it varies less than wall time. It
also checks, once, that ``import lowback`` leaves cattrs unimported (the
wire loads it when first used).

The child interpreters read compiled bytecode, as an installed package does
(pip compiles it on install): ``PYTHONDONTWRITEBYTECODE`` is dropped and the
bytecode goes to a private temporary cache (``PYTHONPYCACHEPREFIX``),
warmed before timing, so nothing is written into the source tree.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET_MS = 90.0
VARIANTS = {
    "python -c pass": "pass",
    "import attrs": "import attrs",
    "import lowback": "import lowback",
    "+ lowback.triage": "import lowback; lowback.triage",
}


def start_ms(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time, in ms, of one fresh interpreter running *code*."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # noqa: S603 - our own interpreter
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main(runs: int = 41) -> dict[str, float]:
    """Time every variant *runs* times, interleaved; print and return the medians."""
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        return _timed(runs, env)


def _timed(runs: int, env: dict[str, str]) -> dict[str, float]:
    check = "import lowback, sys; assert 'cattrs' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True, env=env)  # noqa: S603 - our own interpreter
    walls: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpus: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for code in VARIANTS.values():  # warm the file cache and .pyc files
        start_ms(code, env)
    for _ in range(runs):
        for name, code in VARIANTS.items():
            wall, cpu = start_ms(code, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    medians = {name: statistics.median(ts) for name, ts in walls.items()}
    cpu_medians = {name: statistics.median(ts) for name, ts in cpus.items()}
    base, cpu_base = medians["python -c pass"], cpu_medians["python -c pass"]
    print(f"{runs} interleaved runs each, medians (wall; CPU):")
    for name, median in medians.items():
        cpu = cpu_medians[name]
        print(f"  {name:<16} {median:7.1f} ms (+{median - base:6.1f});  "
              f"CPU {cpu:7.1f} ms (+{cpu - cpu_base:6.1f})")  # fmt: skip
    over = medians["import lowback"] - base
    verdict = "within" if over <= BUDGET_MS else "OVER"
    print(f"import lowback: +{over:.1f} ms over python -c pass, {verdict} the "
          f"{BUDGET_MS:.0f} ms budget; cattrs not imported")  # fmt: skip
    return medians


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 41)
