"""The ``negpos`` command: compare, show, validate, schema; matrix, grid, timeline, report, stances;
check, archive, agreement; bargain.

Bad input prints one line per problem (file:line: field: message) on stderr and exits 1;
usage errors (an unknown option, a category, party or proposal id the files do not have, an
output that would replace an input) print one line and exit 2; nothing prints a traceback for
a problem in the user's files or the user's terminal. Every line printed on stderr has its
control characters escaped (``negpos.errors.printable``), so a file name cannot forge a line or
move the cursor. Files are written atomically (``negpos.reports.writing``). A broken pipe (``negpos ... | head``) ends the
command silently with status 141, as commands killed by SIGPIPE do; a closed or failing
standard output is one line and status 1.

Adding a command: a ``_parser`` entry that sets ``command=`` (a function of the parsed
arguments returning the exit status), ``_output_options`` for ``--format/--output/--codebook``
(and ``--force``), ``_corpus_arguments`` for folders of proposals; name input files ``a``,
``b``, ``file``, ``files`` or ``paths`` so ``_refuse_overwriting_inputs`` sees them. Print
through ``_write`` (standard output or ``--output``, atomically) and ``_say`` (one escaped line
on standard error); raise ``UsageError`` for a bad option value, ``NegposError`` for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from negpos._version import __version__
from negpos.bargaining.domain import DEFAULT_MAX_OUTCOMES
from negpos.codebook import Codebook, load_codebook
from negpos.corpus import Corpus
from negpos.engine import Relation
from negpos.errors import NegposError, Problem, ProposalFileError, printable
from negpos.files import PROPOSAL_SUFFIXES, load, load_dir, proposal_files
from negpos.model import Proposal
from negpos.reports import OUTPUT_FORMATS, TableReport, compare, show
from negpos.reports.bargaining_report import BARGAINING_TABLES
from negpos.reports.escaping import write_csv
from negpos.reports.report import OutputFormat
from negpos.reports.writing import write_atomically

if TYPE_CHECKING:
    import pandas as pd

    from negpos.bargaining import Bargaining, Domain
    from negpos.provenance.check import CheckReport
    from negpos.reports.table import Table

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
PARQUET = "parquet"  # a binary format: written to --output only
STANCE_FORMATS = ("csv", "json", PARQUET)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader went away
STANDARD_OUTPUT = "standard output"


class UsageError(Exception):
    """A command line that cannot be right whatever the files hold: exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        _refuse_overwriting_inputs(args)
        _require_file_for_binary(args)
        if getattr(args, "output", None) is None and sys.stdout is None:
            raise OSError(f"{STANDARD_OUTPUT} is closed; give --output FILE or redirect it")
        status = command(args)
        _flush_stdout()
    except UsageError as exc:
        _say(f"negpos: {exc}")
        return EXIT_USAGE
    except NegposError as exc:
        for line in _problem_lines(exc):
            _say(line)
        return EXIT_INVALID
    except BrokenPipeError:
        _discard_stdout()  # the reader has gone: stop quietly, like head's other writers
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"negpos: {where}{exc.strerror or exc}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return status


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="negpos",
        description="Compare negotiation proposals issue by issue.",
        epilog="Docs: docs/README.md. Exit status: 0 ok, 1 invalid input, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"negpos {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    cmp = commands.add_parser("compare", help="compare two proposals issue by issue")
    cmp.add_argument("a", type=Path, help="first proposal file (YAML or JSON)")
    cmp.add_argument("b", type=Path, help="second proposal file")
    cmp.add_argument(
        "--relation",
        action="append",
        choices=[r.value for r in Relation],
        help="keep only issues with this relation (repeatable)",
    )
    cmp.add_argument(
        "--category", action="append", help="keep only issues of this category id (repeatable)"
    )
    _exclude_inferred(cmp)
    _output_options(cmp, parquet=True)
    cmp.set_defaults(command=_compare)

    shw = commands.add_parser("show", help="one proposal as a table")
    shw.add_argument("file", type=Path, help="proposal file")
    _output_options(shw)
    shw.set_defaults(command=_show)

    val = commands.add_parser("validate", help="check proposal files, listing every problem")
    val.add_argument("files", type=Path, nargs="+", help="proposal files")
    val.add_argument("--codebook", type=Path, help="codebook file to validate issues against")
    val.set_defaults(command=_validate)

    mtx = commands.add_parser("matrix", help="pairwise gap matrix of many proposals")
    _corpus_arguments(mtx)
    mtx.add_argument("--category", help="only the issues of this category id (e.g. territory)")
    mtx.add_argument(
        "--weighting",
        choices=("issue", "category"),
        default="issue",
        help="issue: each shared issue weighted by salience (default); category: each category "
        "counts equally",
    )
    _exclude_inferred(mtx)
    mtx.add_argument(
        "--min-shared",
        type=_count,
        default=0,
        metavar="N",
        help="leave cells blank that rest on fewer than N shared issues",
    )
    _output_options(mtx, figure=True, parquet=True)
    mtx.set_defaults(command=_matrix)

    grd = commands.add_parser("grid", help="every issue × every proposal, against a baseline")
    _corpus_arguments(grd)
    grd.add_argument(
        "--baseline", help="id of the proposal to relate the others to (default: the earliest)"
    )
    _exclude_inferred(grd)
    _output_options(grd, figure=True, parquet=True)
    grd.set_defaults(command=_grid)

    tml = commands.add_parser("timeline", help="how a party's (or a lineage's) stances moved")
    _corpus_arguments(tml)
    who = tml.add_mutually_exclusive_group(required=True)
    who.add_argument("--party", help="id of the party whose proposals to follow")
    who.add_argument("--lineage", help="id of any proposal of a lineage linked by `revises`")
    tml.add_argument(
        "--reference",
        help="party id to measure concessions and hardening against (default: in proposals "
        "by two parties, the other party)",
    )
    tml.add_argument("--changes-only", action="store_true", help="leave out unchanged stances")
    _output_options(tml, figure=True)
    tml.set_defaults(command=_timeline)

    stn = commands.add_parser(
        "stances", help="every stance of many proposals, one row each: the long table"
    )
    _corpus_arguments(stn)
    stn.add_argument(
        "--format",
        "-f",
        choices=STANCE_FORMATS,
        default="csv",
        help="csv (the default), json, or parquet (needs --output and negpos[parquet])",
    )
    stn.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    stn.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    _force(stn)
    stn.set_defaults(command=_stances)

    rpt = commands.add_parser("report", help="one self-contained HTML page on many proposals")
    _corpus_arguments(rpt)
    rpt.add_argument("--baseline", help="baseline proposal id of the grid")
    rpt.add_argument(
        "--timeline",
        action="append",
        metavar="PARTY[:REFERENCE]",
        help="a party timeline to include, measured against REFERENCE (repeatable; default: "
        "every party with two or more proposals)",
    )
    rpt.add_argument(
        "--title", help="page title (default: from the proposals' labels, parties and dates)"
    )
    rpt.add_argument(
        "--profiles",
        type=Path,
        help="preference profiles of the parties: adds a bargaining section (see negpos bargain)",
    )
    rpt.add_argument(
        "--samples",
        type=_count,
        default=0,
        help="with --profiles: sensitivity draws (default: 0)",
    )
    rpt.add_argument("--seed", type=_count, default=0, help="with --profiles: seed of the draws")
    rpt.add_argument("--output", "-o", type=Path, required=True, help="the HTML file to write")
    rpt.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    _force(rpt)
    rpt.set_defaults(command=_report)

    chk = commands.add_parser(
        "check", help="verify each proposal's quotes, archives and source dates"
    )
    chk.add_argument(
        "paths", type=Path, nargs="+", metavar="DIR_OR_FILE", help="proposal files or folders"
    )
    chk.add_argument("--format", "-f", choices=("text", "json"), default="text")
    chk.add_argument(
        "--verbose", "-v", action="store_true", help="also list verified quotes and other notes"
    )
    chk.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    chk.add_argument(
        "--long-after",
        type=_count,
        default=365,
        metavar="DAYS",
        help="flag sources dated more than DAYS after their proposal (default: 365)",
    )
    chk.set_defaults(command=_check)

    arc = commands.add_parser("archive", help="record a local copy of a source")
    arc_commands = arc.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = arc_commands.add_parser(
        "add", help="record ARCHIVE as SOURCE_ID's copy in FILE, with its SHA-256"
    )
    add.add_argument("file", type=Path, help="proposal file (YAML)")
    add.add_argument("source_id", help="id of one of its sources")
    add.add_argument("archive", type=Path, help="the copy: .txt, .md, .html or .pdf")
    add.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    add.set_defaults(command=_archive_add)

    agr = commands.add_parser(
        "agreement", help="agreement between independent codings of the same document"
    )
    agr.add_argument("files", type=Path, nargs="+", help="proposal files: two or more codings")
    _output_options(agr)
    agr.set_defaults(command=_agreement)

    brg = commands.add_parser(
        "bargain",
        help="where the parties could meet: zones, frontier, Nash and KS, trades, forecast",
    )
    brg.add_argument(
        "paths",
        type=Path,
        nargs=1,
        metavar="PROFILES_OR_DIR",
        help="a profile file; a folder of proposals (profiles derived from each party's "
        "latest); or a stakeholder table (.csv: party, position, capability, salience)",
    )
    brg.add_argument(
        "--proposals",
        type=Path,
        metavar="DIR",
        help="with a profile file: the proposals (zones, proposals placed, trades)",
    )
    brg.add_argument(
        "--party",
        action="append",
        default=[],
        help="with a folder: a party to derive a profile for (repeatable; default: every author)",
    )
    brg.add_argument(
        "--issue",
        action="append",
        default=[],
        help="with a folder: an issue in scope (repeatable; default: every issue all parties "
        "state a level on)",
    )
    brg.add_argument("--against", metavar="ID", help="list the trades from this proposal")
    brg.add_argument("--samples", type=_count, default=0, help="sensitivity draws (default: 0)")
    brg.add_argument("--seed", type=_count, default=0, help="seed of the draws (default: 0)")
    brg.add_argument(
        "--workers", type=_at_least_one, default=1, help="processes for the draws (default: 1)"
    )
    brg.add_argument(
        "--max-outcomes",
        type=_at_least_one,
        default=DEFAULT_MAX_OUTCOMES,
        help=f"refuse an outcome space larger than this (default: {DEFAULT_MAX_OUTCOMES:,})",
    )
    brg.add_argument(
        "--trades", type=_count, default=10, help="how many trades to list (default: 10)"
    )
    brg.add_argument(
        "--table",
        action="append",
        choices=BARGAINING_TABLES,
        help="only these tables (repeatable; CSV takes exactly one)",
    )
    brg.add_argument(
        "--forecast-figure",
        type=_figure_path,
        help="draw the forecast to this .png or .svg file (needs negpos[plot])",
    )
    brg.add_argument(
        "--geniusweb",
        type=Path,
        metavar="DIR",
        help="also write the domain and one profile per party as GeniusWeb JSON into DIR",
    )
    _output_options(brg, figure=True)
    brg.set_defaults(command=_bargain)

    sch = commands.add_parser("schema", help="print the JSON Schema of proposal files")
    sch.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    sch.set_defaults(command=_schema)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse, with its error line escaped like every other line (it quotes arguments)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, printable(f"{self.prog}: error: {message}") + "\n")


def _output_options(
    parser: argparse.ArgumentParser, *, figure: bool = False, parquet: bool = False
) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=(*OUTPUT_FORMATS, PARQUET) if parquet else OUTPUT_FORMATS,
        default="text",
        help="output format (default: text)"
        + ("; parquet needs --output and negpos[parquet]" if parquet else ""),
    )
    parser.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    parser.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    if figure:
        parser.add_argument(
            "--figure",
            type=_figure_path,
            help="also draw the figure to this .png or .svg file (needs negpos[plot])",
        )
    _force(parser)


def _force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="write the output even over an input file, or as a proposal file (.yaml, .yml, "
        ".json) in an input folder",
    )


def _exclude_inferred(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exclude-inferred",
        action="store_true",
        help="leave the coder's inferences out: inferred stances, red lines and salience",
    )


def _figure_path(text: str) -> Path:
    """Checked before any work is done, so a typo costs nothing."""
    path = Path(text)
    if path.suffix.lower() not in (".png", ".svg"):
        raise argparse.ArgumentTypeError(f"{text!r}: a figure is written as .png or .svg")
    return path


def _corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="DIR_OR_FILE",
        help="directories of proposal files, or files",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out invalid files (each is still reported on stderr) instead of stopping",
    )


def _codebook(args: argparse.Namespace) -> Codebook | None:
    return load_codebook(args.codebook) if args.codebook else None


# --------------------------------------------------------------------------- commands


def _compare(args: argparse.Namespace) -> int:
    proposals = _load_all(args, (args.a, args.b))
    if args.category:
        known = {c for p in proposals for c in p.codebook.category_order}
        _require_known("--category", args.category, known, "categories")
    comparison = compare(proposals[0], proposals[1], exclude_inferred=args.exclude_inferred)
    if args.relation or args.category:
        comparison = comparison.select(relations=args.relation, categories=args.category)
    _write(_rendered(comparison, args.format), args.output)
    return EXIT_OK


def _rendered(report: TableReport, fmt: str) -> str | bytes:
    """The report in ``fmt``: text, or the bytes of a Parquet file (``negpos.reports.parquet``)."""
    if fmt == PARQUET:
        from negpos.reports.parquet import parquet_bytes

        return parquet_bytes(report)  # type: ignore[arg-type]  # compare, grid and matrix only
    return report.render(cast("OutputFormat", fmt))  # argparse's choices checked it


def _stances(args: argparse.Namespace) -> int:
    """The long stance table of every proposal named, as CSV, JSON or Parquet."""
    from negpos.corpus import STANCE_COLUMNS

    corpus = _corpus(args)
    if args.format == PARQUET:
        from negpos.reports.parquet import parquet_bytes

        _write(parquet_bytes(corpus), args.output)
        return EXIT_OK
    records = corpus.stance_records()  # the one long form, JSON-ready
    if args.format == "json":
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    else:
        text = write_csv(STANCE_COLUMNS, ([r[c] for c in STANCE_COLUMNS] for r in records))
    _write(text, args.output)
    return EXIT_OK


def _require_file_for_binary(args: argparse.Namespace) -> None:
    """Parquet is binary: it goes to a file, never to a terminal or a pipe."""
    if getattr(args, "format", None) == PARQUET and getattr(args, "output", None) is None:
        raise UsageError("--format parquet writes a binary file: give --output FILE")


def _load_all(args: argparse.Namespace, paths: Sequence[Path]) -> list[Proposal]:
    """Every named file, or the problems of all of them (not just the first bad one)."""
    codebook = _codebook(args)
    proposals: list[Proposal] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            proposals.append(load(path, codebook=codebook))
        except ProposalFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProposalFileError(problems)
    return proposals


def _check(args: argparse.Namespace) -> int:
    from negpos.provenance.check import check_paths

    problems = [p for path in args.paths if (p := _empty_folder(path)) is not None]
    if problems:
        raise ProposalFileError(problems)
    report = check_paths(args.paths, codebook=_codebook(args), long_after_days=args.long_after)
    if args.format == "json":
        _write(report.to_json(), None)
    else:
        _write("".join(f"{line}\n" for line in report.lines(verbose=args.verbose)), None)
    return EXIT_INVALID if report.failed else EXIT_OK


def _archive_add(args: argparse.Namespace) -> int:
    from negpos.provenance.archive import add_archive

    digest = add_archive(args.file, args.source_id, args.archive, codebook=_codebook(args))
    line = f"{args.file}: source {args.source_id}: archive {args.archive}, sha256 {digest}"
    _write(printable(line) + "\n", None)
    return EXIT_OK


def _agreement(args: argparse.Namespace) -> int:
    from negpos.provenance.agreement import agreement
    from negpos.reports.agreement_report import AgreementReport

    proposals = _load_all(args, args.files)
    _write(AgreementReport(agreement(proposals)).render(args.format), args.output)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    proposal = load(args.file, codebook=_codebook(args))
    _write(show(proposal, path=args.file).render(args.format), args.output)
    return EXIT_OK


def _empty_folder(path: Path) -> Problem | None:
    """A problem for a folder holding no proposal file (a run on it would have nothing to do),
    naming the other files it holds."""
    if not path.is_dir() or proposal_files(path):
        return None
    message = f"no proposal files found ({', '.join(PROPOSAL_SUFFIXES)})"
    others = sorted(p.name for p in path.iterdir() if not p.name.startswith(".") and p.is_file())
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        message += f"; other files: {shown}"
    return Problem(str(path), None, None, message)


def _corpus(args: argparse.Namespace) -> Corpus:
    """Every proposal named on the command line; bad files stop the run unless skipped."""
    codebook = _codebook(args)
    loaded: list[tuple[Proposal, Path]] = []
    problems: list[Problem] = []
    for path in args.paths:
        try:
            if (empty := _empty_folder(path)) is not None:
                problems.append(empty)
            elif path.is_dir():
                directory = load_dir(path, codebook=codebook, skip_invalid=True)
                loaded.extend(zip(directory.proposals, directory.files, strict=True))
                problems.extend(directory.skipped)
                for note in directory.ignored:
                    _say(f"negpos: note: {note}")
            else:
                loaded.append((load(path, codebook=codebook), path))
        except ProposalFileError as exc:
            problems.extend(exc.problems)
    first_file: dict[str, Path] = {}
    proposals: list[Proposal] = []
    for proposal, path in loaded:
        if proposal.id in first_file:
            problems.append(
                Problem(
                    str(path),
                    None,
                    "id",
                    f"{proposal.id!r} is also the id of {first_file[proposal.id]}",
                )
            )
            continue
        first_file[proposal.id] = path
        proposals.append(proposal)
    if problems and not getattr(args, "skip_invalid", False):
        raise ProposalFileError(problems)
    if problems:
        files = len({p.file for p in problems})
        _say(f"negpos: skipped {files} invalid file{'s' if files != 1 else ''}:")
        for problem in problems:
            _say(f"  {problem}")
    if not proposals:
        where = ", ".join(str(p) for p in args.paths)
        raise ProposalFileError([Problem(where, None, None, "no valid proposals to work on")])
    return Corpus(proposals=tuple(proposals), skipped=tuple(problems))


def _emit(args: argparse.Namespace, report: TableReport, figure: str, subject: object) -> int:
    """Write the report, then draw ``figure`` (a function of negpos.reports.figures) if asked.
    The figure is drawn before anything is written, so a missing extra writes nothing."""
    payload = _rendered(report, args.format)  # before any file is written, as the figure
    image = None
    if args.figure is not None:
        from negpos.reports import figures
        from negpos.reports.writing import figure_bytes

        suffix = args.figure.suffix.lower()
        image = figure_bytes(
            getattr(figures, figure)(subject), "svg" if suffix == ".svg" else "png"
        )
    _write(payload, args.output)
    if image is not None:
        write_atomically(args.figure, image)
        _say(f"wrote {args.figure}")
    return EXIT_OK


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _matrix(args: argparse.Namespace) -> int:
    from negpos.reports.corpus_reports import matrix_report  # NumPy loads only here

    corpus = _corpus(args)
    if args.category is not None:
        known = {c for p in corpus for c in p.codebook.category_order}
        _require_known("--category", [args.category], known, "categories")
    report = matrix_report(
        corpus,
        category=args.category,
        weighting=args.weighting,
        min_shared=args.min_shared,
        exclude_inferred=args.exclude_inferred,
    )
    return _emit(args, report, "gap_heatmap", report.matrix)


def _grid(args: argparse.Namespace) -> int:
    from negpos.reports.corpus_reports import grid_report

    corpus = _corpus(args)
    if args.baseline is not None:
        _require_known("--baseline", [args.baseline], set(corpus.ids), "proposals")
    report = grid_report(corpus, baseline=args.baseline, exclude_inferred=args.exclude_inferred)
    return _emit(args, report, "relation_grid", report.grid)


def _timeline(args: argparse.Namespace) -> int:
    from negpos.reports.corpus_reports import timeline_report
    from negpos.reports.page import other_party, party_names

    corpus = _corpus(args)
    _check_track(corpus, args.party, args.reference, lineage=args.lineage)
    track = {"party": args.party, "lineage": args.lineage}
    reference: str | None = args.reference
    note = None
    if reference is None:
        # Unmeasured, every change is "shifted"; with one other party there is one sensible
        # reference, so take it and say so.
        reference = other_party(corpus, timeline_report(corpus, **track).timeline)
        if reference is not None:
            name = party_names(corpus).get(reference, reference)
            note = (
                f"Measured against {name} ({reference}), the only other party in these "
                "proposals, as no --reference was given."
            )
            _say(
                f"negpos: measuring against {reference} ({name}), the only other party in "
                "these proposals; give --reference to choose"
            )
    report = timeline_report(corpus, **track, reference=reference, changes_only=args.changes_only)
    shown = report if note is None else _Noted(report, note)
    return _emit(args, shown, "gap_over_time", report.timeline)


def _check_track(
    corpus: Corpus,
    party: str | None,
    reference: str | None,
    *,
    lineage: str | None = None,
    options: tuple[str, str] = ("--party", "--reference"),
) -> None:
    """Party, reference and lineage ids must name what the corpus holds (usage errors);
    ``options`` name the options they came from, for the message."""
    authors = {a for p in corpus for a in p.authors}
    if party is not None:
        _require_known(options[0], [party], authors, "author parties")
    if lineage is not None:
        _require_known("--lineage", [lineage], set(corpus.ids), "proposals")
    if reference is not None:
        _require_known(options[1], [reference], authors, "author parties")
        if reference == party:
            raise UsageError(printable(f"{options[1]} {reference}: is the party itself"))


def _require_known(option: str, given: Iterable[str], known: set[str], what: str) -> None:
    unknown = [value for value in given if value not in known]
    if unknown:
        listed = sorted(known)
        choices = ", ".join(listed[:20]) + (
            f" and {len(listed) - 20} more" if len(listed) > 20 else ""
        )
        raise UsageError(
            printable(
                f"{option} {', '.join(unknown)}: not among the {what} of these files: {choices}"
            )
        )


def _report(args: argparse.Namespace) -> int:
    from negpos.reports.page import write_report

    timelines: list[tuple[str, str | None]] = []
    for spec in args.timeline or ():
        party, _, reference = spec.partition(":")
        timelines.append((party, reference or None))
    corpus = _corpus(args)
    if args.baseline is not None:
        _require_known("--baseline", [args.baseline], set(corpus.ids), "proposals")
    for party, reference in timelines:
        _check_track(corpus, party, reference, options=("--timeline", "--timeline"))
    if args.samples and args.profiles is None:
        raise UsageError("--samples goes with --profiles")
    write_report(
        corpus,
        args.output,
        baseline=args.baseline,
        timelines=timelines,
        title=args.title,
        provenance=_provenance(args),
        bargaining=_page_bargaining(args, corpus),
    )
    count = len(corpus)
    _say(f"wrote {args.output} ({count} proposal{'s' if count != 1 else ''})")
    return EXIT_OK


def _page_bargaining(args: argparse.Namespace, corpus: Corpus) -> Bargaining | None:
    """The report page's bargaining answers: the profiled parties' latest proposals placed."""
    if args.profiles is None:
        return None
    from negpos.bargaining import bargain, latest_proposals, load_profiles

    domain = load_profiles(args.profiles, codebook=_codebook(args))
    authors = {a for p in corpus.proposals for a in p.authors}
    parties = [p for p in domain.party_ids if p in authors]
    chosen = latest_proposals(corpus.proposals, parties) if parties else {}
    marked = list({p.id: p for p in chosen.values()}.values())
    return bargain(
        domain,
        proposals=[corpus.positions(p.id) for p in marked],
        samples=args.samples,
        seed=args.seed,
    )


def _provenance(args: argparse.Namespace) -> CheckReport | None:
    """What `negpos check` finds in the same files; None where it cannot run (a file skipped
    as invalid, an archive that needs the provenance extra): the page then omits it."""
    from negpos.provenance.check import check_paths

    try:
        return check_paths(args.paths, codebook=_codebook(args))
    except NegposError as exc:
        _say(f"negpos: provenance left out of the report: {_problem_lines(exc)[0]}")
        return None


def _validate(args: argparse.Namespace) -> int:
    codebook = _codebook(args)
    problems: list[Problem] = []
    for path in args.files:
        try:
            proposal = load(path, codebook=codebook)
        except ProposalFileError as exc:
            problems.extend(exc.problems)
        else:
            stances = len(proposal.keyed_stances())
            stances += sum(len(a.issues) for a in proposal.alternatives)
            _write(printable(f"{path}: ok ({proposal.id}, {stances} stances)") + "\n", None)
    if problems:
        raise ProposalFileError(problems)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from negpos.schema import proposal_schema_text  # the one source of the shipped file

    _write(proposal_schema_text(), args.output)
    return EXIT_OK


@dataclass(frozen=True, slots=True)
class _Noted(TableReport):
    """A report with one more note under its table (in text, Markdown, LaTeX and HTML; CSV
    and JSON hold records, which have no notes)."""

    report: TableReport
    note: str

    def table(self) -> Table:
        table = self.report.table()
        return dataclasses.replace(table, notes=(self.note, *table.notes))

    def to_frame(self) -> pd.DataFrame:
        return self.report.to_frame()

    def to_records(self) -> list[dict[str, Any]]:
        return self.report.to_records()

    def render(self, fmt: OutputFormat, *, full_page: bool = True) -> str:
        if fmt in ("csv", "json"):
            return self.report.render(fmt, full_page=full_page)
        return TableReport.render(self, fmt, full_page=full_page)

    @property
    def css_class(self) -> str:
        return self.report.css_class


def _at_least_one(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _bargain(args: argparse.Namespace) -> int:
    """Profiles (a file, or derived from a folder) to every bargaining answer."""
    from negpos.bargaining import bargain
    from negpos.positions import positions_of
    from negpos.reports.bargaining_report import bargaining_report

    source: Path = args.paths[0]
    tables = tuple(dict.fromkeys(args.table or BARGAINING_TABLES))
    if args.format == "csv" and len(tables) != 1:
        raise UsageError(
            f"CSV holds one table: choose it with --table ({', '.join(BARGAINING_TABLES)})"
        )
    if source.suffix.lower() == ".csv":
        return _stakeholder_forecast(args, source)
    domain, marked = _bargaining_inputs(args, source)
    _refuse_geniusweb_into_inputs(args, source)
    if args.against is not None and args.against not in {p.id for p in marked}:
        raise UsageError(f"--against {args.against}: not one of the proposals given")
    progress = _progress_bar() if args.samples >= 1000 and sys.stderr.isatty() else None
    result = bargain(
        domain,
        proposals=[positions_of(p) for p in marked],
        against=args.against,
        samples=args.samples,
        seed=args.seed,
        workers=args.workers,
        max_outcomes=args.max_outcomes,
        trades=args.trades,
        progress=progress,
    )
    images = _bargaining_images(args, result)
    _write(bargaining_report(result).render(args.format, tables), args.output)
    for path, image in images:
        write_atomically(path, image)
        _say(f"wrote {path}")
    if args.geniusweb is not None:
        from negpos.bargaining import to_geniusweb

        exported = to_geniusweb(domain, name=source.stem)
        args.geniusweb.mkdir(parents=True, exist_ok=True)
        files = {"domain.json": exported["domain"]}
        files.update({f"profile-{p}.json": v for p, v in exported["profiles"].items()})
        for name, data in files.items():
            write_atomically(
                args.geniusweb / name, json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            )
        _say(f"wrote {len(files)} GeniusWeb files to {args.geniusweb}")
    return EXIT_OK


def _stakeholder_forecast(args: argparse.Namespace, source: Path) -> int:
    from negpos.bargaining import forecast_stakeholders, load_stakeholders
    from negpos.reports.bargaining_report import StakeholderForecast

    if args.figure or args.forecast_figure or args.geniusweb or args.proposals:
        raise UsageError(
            "a stakeholder table gives the forecast only: no --figure, --forecast-figure, "
            "--geniusweb or --proposals"
        )
    rows = forecast_stakeholders(load_stakeholders(source), name=str(source))
    _write(StakeholderForecast(rows, title=source.name).render(args.format), args.output)
    return EXIT_OK


def _bargaining_inputs(args: argparse.Namespace, source: Path) -> tuple[Domain, list[Proposal]]:
    """The domain (a profile file, or derived from a folder) and the proposals to place."""
    from negpos.bargaining import derive_domain, latest_proposals, load_profiles

    codebook = _codebook(args)
    if source.is_dir():
        if args.proposals is not None:
            raise UsageError("--proposals goes with a profile file; a folder is its own proposals")
        proposals = list(_folder(source, codebook))
        domain = derive_domain(proposals, parties=args.party or None, issues=args.issue or None)
        chosen = latest_proposals(proposals, args.party or None)
        return domain, list({p.id: p for p in chosen.values()}.values())
    if args.party or args.issue:
        raise UsageError(
            "--party and --issue choose what to derive from a folder of proposals; a "
            "profile file names its parties and scope itself"
        )
    domain = load_profiles(source, codebook=codebook)
    marked = list(_folder(args.proposals, codebook)) if args.proposals else []
    unknown = sorted({a for p in marked for a in p.authors} - set(domain.party_ids))
    if marked and unknown:
        _say(f"note: proposals by {', '.join(unknown)}, who have no profile, are placed too")
    return domain, marked


def _refuse_geniusweb_into_inputs(args: argparse.Namespace, source: Path) -> None:
    if args.geniusweb is None or args.force or not args.geniusweb.exists():
        return
    for folder in (p for p in (source, args.proposals) if p is not None and p.is_dir()):
        if _same_file(args.geniusweb, folder):
            raise UsageError(
                f"--geniusweb {args.geniusweb}: is the input folder {folder}, where its .json "
                "files would be read as proposals (give --force to write there anyway)"
            )


def _folder(path: Path, codebook: Codebook | None) -> tuple[Proposal, ...]:
    loaded = load_dir(path, codebook=codebook)
    for note in loaded.ignored:
        _say(str(note))
    if not loaded.proposals:
        raise ProposalFileError([Problem(str(path), None, None, "no proposal files found")])
    return loaded.proposals


def _bargaining_images(args: argparse.Namespace, result: object) -> list[tuple[Path, bytes]]:
    """The figures asked for, drawn before anything is written (a missing extra writes nothing)."""
    from negpos.reports.writing import figure_bytes

    images = []
    for path, name in ((args.figure, "utility_plane"), (args.forecast_figure, "forecast_bars")):
        if path is None:
            continue
        from negpos.reports import bargaining_figures

        figure = getattr(bargaining_figures, name)(result)
        images.append(
            (path, figure_bytes(figure, "svg" if path.suffix.lower() == ".svg" else "png"))
        )
    return images


def _progress_bar() -> Callable[[int, int], None]:
    """A one-line progress bar on stderr for long sensitivity runs."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rdraws [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


# --------------------------------------------------------------------------- outputs


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that would replace an input, or (commands over
    folders) would be read as a proposal next time; ``--force`` lets it through."""
    outputs = [
        (option, path)
        for option, path in (
            ("--output", getattr(args, "output", None)),
            ("--figure", getattr(args, "figure", None)),
            ("--forecast-figure", getattr(args, "forecast_figure", None)),
        )
        if path is not None
    ]
    if not outputs or getattr(args, "force", False):
        return
    inputs = _input_paths(args)
    folders = [path for path in inputs if path.is_dir()]
    for folder in folders:
        with contextlib.suppress(NegposError, OSError):
            inputs.extend(proposal_files(folder))
    for option, output in outputs:
        _refuse_one_output(args, option, output, inputs, folders)
    if len(outputs) == 2 and _same_file(outputs[0][1], outputs[1][1]):
        raise UsageError(printable(f"--output and --figure name the same file, {outputs[0][1]}"))


def _input_paths(args: argparse.Namespace) -> list[Path]:
    """Every file or folder the command reads, by the names commands give their inputs."""
    inputs: list[Path] = [args.codebook] if getattr(args, "codebook", None) else []
    for name in ("a", "b", "file", "proposals", "profiles"):
        if isinstance(value := getattr(args, name, None), Path):
            inputs.append(value)
    for name in ("files", "paths"):
        inputs.extend(getattr(args, name, None) or ())
    return inputs


def _refuse_one_output(
    args: argparse.Namespace, option: str, output: Path, inputs: list[Path], folders: list[Path]
) -> None:
    hint = "give --force to write it anyway"
    for path in inputs:
        if _same_file(output, path):
            raise UsageError(
                printable(
                    f"{option} {output}: is the input {path}; refusing to write over it ({hint})"
                )
            )
    # Where the bytes would land: a link is followed, as write_atomically does.
    landing = Path(os.path.realpath(output))
    suffixes = [p.suffix.lower() for p in (output, landing)]
    suffix = next((s for s in suffixes if s in PROPOSAL_SUFFIXES), None)
    if suffix is None or not hasattr(args, "paths"):  # only commands over folders
        return
    if args.command is _report:
        raise UsageError(
            printable(
                f"{option} {output}: a report is an HTML page; refusing to write it as a "
                f"{suffix} file, which negpos reads as a proposal ({hint})"
            )
        )
    for folder in folders:
        if _same_file(landing.parent, folder):
            raise UsageError(
                printable(
                    f"{option} {output}: is in the input folder {folder}, where a {suffix} "
                    f"file is read as a proposal; refusing to write it there ({hint})"
                )
            )


def _same_file(one: Path, other: Path) -> bool:
    """The same file or folder, through symbolic and hard links; by resolved path when one
    does not exist yet."""
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):
        return os.path.realpath(one) == os.path.realpath(other)


def _write(text: str | bytes, output: Path | None) -> None:
    """``text`` to standard output, or atomically to ``output`` with a line on stderr; bytes
    (a Parquet file) to ``output`` only (``_require_file_for_binary`` saw to it)."""
    if output is None:
        if isinstance(text, bytes):
            raise UsageError("a binary format is written to a file: give --output FILE")
        stream = sys.stdout
        if stream is None:
            raise OSError(f"{STANDARD_OUTPUT} is closed; give --output FILE or redirect it")
        try:
            stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            _discard_stdout()
            raise OSError(exc.errno, exc.strerror or str(exc), STANDARD_OUTPUT) from exc
        return
    write_atomically(output, text)
    _say(f"wrote {output}")


def _flush_stdout() -> None:
    """Flush now, inside ``main``'s handlers, rather than at exit where a failure would
    print a traceback-like warning."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _discard_stdout()
        raise OSError(exc.errno, exc.strerror or str(exc), STANDARD_OUTPUT) from exc


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's own flush at exit
    cannot fail again (the Python documentation's advice for SIGPIPE)."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return  # not a real file (a test's capture): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def _say(line: str) -> None:
    """One line on standard error, its control and format characters (line breaks, ESC,
    bidi overrides) shown as escapes (``negpos.errors.printable``), so a file name or id
    cannot forge a line or drive the terminal; nothing when standard error is closed."""
    if sys.stderr is not None:
        print(printable(line), file=sys.stderr)


def _problem_lines(error: NegposError) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [str(problem) for problem in problems]
    return [f"negpos: {error}"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
