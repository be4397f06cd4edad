"""The pairwise gap matrix at corpus scale: time, memory and bytes per pair, N by N.

Each size runs in a fresh subprocess, so that one size's memory never counts in another's:
the subprocess builds N synthetic proposals over K = 60 issues (``benchmarks/synthetic.py``,
every kind of issue), compiles their positions, then times ``gap_matrix`` several times and
reports the median (wall clock and CPU time), the peak memory of one ``gap_matrix`` call
(tracemalloc: what the matrix itself allocates, its result included), the process's peak
resident memory (``VmHWM``: everything, the corpus included) and the bytes per pair.
Every run also checks the matrix against ``compare`` on sampled pairs, bit for bit.

The targets of issue 9 are printed beside the figures they apply to, met or NOT met. The
matrix runs as a user gets it: ``gap_matrix``'s default threads share out its tiles (the
processors the process may use, at most 8; the table says how many); each numpy call is
single-threaded (no BLAS call), and the subprocesses run with OPENBLAS_NUM_THREADS=1. On a shared
machine the wall clock also measures the neighbours: the load average is printed before and
after, and CPU time beside the wall clock.

    python benchmarks/corpus_scale.py              # N = 1,000, 2,000, 4,000, 8,000
    python benchmarks/corpus_scale.py --with-10000 # and 10,000 (needs ~2 GiB, minutes)
    python benchmarks/corpus_scale.py --quick      # small sizes, under 30 s: a smoke run
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `python benchmarks/corpus_scale.py` finds the packages
    sys.path.insert(0, str(ROOT))

SEED = 20250417
ISSUES = 60
FULL_SIZES = (1000, 2000, 4000, 8000)
QUICK_SIZES = (200, 400)
GIB = 1 << 30


@dataclass(frozen=True)
class Target:
    """A target of issue 9: a size, a time limit and (or) a memory limit."""

    n: int
    seconds: float | None
    memory_bytes: int | None
    text: str


TARGETS = (
    Target(2000, 1.0, None, "2,000 × 60 ≤ 1.0 s"),
    Target(8000, 20.0, 2 * GIB, "8,000 × 60 ≤ 20 s within 2 GiB"),
    Target(10000, None, 4 * GIB, "10,000 × 60 feasible within 4 GiB"),
)


@dataclass(frozen=True)
class Measure:
    """One size's figures (seconds are medians over ``repeat`` runs)."""

    n: int
    issues: int
    repeat: int
    workers: int  # threads sharing the tiles
    setup_seconds: float
    wall_seconds: float
    cpu_seconds: float
    walls: list[float]
    matrix_peak_bytes: int
    process_peak_bytes: int
    pairs_checked: int
    identical: bool

    @property
    def pairs(self) -> int:
        return self.n * (self.n - 1) // 2

    @property
    def bytes_per_cell(self) -> float:
        return self.matrix_peak_bytes / (self.n * self.n)


# ---------------------------------------------------------------------- one size, in a subprocess


def measure(n: int, issues: int, repeat: int, checks: int) -> Measure:
    """Build the corpus, then time and measure ``gap_matrix`` on it."""
    from benchmarks.synthetic import synthetic_proposals
    from negpos.engine.diff import diff
    from negpos.engine.matrix import default_workers, gap_matrix
    from negpos.positions import positions_of

    started = time.perf_counter()
    proposals = synthetic_proposals(n, issues, SEED)
    sets = [positions_of(p) for p in proposals]
    del proposals
    setup = time.perf_counter() - started

    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        matrix = gap_matrix(sets)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        del matrix

    tracemalloc.start()
    matrix = gap_matrix(sets)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rng = random.Random(SEED)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(checks)]
    identical = all(
        _same(matrix.gaps[i, j], diff(sets[i], sets[j]).summary.overall_gap) for i, j in pairs
    )
    identical = identical and all(
        int(matrix.shared[i, j]) == diff(sets[i], sets[j]).summary.shared_issues for i, j in pairs
    )
    return Measure(
        n=n,
        issues=issues,
        repeat=repeat,
        workers=default_workers(),
        setup_seconds=setup,
        wall_seconds=statistics.median(walls),
        cpu_seconds=statistics.median(cpus),
        walls=walls,
        matrix_peak_bytes=peak,
        process_peak_bytes=max_rss_bytes(),
        pairs_checked=len(pairs),
        identical=identical,
    )


def _same(got: float, expected: float | None) -> bool:
    return math.isnan(got) if expected is None else float(got) == expected


def max_rss_bytes() -> int:
    """This process's peak resident memory.

    On Linux, ``VmHWM`` of /proc/self/status: the high-water mark of this interpreter's own
    memory. Not ``ru_maxrss``, which Linux carries across ``exec`` from the process that
    started this one, so that a child of a large parent reports at least the parent's peak.
    Elsewhere ``ru_maxrss`` (macOS reports bytes, others KiB)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_size(n: int, issues: int, repeat: int, checks: int) -> Measure:
    """``measure`` in a fresh Python, so that sizes do not share memory."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(n),
        "--issues",
        str(issues),
        "--repeat",
        str(repeat),
        "--checks",
        str(checks),
    ]
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if done.returncode != 0:
        raise RuntimeError(f"N = {n} failed:\n{done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Measure(**data)


# ---------------------------------------------------------------------- the report


def _mib(size: float) -> str:
    return f"{size / (1 << 20):,.0f} MiB"


def table(measures: Sequence[Measure]) -> list[str]:
    lines = [
        "| N | pairs | threads | matrix, median wall | CPU | gap_matrix peak (tracemalloc) "
        "| process peak (VmHWM) | bytes per pair (peak / N²) | equal to compare |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        lines.append(
            f"| {m.n:,} | {m.pairs:,} | {m.workers} | {m.wall_seconds:.2f} s "
            f"| {m.cpu_seconds:.2f} s "
            f"| {_mib(m.matrix_peak_bytes)} | {_mib(m.process_peak_bytes)} "
            f"| {m.bytes_per_cell:.1f} | {'yes' if m.identical else 'NO'} "
            f"({m.pairs_checked} pairs) |"
        )
    return lines


def verdicts(measures: Sequence[Measure]) -> list[str]:
    by_size = {m.n: m for m in measures}
    lines = []
    for target in TARGETS:
        m = by_size.get(target.n)
        if m is None:
            lines.append(f"- {target.text}: not measured in this run")
            continue
        figures, met = [], True
        if target.seconds is not None:
            figures.append(f"{m.wall_seconds:.2f} s wall (median), {m.cpu_seconds:.2f} s CPU")
            met = met and m.wall_seconds <= target.seconds
        if target.memory_bytes is not None:
            figures.append(
                f"peak {_mib(m.process_peak_bytes)} for the whole process "
                f"({_mib(m.matrix_peak_bytes)} in gap_matrix)"
            )
            met = met and m.process_peak_bytes <= target.memory_bytes
        lines.append(f"- {target.text}: {'; '.join(figures)}: **{'met' if met else 'NOT met'}**")
    identical = all(m.identical for m in measures)
    lines.append(
        "- Results bit-identical to compare on every sampled pair: "
        f"**{'met' if identical else 'NOT met'}**"
    )
    return lines


def growth(measures: Sequence[Measure]) -> list[str]:
    """How time grows with N: N² growth doubles N for 4× the time."""
    ordered = sorted(measures, key=lambda m: m.n)
    lines = []
    for small, large in itertools.pairwise(ordered):
        ratio = large.cpu_seconds / small.cpu_seconds if small.cpu_seconds else math.nan
        square = (large.n / small.n) ** 2
        lines.append(
            f"- N {small.n:,} → {large.n:,}: CPU time × {ratio:.1f} (N² alone: × {square:.1f})"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under 30 s")
    parser.add_argument("--with-10000", action="store_true", help="add N = 10,000")
    parser.add_argument("--sizes", help="comma-separated sizes instead of the default ones")
    parser.add_argument("--issues", type=int, default=ISSUES)
    parser.add_argument("--repeat", type=int, default=None, help="runs per size (median)")
    parser.add_argument("--checks", type=int, default=200, help="pairs checked against compare")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker is not None:
        result = measure(args.worker, args.issues, args.repeat or 3, args.checks)
        print(json.dumps(asdict(result)))
        return 0

    if args.sizes:
        sizes: tuple[int, ...] = tuple(int(s) for s in args.sizes.split(","))
    else:
        sizes = QUICK_SIZES if args.quick else FULL_SIZES + ((10000,) if args.with_10000 else ())
    repeat = args.repeat or (1 if args.quick else 3)
    checks = 20 if args.quick else args.checks
    started = time.perf_counter()
    load_before = os.getloadavg()
    measures = []
    for n in sizes:
        print(
            f"[{time.perf_counter() - started:6.1f} s] N = {n:,} ...", file=sys.stderr, flush=True
        )
        repeats = 1 if n >= 10000 and args.repeat is None else repeat
        measures.append(run_size(n, args.issues, repeats, checks))
    load_after = os.getloadavg()

    print(f"# Pairwise gap matrix at corpus scale ({args.issues} issues, medians)\n")
    print(
        f"{os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; numpy's element-wise work is single-threaded.\n"
    )
    print("\n".join(table(measures)))
    print("\nTargets (issue 9):\n")
    if args.quick:
        print("- a quick run measures small sizes only: the targets apply to the full run")
    print("\n".join(verdicts(measures)))
    if len(measures) > 1:
        print("\nGrowth:\n")
        print("\n".join(growth(measures)))
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
