"""negpos benchmarks: one pairwise compare (a synthetic pair and the real seed pair), the
pairwise gap matrix, what a user pays from files to a matrix, import cost, the bargaining
layer, and the gap matrix at corpus scale.

Each measurement is set against the baseline a user would otherwise reach for (generic
dict differs given the same stances, a Python loop over pairs, importing pydantic alone),
and against the targets of issues 9 and 10, so the report says how far the goals are met,
not just how long things take. Times are medians, with CPU time beside wall time: the
machine is shared, and CPU time moves less when other processes take the cores. Run from
the repository root:

    python benchmarks/run.py            # full run, writes benchmarks/results.md (long: the
                                        # sensitivity run is 2 × 10,000 draws, the scaling
                                        # table goes to N = 10,000)
    python benchmarks/run.py --quick    # small smoke run (about a minute at most), prints
                                        # only, and judges no target
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `python benchmarks/run.py` finds the benchmarks package
    sys.path.insert(0, str(ROOT))

import negpos  # noqa: E402
from benchmarks.corpus_scale import max_rss_bytes  # noqa: E402
from benchmarks.synthetic import (  # noqa: E402
    compared_data,
    iter_synthetic_proposals,
    synthetic_codebook,
    synthetic_proposals,
)
from negpos.corpus import Corpus  # noqa: E402
from negpos.documents import parse_document  # noqa: E402
from negpos.engine import diff  # noqa: E402
from negpos.engine.matrix import default_workers, gap_matrix  # noqa: E402
from negpos.engine.rules import clear_judgement_memo  # noqa: E402
from negpos.files import to_data  # noqa: E402
from negpos.positions import PositionSet, clear_compiled_positions, positions_of  # noqa: E402

if TYPE_CHECKING:
    from benchmarks.corpus_scale import Measure

SEED = 20250417
RESULTS = Path(__file__).resolve().parent / "results.md"
SEED_PAIR = (
    ROOT / "examples" / "ukraine" / "russia-2025-06-02.yaml",
    ROOT / "examples" / "ukraine" / "us-2025-04-17.yaml",
)
# Child interpreters keep their bytecode here, between runs too: the machine's Python may run
# with PYTHONDONTWRITEBYTECODE (an editable negpos would then be compiled from source at every
# start while pydantic's wheel ships compiled), and nothing is written into the source tree.
PYCACHE = Path(tempfile.gettempdir()) / f"negpos-bench-pycache-{os.getuid()}"
QUICK_NOTE = "quick run: targets are judged on the full run"  # bargaining.py says the same

# The targets, with the thresholds this benchmark judges them by.
DEEPDIFF_GOAL = 100.0  # compare ≥ 100× faster than DeepDiff on the same stances
MATRIX_GOAL = (2000, 1.0)  # issue 9: 2,000 × 60 ≤ 1.0 s
FILES_GOAL = (8000, 60.0)  # issue 9: 8,000 proposals from files to a matrix in under a minute
IMPORT_GOAL = 1.5  # import negpos ≤ about 1.5× import pydantic


@dataclass(frozen=True)
class Settings:
    """Sizes and repeat counts; ``--quick`` shrinks them so a smoke run stays short."""

    name: str
    quick: bool
    pair_issues: int
    pair_repeat: int  # timed runs per figure (the median is reported)
    pair_min_time: float  # seconds each timed run lasts at least (calls are looped)
    one_off_runs: int  # fresh interpreters for the one-off seed-pair comparison
    matrix_n: int
    matrix_k: int
    matrix_repeat: int  # warm gap_matrix calls, and runs of the loop baseline
    cold_repeat: int  # cold runs: caches cleared, positions compiled anew, then the matrix
    loop_pairs: int  # pairs sampled for the loop baseline and the equality check
    files_sizes: tuple[int, ...]  # corpora loaded from files into a matrix, end to end
    files_runs: tuple[int, ...]  # fresh interpreters per size (the median is reported)
    split_n: int  # files the load is split into parsing and validation on
    split_repeat: int
    import_runs: int


FULL = Settings(
    name="full",
    quick=False,
    pair_issues=40,
    pair_repeat=7,
    pair_min_time=0.2,
    one_off_runs=5,
    matrix_n=2000,
    matrix_k=60,
    matrix_repeat=5,
    cold_repeat=3,
    loop_pairs=2000,
    files_sizes=(2000, 8000),
    files_runs=(3, 1),
    split_n=200,
    split_repeat=5,
    import_runs=15,
)
QUICK = Settings(
    name="quick",
    quick=True,
    pair_issues=40,
    pair_repeat=3,
    pair_min_time=0.02,
    one_off_runs=1,
    matrix_n=200,
    matrix_k=60,
    matrix_repeat=3,
    cold_repeat=1,
    loop_pairs=200,
    files_sizes=(100,),
    files_runs=(1,),
    split_n=50,
    split_repeat=3,
    import_runs=3,
)


# ---------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Span:
    """Wall and CPU seconds of one run.

    Wall time is what a user waits; CPU time (this process, all threads) barely moves when
    other processes compete for the cores, so it tells contention from a real slowdown.
    """

    wall: float
    cpu: float

    def __add__(self, other: Span) -> Span:
        return Span(self.wall + other.wall, self.cpu + other.cpu)

    def __truediv__(self, count: float) -> Span:
        return Span(self.wall / count, self.cpu / count)

    def __mul__(self, count: float) -> Span:
        return Span(self.wall * count, self.cpu * count)

    def __str__(self) -> str:
        return f"{fmt_time(self.wall)} ({fmt_time(self.cpu)} CPU)"

    def to_json(self) -> list[float]:
        return [self.wall, self.cpu]

    @classmethod
    def from_json(cls, data: Sequence[float]) -> Span:
        return cls(float(data[0]), float(data[1]))


def median_span(spans: Sequence[Span]) -> Span:
    """The median wall time and the median CPU time (each on its own)."""
    return Span(statistics.median(s.wall for s in spans), statistics.median(s.cpu for s in spans))


def once(func: Callable[[], object]) -> Span:
    """Wall and CPU time of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return Span(time.perf_counter() - wall, time.process_time() - cpu)


def median_of(func: Callable[[], object], repeat: int) -> Span:
    """The median of ``repeat`` runs of one call each (for calls long enough to time alone)."""
    return median_span([once(func) for _ in range(repeat)])


def per_call(func: Callable[[], object], repeat: int, min_time: float) -> Span:
    """Seconds per call: the calls are looped so that one run lasts at least ``min_time``,
    and the median of ``repeat`` runs is divided by the loop count. The garbage collector
    stays on (timeit turns it off), because a user's program runs with it."""

    def run(loops: int) -> Span:
        return once(lambda: [func() for _ in range(loops)])

    loops = 1
    while run(loops).wall < min_time:
        loops *= 2
    return median_span([run(loops) for _ in range(repeat)]) / loops


def forget() -> None:
    """Drop every cache negpos keeps: compiled positions and the memo of judged values.

    (A codebook's lookup index is built while proposals are validated, so it is warm
    whenever proposals exist; the cold cases here start from loaded proposals.)"""
    clear_compiled_positions()
    clear_judgement_memo()


def fmt_time(seconds: float) -> str:
    """A duration in the unit that keeps three significant figures readable."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 100 else f"{ratio:.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Verdict:
    """One target beside the figure it is judged on."""

    target: str
    figure: str
    met: bool

    def text(self, quick: bool) -> str:
        if quick:
            return QUICK_NOTE
        return "**met**" if self.met else "**NOT met**"


def verdict_lines(verdicts: Sequence[Verdict], quick: bool) -> list[str]:
    if quick:
        return [f"- Targets: {QUICK_NOTE}.", ""]
    return [f"- {v.target}: {v.figure}: {v.text(quick)}." for v in verdicts] + [""]


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


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


@dataclass(frozen=True)
class Start:
    """What the header reports about the start of a run, taken when it starts."""

    time: str
    load: str
    commit: str
    uncommitted: int  # changed files under negpos/ not yet committed

    @classmethod
    def now(cls) -> Start:
        changed = git("status", "--porcelain", "--", "negpos").splitlines()
        return cls(
            time=time.strftime("%Y-%m-%d %H:%M"),
            load=load_average(),
            commit=git("rev-parse", "--short", "HEAD") or "unknown",
            uncommitted=len([line for line in changed if line]),
        )

    def source(self) -> list[str]:
        """The commit measured, and what changed in negpos while the run went on (others
        may be committing to the working tree it imports from)."""
        line = f"- Source: commit {self.commit} at the start" + (
            f", with {self.uncommitted} uncommitted change(s) under negpos/"
            if self.uncommitted
            else ""
        )
        if self.commit == "unknown":
            return [line]
        landed = git(
            "log",
            "--format=%h %ad %s",
            "--date=format:%H:%M",
            f"{self.commit}..HEAD",
            "--",
            "negpos",
        )
        if not landed:
            return [line + "; negpos unchanged in git during the run"]
        return [
            line + ". Commits to negpos/ that landed during the run (each child interpreter "
            "imports the working tree as it is when it starts; see the run log for when each "
            "section ran):",
            *(f"  - {entry[:110]}" for entry in landed.splitlines()),
        ]


def machine(start: Start) -> list[str]:
    """What the numbers were measured on; a benchmark without its machine is not a result."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    packages = ", ".join(
        f"{p} {version(p)}"
        for p in ("negpos", "pydantic", "numpy", "PyYAML", "deepdiff", "dictdiffer", "negmas")
    )
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    return [
        f"- CPU: {cpu_model()}, {cores} cores available (`nproc`), {memory}",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- Packages: {packages}",
        *start.source(),
        f"- Load average at start: {start.load} (other processes share this machine)",
        "- numpy's element-wise work is single-threaded and `gap_matrix` makes no BLAS call; "
        "`gap_matrix` shares its tiles out to threads (by default the processors the process "
        "may use, at most 8). Section b measures it that way and in one thread "
        "(`workers=1`, `OPENBLAS_NUM_THREADS=1`).",
    ]


def child_environment(**extra: str) -> dict[str, str]:
    """The environment of a child interpreter: bytecode caches as an installed package has
    them (with PYTHONDONTWRITEBYTECODE set, as in some sandboxes and CI images, an editable
    negpos would be recompiled at every start while pydantic's wheel ships compiled; a
    cache prefix, ``PYCACHE``, gives every module a cache without writing into the source tree),
    no PYTHONPATH, no OPENBLAS_NUM_THREADS unless asked, and a fixed hash seed."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "OPENBLAS_NUM_THREADS")
    }
    PYCACHE.mkdir(parents=True, exist_ok=True)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONHASHSEED"] = "0"
    env.update(extra)
    return env


WARM_UP = """
import sys
sys.path.insert(0, sys.argv[1])
import deepdiff, dictdiffer, negpos
from pydantic import BaseModel
import benchmarks.run, benchmarks.corpus_scale
class M(BaseModel):
    x: int
negpos.compare(*(negpos.load(path) for path in sys.argv[2:])).issues
"""


def warm_up_children() -> Span:
    """One child interpreter that imports everything the others will: it fills ``PYCACHE``
    (the first run on a machine compiles every module) and the page cache, so that no
    measured child pays for either."""
    before = _children_cpu()
    start = time.perf_counter()
    command = [sys.executable, "-c", WARM_UP, str(ROOT), *(str(p) for p in SEED_PAIR)]
    subprocess.run(command, check=True, env=child_environment(), capture_output=True)
    return Span(time.perf_counter() - start, _children_cpu() - before)


def _children_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def run_worker(kind: str, arguments: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """One measurement in a fresh interpreter (``run.py --worker KIND``): its memory and its
    caches are its own. Returns the JSON object the worker prints last."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--worker-args",
        json.dumps(dict(arguments)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=dict(env))
    if done.returncode != 0:
        raise RuntimeError(f"worker {kind} {dict(arguments)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def say(message: str) -> None:
    print(f"  [run] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------- a. one pair


@dataclass(frozen=True)
class PairResult:
    label: str
    warm: Span
    rows: Span
    cold: Span
    engine: Span
    compile: Span
    deepdiff: Span
    dictdiffer: Span
    deepdiff_whole: Span
    dictdiffer_whole: Span
    issues_a: int
    issues_b: int
    union: int
    shared: int
    compared_bytes: tuple[int, int]  # JSON size of what the differs get, and of whole dumps


def bench_pair(label: str, a: negpos.Proposal, b: negpos.Proposal, s: Settings) -> PairResult:
    """One compare, warm and cold, against generic differs given the same stances."""
    import deepdiff
    import dictdiffer

    stances_a, stances_b = compared_data(a), compared_data(b)
    whole_a, whole_b = to_data(a), to_data(b)
    pos_a, pos_b = positions_of(a), positions_of(b)
    result = diff(pos_a, pos_b)

    def run(func: Callable[[], object]) -> Span:
        return per_call(func, s.pair_repeat, s.pair_min_time)

    def cold_compare() -> object:
        forget()
        return negpos.compare(a, b)

    def compile_both() -> object:
        forget()
        return positions_of(a), positions_of(b)

    say(f"pair: {label}")
    measured = PairResult(
        label=label,
        warm=run(lambda: negpos.compare(a, b)),
        rows=run(lambda: negpos.compare(a, b).issues),
        cold=run(cold_compare),
        engine=run(lambda: diff(pos_a, pos_b)),
        compile=run(compile_both),
        deepdiff=run(lambda: deepdiff.DeepDiff(stances_a, stances_b)),
        dictdiffer=run(lambda: list(dictdiffer.diff(stances_a, stances_b))),
        deepdiff_whole=run(lambda: deepdiff.DeepDiff(whole_a, whole_b)),
        dictdiffer_whole=run(lambda: list(dictdiffer.diff(whole_a, whole_b))),
        issues_a=len(pos_a),
        issues_b=len(pos_b),
        union=len(result.issues),
        shared=result.summary.shared_issues,
        compared_bytes=(
            len(json.dumps([stances_a, stances_b], default=str)),
            len(json.dumps([whole_a, whole_b], default=str)),
        ),
    )
    forget()  # leave no cold state behind for the next section either way
    return measured


def ratio_text(slow: Span, fast: Span) -> str:
    """``slow ÷ fast`` by CPU time (what ratios are judged on: on a shared machine the wall
    clock also measures the neighbours), then by wall time."""
    return f"{fmt_ratio(slow.cpu / fast.cpu)} CPU, {fmt_ratio(slow.wall / fast.wall)} wall"


def pair_verdicts(r: PairResult) -> list[Verdict]:
    verdicts = []
    for name, span in (("warm", r.warm), ("cold", r.cold)):
        deep, dd = r.deepdiff.cpu / span.cpu, r.dictdiffer.cpu / span.cpu
        verdicts += [
            Verdict(
                f"{r.label}, {name}: `compare` ≥ {DEEPDIFF_GOAL:.0f}× faster than DeepDiff",
                ratio_text(r.deepdiff, span),
                deep >= DEEPDIFF_GOAL,
            ),
            Verdict(
                f"{r.label}, {name}: `compare` faster than dictdiffer",
                ratio_text(r.dictdiffer, span),
                dd > 1,
            ),
        ]
    return verdicts


def report_pair(r: PairResult, s: Settings) -> list[str]:
    def ratios(span: Span) -> list[str]:
        return [ratio_text(r.deepdiff, span), ratio_text(r.dictdiffer, span)]

    stances, whole = r.compared_bytes
    lines = [
        f"### {r.label}",
        "",
        f"Proposals addressing {r.issues_a} and {r.issues_b} issues ({r.union} issues in the "
        f"comparison, {r.shared} shared). DeepDiff and dictdiffer get the stances negpos "
        "compares (`benchmarks.synthetic.compared_data`: the stance sections of the plain "
        "dump, without sources, evidence, notes and labels of alternatives; "
        f"{stances:,} bytes as JSON for the pair, against {whole:,} for the whole dumps). "
        f"Medians of {s.pair_repeat} timed runs, each looping the call for at least "
        f"{s.pair_min_time:g} s; wall time (CPU time).",
        "",
    ]
    lines += table(
        ["What", "Time per call", "DeepDiff ÷ this", "dictdiffer ÷ this"],
        [
            [
                "`negpos.compare(a, b)` warm: positions compiled once per proposal and kept "
                "(every later comparison of that proposal)",
                str(r.warm),
                *ratios(r.warm),
            ],
            ["the same, also building every row object (`.issues`)", str(r.rows), *ratios(r.rows)],
            [
                "`negpos.compare(a, b)` cold: compiled positions and judged values forgotten "
                "before each call",
                str(r.cold),
                *ratios(r.cold),
            ],
            [
                "`negpos.engine.diff(pa, pb)` on compiled positions",
                str(r.engine),
                *ratios(r.engine),
            ],
            ["compiling both proposals' positions (cold)", str(r.compile), "", ""],
            ["`deepdiff.DeepDiff(stances_a, stances_b)`", str(r.deepdiff), "1×", ""],
            ["`list(dictdiffer.diff(stances_a, stances_b))`", str(r.dictdiffer), "", "1×"],
            [
                "for reference: DeepDiff on the whole dumps (titles, sources, notes: what this "
                "benchmark gave it until 2026-11-28)",
                str(r.deepdiff_whole),
                "",
                "",
            ],
            ["for reference: dictdiffer on the whole dumps", str(r.dictdiffer_whole), "", ""],
        ],
    )
    return lines + verdict_lines(pair_verdicts(r), s.quick)


# --- the real seed pair, once, in a fresh interpreter

ONE_OFF = """
import json, sys, time
marks = []
def mark():
    marks.append((time.perf_counter(), time.process_time()))
mark()
import negpos
mark()
a = negpos.load(sys.argv[1])
b = negpos.load(sys.argv[2])
mark()
comparison = negpos.compare(a, b)
mark()
rows = comparison.issues
mark()
sys.path.insert(0, sys.argv[3])
from benchmarks.synthetic import compared_data
stances_a, stances_b = compared_data(a), compared_data(b)
mark()
import deepdiff
mark()
deepdiff.DeepDiff(stances_a, stances_b)
mark()
import dictdiffer
mark()
list(dictdiffer.diff(stances_a, stances_b))
mark()
print(json.dumps(marks))
"""
ONE_OFF_STAGES = (
    "import negpos",
    "load",
    "compare",
    "rows",
    "prepare",  # the differs' input, not reported
    "import deepdiff",
    "deepdiff",
    "import dictdiffer",
    "dictdiffer",
)


@dataclass(frozen=True)
class OneOffResult:
    runs: int
    stages: dict[str, Span]  # median per stage over the fresh interpreters

    def total(self, *names: str) -> Span:
        result = Span(0.0, 0.0)
        for name in names:
            result += self.stages[name]
        return result


def bench_one_off(s: Settings) -> OneOffResult:
    """The seed pair compared once in a fresh interpreter: everything cold, imports included."""
    env = child_environment()
    command = [sys.executable, "-c", ONE_OFF, *(str(p) for p in SEED_PAIR), str(ROOT)]
    per_stage: dict[str, list[Span]] = {name: [] for name in ONE_OFF_STAGES}
    for _ in range(s.one_off_runs):
        done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
        marks = [Span.from_json(m) for m in json.loads(done.stdout.strip().splitlines()[-1])]
        for name, (start, end) in zip(ONE_OFF_STAGES, itertools.pairwise(marks), strict=True):
            per_stage[name].append(Span(end.wall - start.wall, end.cpu - start.cpu))
    return OneOffResult(
        runs=s.one_off_runs, stages={name: median_span(v) for name, v in per_stage.items()}
    )


def report_one_off(r: OneOffResult) -> list[str]:
    st = r.stages
    negpos_first = st["compare"] + st["rows"]
    deep_first = st["deepdiff"]
    lines = [
        "### The seed pair once, in a fresh interpreter (cold)",
        "",
        f"`python -c` loads {SEED_PAIR[0].name} and {SEED_PAIR[1].name} and compares them "
        "once, then imports DeepDiff and dictdiffer and runs each once on the same pair's "
        f"stances. Median of {r.runs} fresh interpreter(s), warm bytecode caches; interpreter "
        "start-up not included.",
        "",
    ]
    lines += table(
        ["Stage", "Wall time (CPU time)"],
        [
            ["`import negpos`", str(st["import negpos"])],
            [
                "`negpos.load` × 2 (pydantic, YAML and the codebook load on first use)",
                str(st["load"]),
            ],
            [
                "first `negpos.compare(a, b)` (engine imported, positions compiled)",
                str(st["compare"]),
            ],
            ["reading its rows (`.issues`)", str(st["rows"])],
            [
                "**negpos, import to rows**",
                str(r.total("import negpos", "load", "compare", "rows")),
            ],
            ["`import deepdiff`", str(st["import deepdiff"])],
            ["first `DeepDiff(stances_a, stances_b)`", str(st["deepdiff"])],
            ["`import dictdiffer`", str(st["import dictdiffer"])],
            ["first `list(dictdiffer.diff(stances_a, stances_b))`", str(st["dictdiffer"])],
        ],
    )
    path = r.total("import negpos", "load", "compare", "rows")
    lines += [
        f"- The first comparison with its rows, files already loaded: negpos "
        f"{negpos_first} against DeepDiff's first call {deep_first} and dictdiffer's "
        f"{st['dictdiffer']} (DeepDiff ÷ negpos {ratio_text(deep_first, negpos_first)}; "
        f"dictdiffer ÷ negpos {ratio_text(st['dictdiffer'], negpos_first)}).",
        f"- Of negpos's whole one-off path ({path}), loading the two files (pydantic, YAML "
        f"and the codebook on first use) is {r.stages['load'].cpu / path.cpu:.0%} of the CPU "
        "time. The differs' rows leave out reading the files, which they would need too; "
        f"`import deepdiff` alone costs {st['import deepdiff']}.",
        "",
    ]
    return lines


# ---------------------------------------------------------------------- b. gap matrix


def matrix_worker(
    n: int, k: int, repeat: int, cold_repeat: int, loop_pairs: int, workers: int | None = None
) -> dict[str, Any]:
    """Section b in a fresh interpreter: generate, compile, the matrix warm and cold (in
    ``workers`` threads; None: gap_matrix's default), its memory, and (when ``loop_pairs``)
    the loop baseline and the equality check."""
    proposals: list[negpos.Proposal] = []
    generate = once(lambda: proposals.extend(synthetic_proposals(n, k, SEED + 1)))
    sets: list[PositionSet] = []
    compile_time = once(lambda: sets.extend(positions_of(p) for p in proposals))
    warm = [once(lambda: gap_matrix(sets, workers=workers)) for _ in range(repeat)]

    def cold() -> None:
        forget()
        gap_matrix([positions_of(p) for p in proposals], workers=workers)

    colds = [once(cold) for _ in range(cold_repeat)]
    gc.collect()
    tracemalloc.start()
    matrix = gap_matrix(sets, workers=workers)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    result: dict[str, Any] = {
        "workers": default_workers() if workers is None else workers,
        "generate": generate.to_json(),
        "compile": compile_time.to_json(),
        "warm": [span.to_json() for span in warm],
        "cold": [span.to_json() for span in colds],
        "peak_bytes": peak,
        "max_rss_bytes": max_rss_bytes(),
    }
    if loop_pairs:
        rng = random.Random(SEED + 2)
        pairs = [tuple(sorted(rng.sample(range(n), 2))) for _ in range(loop_pairs)]
        gaps: list[float | None] = []

        def loop() -> None:
            gaps.clear()
            gaps.extend(diff(sets[i], sets[j]).summary.overall_gap for i, j in pairs)

        result["loop"] = [once(loop).to_json() for _ in range(repeat)]
        result["mismatches"] = sum(
            not _same(float(matrix.gaps[i, j]), expected)
            + (not _same(float(matrix.gaps[j, i]), expected))
            for (i, j), expected in zip(pairs, gaps, strict=True)
        )
    return result


def _same(got: float, expected: float | None) -> bool:
    return math.isnan(got) if expected is None else got == expected


@dataclass(frozen=True)
class MatrixRun:
    """One fresh interpreter's figures (medians where repeated)."""

    workers: int
    generate: Span
    compile: Span
    warm: Span
    cold: Span
    peak_bytes: int
    max_rss_bytes: int
    loop: Span | None
    mismatches: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatrixRun:
        def spans(key: str) -> Span:
            return median_span([Span.from_json(x) for x in data[key]])

        return cls(
            workers=int(data["workers"]),
            generate=Span.from_json(data["generate"]),
            compile=Span.from_json(data["compile"]),
            warm=spans("warm"),
            cold=spans("cold"),
            peak_bytes=int(data["peak_bytes"]),
            max_rss_bytes=int(data["max_rss_bytes"]),
            loop=spans("loop") if "loop" in data else None,
            mismatches=int(data["mismatches"]) if "mismatches" in data else None,
        )


@dataclass(frozen=True)
class MatrixResult:
    n: int
    k: int
    repeat: int
    cold_repeat: int
    loop_pairs: int
    default: MatrixRun  # gap_matrix's default threads, OPENBLAS_NUM_THREADS unset
    one_thread: MatrixRun  # workers=1, OPENBLAS_NUM_THREADS=1

    @property
    def pairs(self) -> int:
        return self.n * (self.n - 1) // 2

    @property
    def loop_all(self) -> Span:
        """The loop's time per pair, times every distinct pair."""
        assert self.default.loop is not None
        return self.default.loop / self.loop_pairs * self.pairs


def bench_matrix(s: Settings) -> MatrixResult:
    """The matrix in two fresh interpreters: as a user gets it (gap_matrix's default threads,
    OPENBLAS_NUM_THREADS unset), and in one thread (workers=1, OPENBLAS_NUM_THREADS=1)."""
    arguments = {
        "n": s.matrix_n,
        "k": s.matrix_k,
        "repeat": s.matrix_repeat,
        "cold_repeat": s.cold_repeat,
    }
    say(f"matrix: N = {s.matrix_n}, default threads")
    default = run_worker("matrix", {**arguments, "loop_pairs": s.loop_pairs}, child_environment())
    say(f"matrix: N = {s.matrix_n}, one thread (workers=1, OPENBLAS_NUM_THREADS=1)")
    one = run_worker(
        "matrix",
        {**arguments, "loop_pairs": 0, "workers": 1},
        child_environment(OPENBLAS_NUM_THREADS="1"),
    )
    return MatrixResult(
        n=s.matrix_n,
        k=s.matrix_k,
        repeat=s.matrix_repeat,
        cold_repeat=s.cold_repeat,
        loop_pairs=s.loop_pairs,
        default=MatrixRun.from_json(default),
        one_thread=MatrixRun.from_json(one),
    )


def matrix_verdicts(r: MatrixResult) -> list[Verdict]:
    n, limit = MATRIX_GOAL
    verdicts = []
    if r.n == n:
        for name, run in (
            (f"{r.default.workers} threads, the default here", r.default),
            ("one thread: `workers=1`, `OPENBLAS_NUM_THREADS=1`", r.one_thread),
        ):
            verdicts.append(
                Verdict(
                    f"{n:,} × {r.k} ≤ {limit:.1f} s (warm `gap_matrix`, median; {name})",
                    str(run.warm),
                    run.warm.wall <= limit,
                )
            )
    mismatches = r.default.mismatches or 0
    verdicts.append(
        Verdict(
            "matrix equal to `diff` bit for bit (both triangles)",
            f"{mismatches} mismatches on {r.loop_pairs:,} sampled pairs",
            mismatches == 0,
        )
    )
    speed = r.loop_all.cpu / r.default.warm.cpu
    verdicts.append(
        Verdict(
            "matrix much faster than the loop over every pair (judged at ≥ 10×)",
            ratio_text(r.loop_all, r.default.warm),
            speed >= 10,
        )
    )
    return verdicts


def report_matrix(r: MatrixResult, s: Settings) -> list[str]:
    d, o = r.default, r.one_thread
    loop = d.loop
    assert loop is not None

    def ratio(span: Span) -> str:
        return f"{span.cpu / span.wall:.2f}"

    lines = [
        f"## b. Pairwise gap matrix (N = {r.n:,} proposals × K = {r.k} issues)",
        "",
        f"`negpos.engine.matrix.gap_matrix(position_sets)`: {r.pairs:,} distinct pairs (the "
        "upper triangle; the lower one is its mirror). Each column is a fresh interpreter: "
        f"the first as a user gets it ({d.workers} threads share the tiles, the default on "
        "this machine: the processors the process may use, at most 8), the second in one "
        "thread (`workers=1`, and `OPENBLAS_NUM_THREADS=1`, though the matrix makes no BLAS "
        f"call). Warm: positions compiled, median of {r.repeat}. Cold: caches cleared, "
        f"positions compiled anew, then the matrix, median of {r.cold_repeat}. CPU ÷ wall "
        "above 1 shows the threads at work together; below 1 in one thread, other processes "
        "had the core.",
        "",
    ]
    lines += table(
        ["What", f"{d.workers} threads (default)", "one thread"],
        [
            [
                f"generating and validating {r.n:,} proposals (once)",
                str(d.generate),
                str(o.generate),
            ],
            [
                "compiling positions (`positions_of`, first time in the process)",
                str(d.compile),
                str(o.compile),
            ],
            ["**`gap_matrix` warm**", f"**{d.warm}**", f"**{o.warm}**"],
            ["CPU ÷ wall of the warm matrix", ratio(d.warm), ratio(o.warm)],
            [
                "wall per pair (warm)",
                fmt_time(d.warm.wall / r.pairs),
                fmt_time(o.warm.wall / r.pairs),
            ],
            ["cold: caches cleared, compile, `gap_matrix`", str(d.cold), str(o.cold)],
            [
                "peak memory of one `gap_matrix` call (tracemalloc, numpy included)",
                mib(d.peak_bytes),
                mib(o.peak_bytes),
            ],
            [
                "bytes per pair (that peak ÷ N², as corpus_scale.py and issue 9 count them)",
                f"{d.peak_bytes / r.n**2:.1f}",
                f"{o.peak_bytes / r.n**2:.1f}",
            ],
            [
                "the interpreter's peak memory (`VmHWM`, the corpus included)",
                mib(d.max_rss_bytes),
                mib(o.max_rss_bytes),
            ],
        ],
    )
    lines += [
        f"Baseline (first interpreter): `diff(pa, pb).summary.overall_gap` in a Python loop over "
        f"{r.loop_pairs:,} random distinct pairs (i < j), median of {r.repeat} runs: "
        f"{loop} ({fmt_time(loop.wall / r.loop_pairs)} per pair); extrapolated to all "
        f"N(N−1)/2 = {r.pairs:,} pairs: {r.loop_all}. The matrix is "
        f"**{ratio_text(r.loop_all, d.warm)}** faster warm and "
        f"{ratio_text(r.loop_all, d.cold)} cold (the loop's positions are compiled). "
        f"The sampled pairs are checked against both triangles of the matrix: "
        f"**{d.mismatches} mismatches** (exact float equality; NaN where `overall_gap` is "
        "None).",
        "",
    ]
    return lines + verdict_lines(matrix_verdicts(r), s.quick)


# ---------------------------------------------------------------------- c. files to a matrix


def files_worker(folder: str, k: int) -> dict[str, Any]:
    """From a folder of proposal files to a matrix, as a user does it, in a fresh interpreter
    (imports excluded: section d measures them)."""
    codebook = synthetic_codebook(k)
    corpora: list[Corpus] = []
    load = once(lambda: corpora.append(Corpus.from_dir(folder, codebook=codebook)))
    sets: list[PositionSet] = []
    compile_time = once(lambda: sets.extend(corpora[0].position_sets()))
    matrix = once(lambda: gap_matrix(sets))
    return {
        "n": len(corpora[0]),
        "load": load.to_json(),
        "compile": compile_time.to_json(),
        "matrix": matrix.to_json(),
        "max_rss_bytes": max_rss_bytes(),
    }


FILE_STAGES = ("load", "compile", "matrix")


@dataclass(frozen=True)
class FilesRun:
    n: int
    runs: int
    stages: dict[str, Span]  # medians over the runs
    total: Span  # the median of the runs' totals
    max_rss_bytes: int  # the largest over the runs


@dataclass(frozen=True)
class FilesResult:
    k: int
    written: int
    write: Span
    sizes: list[FilesRun]
    split_n: int
    split_repeat: int
    parse: Span
    validate: Span


def _write_files(folder: Path, n: int, k: int) -> Span:
    """Write ``n`` synthetic proposals with ``negpos.dump``; only the writing is timed."""
    folder.mkdir(parents=True)
    spent = Span(0.0, 0.0)
    for proposal in iter_synthetic_proposals(n, k, SEED + 3):
        wall, cpu = time.perf_counter(), time.process_time()
        negpos.dump(proposal, folder / f"{proposal.id}.yaml")
        spent += Span(time.perf_counter() - wall, time.process_time() - cpu)
    return spent


def _subset(source: Path, folder: Path, n: int) -> None:
    """The first ``n`` files of ``source`` (hard links, or copies where links fail)."""
    folder.mkdir(parents=True)
    for path in sorted(source.iterdir())[:n]:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)


def bench_files(s: Settings) -> FilesResult:
    k, largest = s.matrix_k, max(s.files_sizes)
    with tempfile.TemporaryDirectory(prefix="negpos-bench-") as root:
        say(f"files: writing {largest:,} proposal files")
        biggest = Path(root) / f"n{largest}"
        write = _write_files(biggest, largest, k)
        sizes = []
        for n, runs in zip(s.files_sizes, s.files_runs, strict=True):
            folder = biggest if n == largest else Path(root) / f"n{n}"
            if n != largest:
                _subset(biggest, folder, n)
            found = []
            for run in range(runs):
                say(f"files: N = {n:,}, from files to a matrix, run {run + 1} of {runs}")
                found.append(
                    run_worker("files", {"folder": str(folder), "k": k}, child_environment())
                )
            stages = {
                name: median_span([Span.from_json(f[name]) for f in found]) for name in FILE_STAGES
            }
            totals = [
                sum((Span.from_json(f[name]) for name in FILE_STAGES), Span(0.0, 0.0))
                for f in found
            ]
            sizes.append(
                FilesRun(
                    n=int(found[0]["n"]),
                    runs=runs,
                    stages=stages,
                    total=median_span(totals),
                    max_rss_bytes=max(int(f["max_rss_bytes"]) for f in found),
                )
            )
        texts = [p.read_text(encoding="utf-8") for p in sorted(biggest.iterdir())[: s.split_n]]
    codebook = synthetic_codebook(k)
    documents = [parse_document(t) for t in texts]
    parse = median_of(lambda: [parse_document(t) for t in texts], s.split_repeat)
    validate = median_of(
        lambda: [
            negpos.Proposal.model_validate(d.data, context={"codebook": codebook})
            for d in documents
        ],
        s.split_repeat,
    )
    return FilesResult(
        k=k,
        written=largest,
        write=write,
        sizes=sizes,
        split_n=len(texts),
        split_repeat=s.split_repeat,
        parse=parse,
        validate=validate,
    )


def files_verdicts(r: FilesResult) -> list[Verdict]:
    n, limit = FILES_GOAL
    found = next((size for size in r.sizes if size.n == n), None)
    if found is None:
        return []
    return [
        Verdict(
            f"{n:,} proposals from files to a matrix in under {limit:.0f} s",
            f"{found.total} ({found.runs} run)",
            found.total.wall < limit,
        )
    ]


def report_files(r: FilesResult, s: Settings) -> list[str]:
    def runs(size: FilesRun) -> str:
        return (
            f"N = {size.n:,} ({size.runs} runs, median)"
            if size.runs > 1
            else f"N = {size.n:,} (1 run)"
        )

    lines = [
        f"## c. What a user pays: from files to a matrix (K = {r.k} issues)",
        "",
        f"{r.written:,} synthetic proposals written with `negpos.dump` (YAML) into a temporary "
        f"folder: {r.write} in all, {fmt_time(r.write.wall / r.written)} per file. Then, in a "
        "fresh interpreter per run (imports excluded: section d), "
        "`corpus = Corpus.from_dir(folder, codebook=codebook)`, "
        "`sets = corpus.position_sets()`, `gap_matrix(sets)`: everything cold, as a user "
        "starts. Smaller sizes are the first files of the largest corpus.",
        "",
    ]
    header = ["Stage", *(runs(size) for size in r.sizes)]
    rows = [
        ["`Corpus.from_dir` (read, parse, validate)", *(str(z.stages["load"]) for z in r.sizes)],
        ["per file", *(fmt_time(z.stages["load"].wall / z.n) for z in r.sizes)],
        ["`corpus.position_sets()` (compile)", *(str(z.stages["compile"]) for z in r.sizes)],
        ["`gap_matrix(sets)`", *(str(z.stages["matrix"]) for z in r.sizes)],
        ["**files to matrix**", *(f"**{z.total}**" for z in r.sizes)],
        ["the interpreter's peak memory (`VmHWM`)", *(mib(z.max_rss_bytes) for z in r.sizes)],
    ]
    lines += table(header, rows)
    share = r.parse.cpu / (r.parse.cpu + r.validate.cpu)
    lines += [
        f"Where loading goes, on the first {r.split_n} files' text (median of "
        f"{r.split_repeat}): YAML parsing (`negpos.documents.parse_document`) {r.parse} "
        f"({fmt_time(r.parse.wall / r.split_n)} per file), validation "
        f"(`Proposal.model_validate`) {r.validate} ({fmt_time(r.validate.wall / r.split_n)} "
        f"per file): parsing is {share:.0%} of the CPU time.",
        "",
    ]
    return lines + verdict_lines(files_verdicts(r), s.quick)


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
    wall: dict[str, list[float]] = {name: [] for name in IMPORTS}
    cpu: dict[str, list[float]] = {name: [] for name in IMPORTS}
    env = child_environment()
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


def import_verdicts(r: ImportResult) -> list[Verdict]:
    plain = r.wall["negpos"] / r.wall["pydantic"]
    return [
        Verdict(
            f"`import negpos` ≤ {IMPORT_GOAL}× `import pydantic`",
            fmt_ratio(plain),
            plain <= IMPORT_GOAL,
        )
    ]


def report_imports(r: ImportResult, s: Settings) -> list[str]:
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
        "- `import negpos` loads names lazily and does not import pydantic at all.",
        f"- `from negpos import Proposal` ÷ `from pydantic import BaseModel`: "
        f"{fmt_ratio(model)} wall, {fmt_ratio(model_cpu)} CPU: the cost a user pays before the "
        "first proposal loads. For scale: defining one trivial model (`class M(BaseModel): x: "
        f"int`) costs {fmt_time(r.wall['first_model'])} wall, because pydantic loads its plugin "
        "machinery and builds a schema with the first model; against that, "
        f"`from negpos import Proposal` is {fmt_ratio(first)}.",
        "",
    ]
    return lines + verdict_lines(import_verdicts(r), s.quick)


# ---------------------------------------------------------------------- f. corpus scale


SCALE_SIZE = """
import dataclasses, json, sys
sys.path.insert(0, sys.argv[1])
from benchmarks import corpus_scale
measure = corpus_scale.run_size(*(int(x) for x in sys.argv[2:]))
print(json.dumps(dataclasses.asdict(measure)))
"""


def _scale_size(n: int, issues: int, repeat: int, checks: int) -> Measure:
    """``corpus_scale.run_size`` called from a small interpreter that imports nothing else:
    the size's own interpreter is started from it, not from this large process, whose peak
    memory Linux would pass on to it as its ``ru_maxrss`` (corpus_scale reports ``VmHWM``,
    which starts afresh at ``exec``; the small launcher keeps even ``ru_maxrss`` honest)."""
    from benchmarks.corpus_scale import Measure

    command = [sys.executable, "-c", SCALE_SIZE, str(ROOT), *map(str, (n, issues, repeat, checks))]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=child_environment()
    )
    if done.returncode != 0:
        raise RuntimeError(f"corpus scale N = {n} failed:\n{done.stderr}")
    return Measure(**json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass(frozen=True)
class ScaleResult:
    sizes: tuple[int, ...]
    measures: list[Measure]


def bench_scale(s: Settings) -> ScaleResult:
    """benchmarks/corpus_scale.py's table, each size in its own interpreter. The sizes,
    repeats and checks are the ones its own command line uses: ``--quick``, or the full
    sizes with ``--with-10000``."""
    from benchmarks import corpus_scale

    sizes: tuple[int, ...]
    if s.quick:
        sizes, repeat, checks = corpus_scale.QUICK_SIZES, 1, 20
    else:
        sizes, repeat, checks = (*corpus_scale.FULL_SIZES, 10000), 3, 200
    measures = []
    for n in sizes:
        say(f"corpus scale: N = {n:,}")
        repeats = 1 if n >= 10000 else repeat
        measures.append(_scale_size(n, corpus_scale.ISSUES, repeats, checks))
    return ScaleResult(tuple(sizes), measures)


def report_scale(r: ScaleResult, s: Settings) -> list[str]:
    from benchmarks import corpus_scale

    lines = [
        f"## f. The gap matrix at corpus scale (K = {corpus_scale.ISSUES} issues)",
        "",
        "`benchmarks/corpus_scale.py` (run alone: `python benchmarks/corpus_scale.py "
        "[--quick] [--with-10000]`): each size in a fresh interpreter with "
        "`OPENBLAS_NUM_THREADS=1`; `gap_matrix` on compiled positions in its default "
        "threads (the table says how many), median of 3 runs (1 at N = 10,000 and in a quick "
        "run); its peak memory by tracemalloc, the process's peak resident memory (`VmHWM`, "
        "the corpus included); sampled pairs checked against `diff`, bit for bit.",
        "",
        *corpus_scale.table(r.measures),
        "",
    ]
    if s.quick:
        lines += [f"- Targets: {QUICK_NOTE}."]
    else:
        lines += corpus_scale.verdicts(r.measures)
    if len(r.measures) > 1:
        lines += ["", "Growth:", "", *corpus_scale.growth(r.measures)]
    return [*lines, ""]


# ---------------------------------------------------------------------- main


@dataclass
class Log:
    """Each section's wall time, CPU time (this process and its children) and load."""

    rows: list[list[str]] = field(default_factory=list)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        load, clock = load_average(), time.strftime("%H:%M")
        wall, cpu = time.perf_counter(), _cpu_all()
        yield
        spent = Span(time.perf_counter() - wall, _cpu_all() - cpu)
        self.rows.append(
            [
                clock,
                name,
                fmt_time(spent.wall),
                fmt_time(spent.cpu),
                f"{spent.cpu / spent.wall:.2f}",
                load,
                load_average(),
            ]
        )


def _cpu_all() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def summary(verdicts: Sequence[Verdict], scale: Sequence[str], quick: bool) -> list[str]:
    """Every target beside its figure; the scaling targets as corpus_scale.py judges them."""
    lines = ["## Targets", ""]
    if quick:
        return [*lines, f"{QUICK_NOTE}.", ""]
    lines += table(
        ["Target", "Figure", "Verdict"], [[v.target, v.figure, v.text(quick)] for v in verdicts]
    )
    return [
        *lines,
        "The gap matrix at corpus scale (section f, judged by `benchmarks/corpus_scale.py`):",
        "",
        *scale,
        "",
        "Section e (bargaining) judges its own goals (issue 10) in its text.",
        "",
    ]


def run_all(quick: bool) -> str:
    from benchmarks import bargaining

    s = QUICK if quick else FULL
    start = Start.now()
    started = time.perf_counter()
    log = Log()
    sections: list[str] = []
    verdicts: list[Verdict] = []
    scale_lines: list[str] = []

    def pair() -> list[str]:
        a, b = synthetic_proposals(2, s.pair_issues, SEED)
        synthetic = bench_pair(f"Synthetic pair (codebook of {s.pair_issues} issues)", a, b, s)
        russia, us = (negpos.load(p) for p in SEED_PAIR)
        seed = bench_pair("The seed pair: Russia, June 2025 vs US, April 2025", russia, us, s)
        one_off = bench_one_off(s)
        verdicts.extend(pair_verdicts(synthetic) + pair_verdicts(seed))
        return [
            "## a. One pairwise compare",
            "",
            *report_pair(synthetic, s),
            *report_pair(seed, s),
            *report_one_off(one_off),
        ]

    def matrix() -> list[str]:
        result = bench_matrix(s)
        verdicts.extend(matrix_verdicts(result))
        return report_matrix(result, s)

    def files() -> list[str]:
        result = bench_files(s)
        verdicts.extend(files_verdicts(result))
        return report_files(result, s)

    def imports() -> list[str]:
        result = bench_imports(s)
        verdicts.extend(import_verdicts(result))
        return report_imports(result, s)

    def scale() -> list[str]:
        from benchmarks import corpus_scale

        result = bench_scale(s)
        scale_lines.extend(corpus_scale.verdicts(result.measures))
        return report_scale(result, s)

    print(f"[{0.0:6.1f} s] warming up a child interpreter ...", file=sys.stderr, flush=True)
    warm = warm_up_children()
    steps: list[tuple[str, Callable[[], list[str]]]] = [
        ("a. pair", pair),
        ("b. matrix", matrix),
        ("c. files to a matrix", files),
        ("d. imports", imports),
        (
            "e. bargaining",
            lambda: bargaining.checked_report(bargaining.QUICK if quick else bargaining.FULL),
        ),
        ("f. corpus scale", scale),
    ]
    for name, step in steps:
        print(f"[{time.perf_counter() - started:6.1f} s] {name} ...", file=sys.stderr, flush=True)
        with log.section(name):
            sections += step()
    total = time.perf_counter() - started
    header = [
        f"# negpos benchmark results ({s.name} run)",
        "",
        f"Command: `python benchmarks/run.py{' --quick' if quick else ''}`, started "
        f"{start.time}, {total / 60:.0f} min.",
        "",
        *machine(start),
        "",
        *summary(verdicts, scale_lines, quick),
    ]
    footer = [
        "## Run log",
        "",
        "When each section started, its wall time, CPU time (this process and its children) "
        "and the load average (1, 5 and 15 minutes) at its start and end. CPU ÷ wall well below the cores a section "
        "can use means other processes had them.",
        "",
        *table(
            ["Started", "Section", "Wall", "CPU", "CPU ÷ wall", "Load at start", "Load at end"],
            log.rows,
        ),
        f"Before the sections, one child interpreter imported everything the others would, "
        f"filling the bytecode and page caches: {warm}.",
        "",
        f"Total run time {total:.0f} s; load average at the end: {load_average()}.",
        "",
    ]
    return "\n".join([*header, *sections, *footer])


def worker(kind: str, arguments: Mapping[str, Any]) -> int:
    result = matrix_worker(**arguments) if kind == "matrix" else files_worker(**arguments)
    print(json.dumps(result))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark, print the Markdown report and save it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, few repeats, no verdicts (a smoke run, about a minute at most)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the report (default: benchmarks/results.md for a full run; "
        "a quick run writes nothing unless this is given)",
    )
    parser.add_argument("--worker", choices=("matrix", "files"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        return worker(args.worker, json.loads(args.worker_args))
    output: Path | None = args.output or (None if args.quick else RESULTS)
    report = run_all(args.quick)
    print(report)
    if output is not None:
        output.write_text(report, encoding="utf-8")
        print(f"written to {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
