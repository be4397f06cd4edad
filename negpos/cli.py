"""The ``negpos`` command: compare, show, validate, schema; matrix, grid, timeline, report;
check, archive, agreement.

Bad input prints one line per problem (file:line: field: message) on stderr and exits 1;
usage errors exit 2; nothing prints a traceback for a problem in the user's files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from negpos._version import __version__
from negpos.codebook import Codebook, load_codebook
from negpos.corpus import Corpus
from negpos.engine import Relation
from negpos.errors import NegposError, Problem, ProposalFileError
from negpos.files import load, load_dir
from negpos.model import Proposal
from negpos.reports import OUTPUT_FORMATS, TableReport, compare, show

if TYPE_CHECKING:
    from negpos.provenance.check import CheckReport

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except NegposError as exc:
        for line in _problem_lines(exc):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"negpos: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    _output_options(cmp)
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
    _output_options(mtx, figure=True)
    mtx.set_defaults(command=_matrix)

    grd = commands.add_parser("grid", help="every issue × every proposal, against a baseline")
    _corpus_arguments(grd)
    grd.add_argument(
        "--baseline", help="id of the proposal to relate the others to (default: the earliest)"
    )
    _exclude_inferred(grd)
    _output_options(grd, figure=True)
    grd.set_defaults(command=_grid)

    tml = commands.add_parser("timeline", help="how a party's (or a lineage's) stances moved")
    _corpus_arguments(tml)
    who = tml.add_mutually_exclusive_group(required=True)
    who.add_argument("--party", help="id of the party whose proposals to follow")
    who.add_argument("--lineage", help="id of any proposal of a lineage linked by `revises`")
    tml.add_argument("--reference", help="party id to measure concessions and hardening against")
    tml.add_argument("--changes-only", action="store_true", help="leave out unchanged stances")
    _output_options(tml, figure=True)
    tml.set_defaults(command=_timeline)

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
    rpt.add_argument("--title", help="page title")
    rpt.add_argument("--output", "-o", type=Path, required=True, help="the HTML file to write")
    rpt.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
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

    sch = commands.add_parser("schema", help="print the JSON Schema of proposal files")
    sch.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    sch.set_defaults(command=_schema)
    return parser


def _output_options(parser: argparse.ArgumentParser, *, figure: bool = False) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=OUTPUT_FORMATS,
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    parser.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")
    if figure:
        parser.add_argument(
            "--figure",
            type=_figure_path,
            help="also draw the figure to this .png or .svg file (needs negpos[plot])",
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


def _compare(args: argparse.Namespace) -> int:
    proposals = _load_all(args, (args.a, args.b))
    comparison = compare(proposals[0], proposals[1], exclude_inferred=args.exclude_inferred)
    if args.relation or args.category:
        comparison = comparison.select(relations=args.relation, categories=args.category)
    _write(comparison.render(args.format), args.output)
    return EXIT_OK


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

    report = check_paths(args.paths, codebook=_codebook(args), long_after_days=args.long_after)
    if args.format == "json":
        _write(report.to_json(), None)
    else:
        print("\n".join(report.lines(verbose=args.verbose)))
    return EXIT_INVALID if report.failed else EXIT_OK


def _archive_add(args: argparse.Namespace) -> int:
    from negpos.provenance.archive import add_archive

    digest = add_archive(args.file, args.source_id, args.archive, codebook=_codebook(args))
    print(f"{args.file}: source {args.source_id}: archive {args.archive}, sha256 {digest}")
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


def _corpus(args: argparse.Namespace) -> Corpus:
    """Every proposal named on the command line; bad files stop the run unless skipped."""
    codebook = _codebook(args)
    loaded: list[tuple[Proposal, Path]] = []
    problems: list[Problem] = []
    for path in args.paths:
        try:
            if path.is_dir():
                directory = load_dir(path, codebook=codebook, skip_invalid=True)
                loaded.extend(zip(directory.proposals, directory.files, strict=True))
                problems.extend(directory.skipped)
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
        print(f"negpos: skipped {files} invalid file(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    if not proposals:
        where = ", ".join(str(p) for p in args.paths)
        raise ProposalFileError([Problem(where, None, None, "no valid proposals to work on")])
    return Corpus(proposals=tuple(proposals), skipped=tuple(problems))


def _emit(args: argparse.Namespace, report: TableReport, figure: str, subject: object) -> int:
    """Write the report, then draw ``figure`` (a function of negpos.reports.figures) if asked."""
    _write(report.render(args.format), args.output)
    if args.figure is not None:
        from negpos.reports import figures

        figures.save_figure(getattr(figures, figure)(subject), args.figure)
        print(f"wrote {args.figure}", file=sys.stderr)
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

    report = matrix_report(
        _corpus(args),
        category=args.category,
        weighting=args.weighting,
        min_shared=args.min_shared,
        exclude_inferred=args.exclude_inferred,
    )
    return _emit(args, report, "gap_heatmap", report.matrix)


def _grid(args: argparse.Namespace) -> int:
    from negpos.reports.corpus_reports import grid_report

    report = grid_report(
        _corpus(args), baseline=args.baseline, exclude_inferred=args.exclude_inferred
    )
    return _emit(args, report, "relation_grid", report.grid)


def _timeline(args: argparse.Namespace) -> int:
    from negpos.reports.corpus_reports import timeline_report

    report = timeline_report(
        _corpus(args),
        party=args.party,
        lineage=args.lineage,
        reference=args.reference,
        changes_only=args.changes_only,
    )
    return _emit(args, report, "gap_over_time", report.timeline)


def _report(args: argparse.Namespace) -> int:
    from negpos.reports.page import write_report

    timelines = []
    for spec in args.timeline or ():
        party, _, reference = spec.partition(":")
        timelines.append((party, reference or None))
    corpus = _corpus(args)
    write_report(
        corpus,
        args.output,
        baseline=args.baseline,
        timelines=timelines,
        title=args.title,
        provenance=_provenance(args),
    )
    print(f"wrote {args.output} ({len(corpus)} proposals)", file=sys.stderr)
    return EXIT_OK


def _provenance(args: argparse.Namespace) -> CheckReport | None:
    """What `negpos check` finds in the same files; None where it cannot run (a file skipped
    as invalid, an archive that needs the provenance extra): the page then omits it."""
    from negpos.provenance.check import check_paths

    try:
        return check_paths(args.paths, codebook=_codebook(args))
    except NegposError as exc:
        print(
            f"negpos: provenance left out of the report: {_problem_lines(exc)[0]}", file=sys.stderr
        )
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
            print(f"{path}: ok ({proposal.id}, {stances} stances)")
    if problems:
        raise ProposalFileError(problems)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    schema = Proposal.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "negpos proposal",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    _write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", args.output)
    return EXIT_OK


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)


def _problem_lines(error: NegposError) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [str(problem) for problem in problems]
    return [f"negpos: {error}"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
