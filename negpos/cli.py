"""The ``negpos`` command: compare, show, validate, schema.

Bad input prints one line per problem (file:line: field: message) on stderr and exits 1;
usage errors exit 2; nothing prints a traceback for a problem in the user's files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from negpos._version import __version__
from negpos.codebook import Codebook, load_codebook
from negpos.engine import Relation
from negpos.errors import NegposError, Problem, ProposalFileError
from negpos.files import load
from negpos.model import Proposal
from negpos.reports import OUTPUT_FORMATS, compare, show

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

    sch = commands.add_parser("schema", help="print the JSON Schema of proposal files")
    sch.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    sch.set_defaults(command=_schema)
    return parser


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=OUTPUT_FORMATS,
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    parser.add_argument("--codebook", type=Path, help="codebook file (default: negpos's own)")


def _codebook(args: argparse.Namespace) -> Codebook | None:
    return load_codebook(args.codebook) if args.codebook else None


def _compare(args: argparse.Namespace) -> int:
    codebook = _codebook(args)
    proposals: list[Proposal] = []
    problems: list[Problem] = []
    for path in (args.a, args.b):  # report the problems of both files, not just the first
        try:
            proposals.append(load(path, codebook=codebook))
        except ProposalFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProposalFileError(problems)
    comparison = compare(proposals[0], proposals[1])
    if args.relation or args.category:
        comparison = comparison.select(relations=args.relation, categories=args.category)
    _write(comparison.render(args.format), args.output)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    _write(show(load(args.file, codebook=_codebook(args))).render(args.format), args.output)
    return EXIT_OK


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
            print(f"{path}: ok ({proposal.id}, {stances} stances)")
    if problems:
        raise ProposalFileError(problems)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from negpos.model import Proposal

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
