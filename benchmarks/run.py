"""negpos benchmarks: one pairwise compare, the pairwise gap matrix, loading, import cost,
and the bargaining layer (Pareto frontiers against NegMAS, the sensitivity run).

Each measurement is set against the baseline a user would otherwise reach for (generic
dict differs, a Python loop over pairs, importing pydantic alone), so the report says how
far the project's speed goals are met, not just how long things take. Run from the
repository root:

    python benchmarks/run.py            # full run, writes benchmarks/results.md (long: the
                                        # sensitivity run is 2 × 10,000 draws)
    python benchmarks/run.py --quick    # small smoke run (under ~30 s), prints only
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `python benchmarks/run.py` finds the benchmarks package
    sys.path.insert(0, str(ROOT))

import deepdiff  # noqa: E402
import dictdiffer  # noqa: E402

import negpos  # noqa: E402
from benchmarks import bargaining  # noqa: E402
from benchmarks.synthetic import synthetic_codebook, synthetic_proposals, write_corpus  # noqa: E402
from negpos.corpus import Corpus  # noqa: E402
from negpos.documents import parse_document  # noqa: E402
from negpos.engine import diff  # noqa: E402
from negpos.engine.matrix import gap_matrix  # noqa: E402
from negpos.files import to_data  # noqa: E402
from negpos.positions import PositionSet, clear_compiled_positions, positions_of  # noqa: E402

SEED = 20250417
RESULTS = Path(__file__).resolve().parent / "results.md"


@dataclass(frozen=True)
class Settings:
    """Sizes and repeat counts; ``--quick`` shrinks them so a smoke run stays short."""

    name: str
    pair_issues: int
    pair_repeat: int
    pair_min_time: float
    matrix_n: int
    matrix_k: int
    matrix_repeat: int
    loop_pairs: int
    load_n: int
    split_n: int
    import_runs: int


FULL = Settings(
    name="full",
    pair_issues=40,
    pair_repeat=7,
    pair_min_time=0.2,
    matrix_n=2000,
    matrix_k=60,
    matrix_repeat=3,
    loop_pairs=2000,
    load_n=2000,
    split_n=200,
    import_runs=15,
)
QUICK = Settings(
    name="quick",
    pair_issues=40,
    pair_repeat=3,
    pair_min_time=0.05,
    matrix_n=300,
    matrix_k=60,
    matrix_repeat=2,
    loop_pairs=300,
    load_n=100,
    split_n=50,
    import_runs=5,
)


# ---------------------------------------------------------------------- helpers


def best_time(func: Callable[[], object], repeat: int, min_time: float) -> float:
    """Seconds per call, timeit-style: loops sized to ``min_time``, best of ``repeat`` runs.

    The best run is the least disturbed by other processes, which matters on a shared box.
    """
    timer = timeit.Timer(func)
    loops = 1
    while True:
        if timer.timeit(loops) >= min_time:
            break
        loops *= 2
    return min(timer.repeat(repeat=repeat, number=loops)) / loops


@dataclass(frozen=True)
class Span:
    """Wall and CPU seconds of one run.

    Wall time is what a user waits; CPU time (this process, all threads) barely moves when
    other processes compete for the cores, so it tells contention from a real slowdown.
    """

    wall: float
    cpu: float

    def __truediv__(self, count: float) -> Span:
        return Span(self.wall / count, self.cpu / count)

    def __str__(self) -> str:
        return f"{fmt_time(self.wall)} ({fmt_time(self.cpu)} CPU)"


def once(func: Callable[[], object]) -> Span:
    """Wall and CPU time of one call (for runs too long to repeat many times)."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return Span(time.perf_counter() - wall, time.process_time() - cpu)


def best_of(func: Callable[[], object], repeat: int) -> Span:
    """The run with the least wall time among ``repeat`` runs."""
    return min((once(func) for _ in range(repeat)), key=lambda span: span.wall)


def fmt_time(seconds: float) -> str:
    """A duration in the unit that keeps three significant figures readable."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> list[str]:
    """What the numbers were measured on; a benchmark without its machine is not a result."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = ", ".join(
        f"{p} {version(p)}"
        for p in ("negpos", "pydantic", "numpy", "PyYAML", "deepdiff", "dictdiffer", "negmas")
    )
    return [
        f"- CPU: {cpu_model()}, {cores} cores available (`nproc`)",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- Packages: {packages}",
        f"- Load average at start: {load} (other processes share this machine)",
    ]


# ---------------------------------------------------------------------- a. one pair


@dataclass(frozen=True)
class PairResult:
    compare: float
    cold: float
    rows: float
    compile: float
    engine: float
    deepdiff: float
    dictdiffer: float
    issues_a: int
    issues_b: int
    union: int
    shared: int


def bench_pair(s: Settings) -> PairResult:
    """One compare on a K=40 pair, against generic differs on the same proposals' dumps."""
    a, b = synthetic_proposals(2, s.pair_issues, SEED)
    data_a, data_b = to_data(a), to_data(b)
    pos_a, pos_b = positions_of(a), positions_of(b)
    result = diff(pos_a, pos_b)

    def run(func: Callable[[], object]) -> float:
        return best_time(func, s.pair_repeat, s.pair_min_time)

    def forget() -> None:
        """Drop every cache negpos keeps: compiled positions and judged value pairs."""
        clear_compiled_positions()
        for definition in a.codebook.issues:
            definition.judgement_memo.clear()

    def cold_compare() -> object:
        forget()
        return negpos.compare(a, b)

    def compile_both() -> object:
        forget()
        return positions_of(a), positions_of(b)

    return PairResult(
        compare=run(lambda: negpos.compare(a, b)),
        cold=run(cold_compare),
        rows=run(lambda: negpos.compare(a, b).issues),
        compile=run(compile_both),
        engine=run(lambda: diff(pos_a, pos_b)),
        deepdiff=run(lambda: deepdiff.DeepDiff(data_a, data_b)),
        dictdiffer=run(lambda: list(dictdiffer.diff(data_a, data_b))),
        issues_a=len(pos_a),
        issues_b=len(pos_b),
        union=len(result.issues),
        shared=result.summary.shared_issues,
    )


def report_pair(r: PairResult, s: Settings) -> list[str]:
    deep_full, deep_engine = r.deepdiff / r.compare, r.deepdiff / r.engine
    dd_full, dd_engine = r.dictdiffer / r.compare, r.dictdiffer / r.engine
    deep_cold, dd_cold = r.deepdiff / r.cold, r.dictdiffer / r.cold
    deep_rows, dd_rows = r.deepdiff / r.rows, r.dictdiffer / r.rows
    lines = [
        f"## a. One pairwise compare (codebook of {s.pair_issues} issues)",
        "",
        f"Two synthetic proposals addressing {r.issues_a} and {r.issues_b} issues "
        f"({r.union} issues in the comparison, {r.shared} shared). Baselines run on the same "
        "proposals' plain dumps (`negpos.files.to_data`). Best of "
        f"{s.pair_repeat} timeit runs.",
        "",
    ]
    lines += table(
        ["What", "Time per call", "DeepDiff ÷ this", "dictdiffer ÷ this"],
        [
            [
                "`negpos.compare(a, b)`, positions compiled once per proposal (the usual case)",
                fmt_time(r.compare),
                fmt_ratio(deep_full),
                fmt_ratio(dd_full),
            ],
            [
                "the same, also building every row object (`.issues`)",
                fmt_time(r.rows),
                fmt_ratio(deep_rows),
                fmt_ratio(dd_rows),
            ],
            [
                "`negpos.compare(a, b)` cold: every cache dropped before each call",
                fmt_time(r.cold),
                fmt_ratio(deep_cold),
                fmt_ratio(dd_cold),
            ],
            [
                "`negpos.engine.diff(pa, pb)` on precompiled positions",
                fmt_time(r.engine),
                fmt_ratio(deep_engine),
                fmt_ratio(dd_engine),
            ],
            [
                "compiling both proposals' positions (cold)",
                fmt_time(r.compile),
                "",
                "",
            ],
            ["`deepdiff.DeepDiff(dump_a, dump_b)`", fmt_time(r.deepdiff), "1×", ""],
            ["`list(dictdiffer.diff(dump_a, dump_b))`", fmt_time(r.dictdiffer), "", "1×"],
        ],
    )
    lines += [
        f"- Goal ≥100× faster than DeepDiff: `compare` {fmt_ratio(deep_full)} "
        f"{verdict(deep_full >= 100)}; with rows built {fmt_ratio(deep_rows)} "
        f"{verdict(deep_rows >= 100)}; cold {fmt_ratio(deep_cold)} {verdict(deep_cold >= 100)}.",
        f"- Goal faster than dictdiffer: `compare` {fmt_ratio(dd_full)} {verdict(dd_full > 1)}; "
        f"with rows built {fmt_ratio(dd_rows)} {verdict(dd_rows > 1)}; cold {fmt_ratio(dd_cold)} "
        f"{verdict(dd_cold > 1)}.",
        "- A proposal is frozen, so negpos compiles its positions once and keeps them; the "
        "cold row drops that cache (and the memo of judged scale levels) before every call.",
        "",
    ]
    return lines


# ---------------------------------------------------------------------- b. gap matrix


@dataclass(frozen=True)
class MatrixResult:
    n: int
    k: int
    generate: Span
    compile: Span
    matrix: Span
    peak_bytes: int
    maxrss_kib: int
    pairs: int
    loop: Span
    repeat: int
    mismatches: int
    largest_difference: float

    @property
    def extrapolated(self) -> float:
        return self.loop.wall / self.pairs * self.n * self.n


def bench_matrix(s: Settings) -> MatrixResult:
    """All N² overall gaps at once, against diff() pair by pair (sampled, extrapolated)."""
    proposals: list[negpos.Proposal] = []
    generate = once(lambda: proposals.extend(synthetic_proposals(s.matrix_n, s.matrix_k, SEED + 1)))
    sets: list[PositionSet] = []
    compile_time = once(lambda: sets.extend(positions_of(p) for p in proposals))
    matrix_time = best_of(lambda: gap_matrix(sets), s.matrix_repeat)
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    matrix = gap_matrix(sets)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()

    rng = random.Random(SEED + 2)
    pairs = [(rng.randrange(s.matrix_n), rng.randrange(s.matrix_n)) for _ in range(s.loop_pairs)]
    gaps: list[float | None] = []

    def loop() -> None:
        gaps.clear()
        for i, j in pairs:
            gaps.append(diff(sets[i], sets[j]).summary.overall_gap)

    loop_time = best_of(loop, s.matrix_repeat)
    mismatches, largest = 0, 0.0
    for (i, j), expected in zip(pairs, gaps, strict=True):
        got = float(matrix.gaps[i, j])
        if expected is None:
            mismatches += not math.isnan(got)
        elif got != expected:
            mismatches += 1
            largest = max(largest, abs(got - expected) if not math.isnan(got) else math.inf)
    return MatrixResult(
        n=s.matrix_n,
        k=s.matrix_k,
        generate=generate,
        compile=compile_time,
        matrix=matrix_time,
        peak_bytes=peak,
        maxrss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        pairs=s.loop_pairs,
        loop=loop_time,
        repeat=s.matrix_repeat,
        mismatches=mismatches,
        largest_difference=largest,
    )


def report_matrix(r: MatrixResult) -> list[str]:
    ratio = r.extrapolated / r.matrix.wall
    lines = [
        f"## b. Pairwise gap matrix (N = {r.n} proposals × K = {r.k} issues)",
        "",
        f"`negpos.engine.matrix.gap_matrix(position_sets)`: {r.n * r.n:,} overall gaps. "
        f"Baseline: `negpos.engine.diff(pa, pb).summary.overall_gap` in a Python loop over "
        f"{r.pairs:,} random pairs, extrapolated to all N² pairs.",
        "",
    ]
    lines += table(
        ["What", "Wall time (CPU time)", "Per item (wall)"],
        [
            [f"Generating and validating {r.n} synthetic proposals", str(r.generate), ""],
            [
                f"Compiling positions (`positions_of`, {r.n} proposals)",
                str(r.compile),
                f"{fmt_time(r.compile.wall / r.n)} per proposal",
            ],
            [
                f"`gap_matrix` (best of {r.repeat})",
                str(r.matrix),
                f"{fmt_time(r.matrix.wall / r.n**2)} per pair",
            ],
            [
                f"Loop of `diff` on {r.pairs:,} pairs (best of {r.repeat})",
                str(r.loop),
                f"{fmt_time(r.loop.wall / r.pairs)} per pair",
            ],
            ["Loop extrapolated to N² pairs", fmt_time(r.extrapolated), ""],
        ],
    )
    lines += [
        f"- Speed-up of the matrix over the loop: **{fmt_ratio(ratio)}**.",
        f"- Peak memory of one `gap_matrix` call (tracemalloc, numpy included): "
        f"{r.peak_bytes / 2**20:.0f} MiB; process peak RSS so far: "
        f"{r.maxrss_kib / 1024:.0f} MiB.",
        f"- Matrix vs `diff` on the {r.pairs:,} sampled pairs: **{r.mismatches} mismatches** "
        "(exact float equality; NaN where `overall_gap` is None)"
        + (f", largest difference {r.largest_difference:.3g}." if r.mismatches else "."),
        "",
    ]
    return lines


# ---------------------------------------------------------------------- c. loading


@dataclass(frozen=True)
class LoadResult:
    n: int
    write: Span
    load_dir: Span
    corpus: Span
    split_n: int
    repeat: int
    parse: Span
    validate: Span


def bench_load(s: Settings) -> LoadResult:
    """Loading a directory of proposal files, and where the time goes (parse vs validate)."""
    codebook = synthetic_codebook(s.matrix_k)
    proposals = synthetic_proposals(s.load_n, s.matrix_k, SEED + 3)
    with tempfile.TemporaryDirectory(prefix="negpos-bench-") as folder:
        paths: list[Path] = []
        write = once(lambda: paths.extend(write_corpus(folder, proposals)))
        load_time = once(lambda: negpos.load_dir(folder, codebook=codebook))
        corpus_time = once(lambda: Corpus.from_dir(folder, codebook=codebook))
        texts = [p.read_text(encoding="utf-8") for p in paths[: s.split_n]]
    documents = [parse_document(t) for t in texts]
    parse = best_of(lambda: [parse_document(t) for t in texts], s.matrix_repeat)
    validate = best_of(
        lambda: [
            negpos.Proposal.model_validate(d.data, context={"codebook": codebook})
            for d in documents
        ],
        s.matrix_repeat,
    )
    return LoadResult(
        n=s.load_n,
        write=write,
        load_dir=load_time,
        corpus=corpus_time,
        split_n=len(texts),
        repeat=s.matrix_repeat,
        parse=parse,
        validate=validate,
    )


def report_load(r: LoadResult) -> list[str]:
    lines = [
        f"## c. Loading {r.n} proposal files (K = 60 issues, YAML)",
        "",
        "Files written with `negpos.dump` into a temporary directory, then loaded once each "
        "way with the synthetic codebook. The split into parsing and validation is measured "
        f"on the first {r.split_n} files' text, best of {r.repeat}.",
        "",
    ]
    lines += table(
        ["What", "Wall time (CPU time)", "Per file (wall)", "Per file (CPU)"],
        [
            [name, str(span), fmt_time(span.wall / count), fmt_time(span.cpu / count)]
            for name, span, count in (
                ("`negpos.dump` (writing)", r.write, r.n),
                ("`negpos.load_dir`", r.load_dir, r.n),
                ("`Corpus.from_dir`", r.corpus, r.n),
                ("of which YAML parsing (`negpos.documents.parse_document`)", r.parse, r.split_n),
                ("of which validation (`Proposal.model_validate`)", r.validate, r.split_n),
            )
        ],
    )
    share = r.parse.cpu / (r.parse.cpu + r.validate.cpu)
    lines += [f"- YAML parsing is {share:.0%} of the CPU time of a load.", ""]
    return lines


# ---------------------------------------------------------------------- d. import cost

IMPORTS = {
    "baseline": "pass",
    "negpos": "import negpos",
    "pydantic": "import pydantic",
    "proposal": "from negpos import Proposal",
    "basemodel": "from pydantic import BaseModel",
    "first_model": "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int",
}


@dataclass(frozen=True)
class ImportResult:
    """Per statement: median wall and CPU seconds, interpreter start-up subtracted."""

    wall: dict[str, float]
    cpu: dict[str, float]
    startup: Span


def bench_imports(s: Settings) -> ImportResult:
    """Median cost of each import in a fresh interpreter, interpreter start-up removed."""
    with tempfile.TemporaryDirectory(prefix="negpos-bench-pycache-") as cache:
        return _bench_imports(s, cache)


def _bench_imports(s: Settings, cache: str) -> ImportResult:
    wall: dict[str, list[float]] = {name: [] for name in IMPORTS}
    cpu: dict[str, list[float]] = {name: [] for name in IMPORTS}
    # Bytecode caches as an installed package has them: with PYTHONDONTWRITEBYTECODE set
    # (as in some sandboxes and CI images) an editable negpos would be recompiled from source
    # at every start while pydantic's wheel ships compiled. A private cache prefix gives every
    # module a cache without writing into the source tree.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    env["PYTHONPYCACHEPREFIX"] = cache
    for code in IMPORTS.values():  # fill the bytecode cache and the page cache
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
    for _ in range(s.import_runs):
        for name, code in IMPORTS.items():  # interleaved, so drift hits all alike
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            wall[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    wall_median = {name: statistics.median(times) for name, times in wall.items()}
    cpu_median = {name: statistics.median(times) for name, times in cpu.items()}
    return ImportResult(
        wall={name: wall_median[name] - wall_median["baseline"] for name in IMPORTS},
        cpu={name: cpu_median[name] - cpu_median["baseline"] for name in IMPORTS},
        startup=Span(wall_median["baseline"], cpu_median["baseline"]),
    )


def one_line(code: str) -> str:
    """Code for a table cell: a class body joins its header, statements join with '; '."""
    return code.replace("\n    ", " ").replace("\n", "; ")


def report_imports(r: ImportResult, s: Settings) -> list[str]:
    plain = r.wall["negpos"] / r.wall["pydantic"]
    model = r.wall["proposal"] / r.wall["basemodel"]
    model_cpu = r.cpu["proposal"] / r.cpu["basemodel"]
    first = r.wall["proposal"] / r.wall["first_model"]
    lines = [
        "## d. Import cost",
        "",
        f"Median over {s.import_runs} fresh interpreters of `python -c CODE`, minus the median "
        f"of `python -c pass` ({r.startup}), with warm bytecode caches (a private "
        "`PYTHONPYCACHEPREFIX`). Wall time is the goal's measure; the child's CPU time "
        "(user + system) is shown as a cross-check that is less sensitive to other load.",
        "",
    ]
    lines += table(
        ["Code", "Wall time", "CPU time"],
        [
            [f"`{one_line(IMPORTS[name])}`", fmt_time(r.wall[name]), fmt_time(r.cpu[name])]
            for name in IMPORTS
            if name != "baseline"
        ],
    )
    lines += [
        f"- `import negpos` ÷ `import pydantic`: {fmt_ratio(plain)} "
        f"(goal ≤ 1.5×: {verdict(plain <= 1.5)}); `import negpos` loads names lazily and "
        "does not import pydantic at all.",
        f"- `from negpos import Proposal` ÷ `from pydantic import BaseModel`: "
        f"{fmt_ratio(model)} wall, {fmt_ratio(model_cpu)} CPU "
        f"(goal ≤ 1.5×: {verdict(model <= 1.5)}); this is the cost a user pays before the "
        "first proposal loads.",
        f"- For scale: defining one trivial model (`class M(BaseModel): x: int`) costs "
        f"{fmt_time(r.wall['first_model'])} wall, because pydantic loads its plugin machinery "
        "(`importlib.metadata`) and builds a schema with the first model; against that, "
        f"`from negpos import Proposal` is {fmt_ratio(first)}.",
        "",
    ]
    return lines


# ---------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark in one process, print the Markdown report and save it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, few repeats (a smoke run, ~30 s)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the report (default: benchmarks/results.md for a full run; "
        "a quick run writes nothing unless this is given)",
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    bargaining_settings = bargaining.QUICK if args.quick else bargaining.FULL
    output: Path | None = args.output or (None if args.quick else RESULTS)

    started = time.perf_counter()
    lines = [
        f"# negpos benchmark results ({settings.name} run)",
        "",
        f"Command: `python benchmarks/run.py{' --quick' if args.quick else ''}`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        *machine(),
        "",
    ]
    steps: list[tuple[str, Callable[[], list[str]]]] = [
        ("pair", lambda: report_pair(bench_pair(settings), settings)),
        ("matrix", lambda: report_matrix(bench_matrix(settings))),
        ("load", lambda: report_load(bench_load(settings))),
        ("imports", lambda: report_imports(bench_imports(settings), settings)),
        (
            "bargaining",
            lambda: bargaining.checked_report(bargaining_settings),
        ),
    ]
    for name, step in steps:
        print(f"[{time.perf_counter() - started:6.1f} s] {name} ...", file=sys.stderr, flush=True)
        lines += step()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += [
        f"Total run time {time.perf_counter() - started:.0f} s; load average at the end: {load}.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if output is not None:
        output.write_text(report, encoding="utf-8")
        print(f"written to {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
