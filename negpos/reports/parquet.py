"""Tables for data tools: stances, comparison rows, the grid and the matrix as Parquet.

Each table has one explicit schema (``TableSchema``: column names, types, nullability and a
line on each column), the same on every run and for every input, so DuckDB, R's arrow,
polars and pandas read the files as they are and a query written today still runs on the
file written next year. pyarrow is optional (``pip install "negpos[parquet]"``) and loads
on first use; without it, every function raises ``MissingExtraError`` naming the extra.

    Table        made from                                   one row per
    stances      ``Corpus`` (``Corpus.stances()``)           proposal × issue (× alternative)
    comparison   ``Comparison`` (``to_frame()``)             issue of the two proposals
    grid         ``GridReport`` (``to_frame()``)             issue × proposal
    matrix       ``MatrixReport`` (``to_records()``)         ordered pair of proposals

Column types are few, and map one to one onto the tools' own: ``string`` (Arrow ``string``,
DuckDB ``VARCHAR``, R ``character``), ``date`` (``date32``, ``DATE``, ``Date``), ``float64``
(``double``, ``DOUBLE``, ``numeric``), ``int64`` (``int64``, ``BIGINT``, ``integer``) and
``bool`` (``bool``, ``BOOLEAN``, ``logical``). A missing value is a null (NaN or None in
pandas), never a NaN stored in the file. The file's key-value metadata names the
table (``negpos.table``) and its schema's version (``negpos.table_version``); a comparison
adds its two proposals (``negpos.proposal_a``, ``negpos.proposal_b``, as JSON), a grid its
baseline (``negpos.baseline``). Writing is deterministic: the same table gives the same
bytes. Files are written through ``negpos.reports.writing.write_atomically``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import numbers
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from negpos.positions import STANCE_SCHEMA
from negpos.reports.figures import MissingExtraError
from negpos.reports.writing import write_atomically

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from negpos.corpus import Corpus
    from negpos.reports.comparison import Comparison
    from negpos.reports.corpus_reports import GridReport, MatrixReport

    Tabular: TypeAlias = Corpus | Comparison | GridReport | MatrixReport | pd.DataFrame

    COMPARISON_SCHEMA: pa.Schema
    GRID_SCHEMA: pa.Schema
    MATRIX_SCHEMA: pa.Schema
    STANCES_SCHEMA: pa.Schema

__all__ = [
    "COMPARISON",
    "COMPARISON_SCHEMA",
    "GRID",
    "GRID_SCHEMA",
    "MATRIX",
    "MATRIX_SCHEMA",
    "MISSING_PYARROW",
    "STANCES",
    "STANCES_SCHEMA",
    "TABLES",
    "TABLE_VERSION",
    "Column",
    "ColumnType",
    "TableName",
    "TableSchema",
    "TypedTable",
    "parquet_bytes",
    "to_arrow",
    "typed_table",
    "write_parquet",
]

MISSING_PYARROW = 'Parquet tables need pyarrow: pip install "negpos[parquet]"'
TABLE_VERSION = "1"
"""Raised whenever a column is renamed, retyped or dropped; a new column at the end is not."""

ColumnType = Literal["string", "date", "float64", "int64", "bool"]
TableName = Literal["stances", "comparison", "grid", "matrix"]

# Each column type as DuckDB names it (DESCRIBE), for the documentation and the tests.
DUCKDB_TYPES: Mapping[ColumnType, str] = {
    "string": "VARCHAR",
    "date": "DATE",
    "float64": "DOUBLE",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: its name, type, whether it may hold nulls, and what it holds."""

    name: str
    type: ColumnType
    nullable: bool
    description: str


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The columns of one table, in order, and what a row is (``One row {row}.``)."""

    name: TableName
    row: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def arrow(self) -> pa.Schema:
        """The pyarrow schema: each field typed, nullable or not, its description in the
        field's metadata (``description``)."""
        pa = _pyarrow()
        return pa.schema(
            [
                pa.field(
                    column.name,
                    _ARROW_TYPES[column.type](pa),
                    nullable=column.nullable,
                    metadata={"description": column.description},
                )
                for column in self.columns
            ]
        )


_ARROW_TYPES: dict[ColumnType, Callable[[Any], Any]] = {
    "string": lambda pa: pa.string(),
    "date": lambda pa: pa.date32(),
    "float64": lambda pa: pa.float64(),
    "int64": lambda pa: pa.int64(),
    "bool": lambda pa: pa.bool_(),
}


def _text(name: str, description: str, *, nullable: bool = False) -> Column:
    return Column(name, "string", nullable, description)


def _both_sides(column: Callable[[str, str], Column]) -> tuple[Column, Column]:
    """A comparison column for side ``a`` then side ``b`` (``column(side, "A")``)."""
    return column("a", "A"), column("b", "B")


# The stance table's columns are the long form's own (negpos.positions.STANCE_SCHEMA): one
# definition for the frame, the records and the file.
STANCES = TableSchema(
    name="stances",
    row="per proposal × issue it addresses; an alternative adds one per issue it states",
    columns=tuple(
        Column(column.name, column.dtype, column.nullable, column.meaning)
        for column in STANCE_SCHEMA
    ),
)

COMPARISON = TableSchema(
    name="comparison",
    row="per issue either proposal addresses, in row order",
    columns=(
        _text("category", "The category id, e.g. `territory`."),
        _text("category_label", "The category label, e.g. `Territory`."),
        _text("issue", "The issue key."),
        _text("label", "The issue label."),
        _text("stance_a", "A's stance as the tables print it; `—` where A is silent."),
        _text("stance_b", "B's stance as the tables print it; `—` where B is silent."),
        _text("relation", "agree, partial, conflict, unclear, only_a or only_b."),
        Column("gap", "float64", True, "0 to 1; null for unclear, only_a and only_b."),
        _text("reason", "Why the stances relate as they do, e.g. `opposed`."),
        _text("explanation", "The one-line reason."),
        _text("sources_a", "A's sources as citations, joined by `; `."),
        _text("sources_b", "B's sources as citations, joined by `; `."),
        _text("note_a", "A's note on its stance; empty where it has none."),
        _text("note_b", "B's note on its stance; empty where it has none."),
        *_both_sides(
            lambda side, name: _text(
                f"value_{side}",
                f"{name}'s stance as data, as the stance table's `value` writes it; null where "
                f"{name} is silent or states no value.",
                nullable=True,
            )
        ),
        *_both_sides(
            lambda side, name: Column(f"number_{side}", "float64", True, f"{name}'s figure.")
        ),
        *_both_sides(
            lambda side, name: _text(f"unit_{side}", f"The unit of {name}'s figure.", nullable=True)
        ),
        *_both_sides(
            lambda side, name: Column(
                f"salience_{side}", "float64", True, f"{name}'s salience, 0 to 1."
            )
        ),
        *_both_sides(
            lambda side, name: Column(
                f"red_line_{side}",
                "bool",
                True,
                f"Whether {name}'s stance is a red line; null where {name} is silent.",
            )
        ),
        *_both_sides(
            lambda side, name: _text(
                f"condition_{side}", f"{name}'s condition, in words.", nullable=True
            )
        ),
    ),
)

GRID = TableSchema(
    name="grid",
    row="per issue × proposal, silent cells included",
    columns=(
        _text("issue", "The issue key."),
        _text("label", "The issue label."),
        _text("category", "The category id."),
        _text("proposal", "The proposal's id."),
        _text("proposal_label", "Its short label."),
        Column("date", "date", False, "The proposal's date."),
        _text("stance", "The stance as the tables print it; null where silent.", nullable=True),
        _text(
            "relation",
            "To the baseline: agree, partial, conflict, unclear, only_a, only_b, silent or "
            "baseline.",
        ),
        Column("gap", "float64", True, "0 to 1 to the baseline's stance; null where none."),
        _text("explanation", "The one-line reason (`neither addresses it` where silent)."),
        _text("sources", "The stance's sources as citations, joined by `; `."),
    ),
)

MATRIX = TableSchema(
    name="matrix",
    row="per ordered pair of proposals (a, b), the diagonal included",
    columns=(
        _text("a", "The first proposal's id."),
        _text("b", "The second proposal's id."),
        _text("category", "The category the gaps are over; null for all.", nullable=True),
        Column("gap", "float64", True, "The overall gap; null where the pair shares no issue."),
        Column("shared_issues", "int64", False, "Issues both address with a stated level."),
        Column("unclear_issues", "int64", False, "Issues both address, one without a level."),
        _text("weighting", "issue (by salience) or category (each category equally)."),
    ),
)

TABLES: Mapping[TableName, TableSchema] = {
    table.name: table for table in (STANCES, COMPARISON, GRID, MATRIX)
}

_SCHEMA_CONSTANTS: Mapping[str, TableSchema] = {
    "STANCES_SCHEMA": STANCES,
    "COMPARISON_SCHEMA": COMPARISON,
    "GRID_SCHEMA": GRID,
    "MATRIX_SCHEMA": MATRIX,
}


def __getattr__(name: str) -> Any:
    """``STANCES_SCHEMA`` and the other pyarrow schemas, built when first asked for (so this
    module imports without pyarrow)."""
    if name in _SCHEMA_CONSTANTS:
        schema = _SCHEMA_CONSTANTS[name].arrow()
        globals()[name] = schema
        return schema
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class TypedTable:
    """One table's rows as plain Python cells of its columns' types (``str``, ``datetime.date``,
    ``float``, ``int``, ``bool``; ``None`` for a missing value), checked against its schema,
    and the file's metadata: what ``to_arrow`` builds the Arrow table from."""

    schema: TableSchema
    rows: tuple[tuple[object, ...], ...]
    metadata: Mapping[str, str]


def typed_table(source: Tabular) -> TypedTable:
    """The table of a ``Corpus`` (its stances), a ``Comparison``, a ``GridReport`` or a
    ``MatrixReport``, or of a DataFrame holding exactly one table's columns (in any order;
    ``corpus.stances()`` filtered, say), each cell of its column's type. Needs no pyarrow.

    Raises ``TypeError`` for anything else, and ``ValueError`` for a frame whose columns are
    not one table's, a cell of the wrong type, or a null in a column that holds none."""
    table, frame, metadata = _frame_of(source)
    columns = [
        [_cell(column, value) for value in frame[column.name].tolist()] for column in table.columns
    ]
    for column, values in zip(table.columns, columns, strict=True):
        if not column.nullable and any(value is None for value in values):
            raise ValueError(f"{table.name} table: column {column.name!r} holds a null")
    meta = {"negpos.table": table.name, "negpos.table_version": TABLE_VERSION, **metadata}
    return TypedTable(table, tuple(zip(*columns, strict=True)), meta)


def to_arrow(source: Tabular) -> pa.Table:
    """``typed_table(source)`` as a pyarrow ``Table`` with its table's schema (``arrow()``)
    and the ``negpos.*`` metadata. Raises ``MissingExtraError`` without pyarrow."""
    pa = _pyarrow()
    typed = typed_table(source)
    schema = typed.schema.arrow()
    arrays = [
        pa.array([row[index] for row in typed.rows], type=field.type)
        for index, field in enumerate(schema)
    ]
    return pa.Table.from_arrays(arrays, schema=schema.with_metadata(dict(typed.metadata)))


def parquet_bytes(source: Tabular) -> bytes:
    """The Parquet file of ``to_arrow(source)``, as bytes (snappy-compressed, as DuckDB, R's
    arrow, polars and Spark read by default)."""
    table = to_arrow(source)  # MissingExtraError first, without pyarrow
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="snappy")
    return buffer.getvalue()


def write_parquet(source: Tabular, path: str | os.PathLike[str]) -> Path:
    """Write the table of ``source`` (see ``to_arrow``) to ``path`` as Parquet, in one step:
    a failed write leaves the old file as it was. Returns the path."""
    return write_atomically(path, parquet_bytes(source))


# --------------------------------------------------------------------------- internals


def _pyarrow() -> Any:
    """Import pyarrow or explain how to install it; the one place that knows the extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError(MISSING_PYARROW) from None
    return pyarrow


def _frame_of(source: object) -> tuple[TableSchema, pd.DataFrame, dict[str, str]]:
    """Which table ``source`` is, its frame, and what the file's metadata adds."""
    import pandas as pd

    from negpos.corpus import Corpus
    from negpos.reports.comparison import Comparison

    if isinstance(source, Corpus):
        return STANCES, source.stances(), {}
    if isinstance(source, Comparison):
        frame = source.to_frame()
        return COMPARISON, frame, _attrs(frame, {"a": "proposal_a", "b": "proposal_b"})
    if isinstance(source, pd.DataFrame):
        return _table_of_frame(source), source, _attrs(source, _FRAME_ATTRS)
    from negpos.reports.corpus_reports import GridReport, MatrixReport

    if isinstance(source, GridReport):
        frame = source.to_frame()
        return GRID, frame, _attrs(frame, {"baseline": "baseline"})
    if isinstance(source, MatrixReport):
        return MATRIX, pd.DataFrame(source.to_records(), columns=list(MATRIX.names)), {}
    raise TypeError(
        "a Parquet table is made from a Corpus, a Comparison, a GridReport, a MatrixReport "
        f"or a DataFrame of one of their tables, not {type(source).__name__}"
    )


_FRAME_ATTRS = {"a": "proposal_a", "b": "proposal_b", "baseline": "baseline"}


def _attrs(frame: pd.DataFrame, keys: Mapping[str, str]) -> dict[str, str]:
    """The frame's ``attrs`` named in ``keys``, as ``negpos.*`` metadata (JSON for dicts)."""
    found = {}
    for attr, name in keys.items():
        value = frame.attrs.get(attr)
        if value is not None:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            found[f"negpos.{name}"] = text
    return found


def _table_of_frame(frame: pd.DataFrame) -> TableSchema:
    columns = {str(c) for c in frame.columns}
    for table in TABLES.values():
        if columns == set(table.names) and len(frame.columns) == len(table.columns):
            return table
    raise ValueError(
        "the frame's columns are not those of a negpos table ("
        + "; ".join(f"{t.name}: {', '.join(t.names)}" for t in TABLES.values())
        + "); the square frame of MatrixReport.to_frame() is written from the MatrixReport"
    )


def _cell(column: Column, value: object) -> object:
    """One cell as the column's Arrow type takes it; None for every kind of missing value."""
    if _missing(value):
        return None
    convert = _CONVERTERS[column.type]
    try:
        return convert(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"column {column.name!r} ({column.type}): {exc}") from None


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def _as_string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__} {value!r}")
    return value


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):  # pandas' Timestamp among them
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"expected a date, got {type(value).__name__} {value!r}")


def _as_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
    return float(value)


def _as_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"expected a whole number, got {type(value).__name__} {value!r}")
    return int(value)


def _as_bool(value: object) -> bool:
    import numpy as np

    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"expected true or false, got {type(value).__name__} {value!r}")
    return bool(value)


_CONVERTERS: dict[ColumnType, Callable[[Any], object]] = {
    "string": _as_string,
    "date": _as_date,
    "float64": _as_float,
    "int64": _as_int,
    "bool": _as_bool,
}
