"""Parquet tables for data tools: the schemas, the round trip through DuckDB, the command line."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import negpos
from negpos.cli import main
from negpos.corpus import STANCE_COLUMNS, Corpus
from negpos.errors import NegposError
from negpos.model import Proposal
from negpos.positions import STANCE_SCHEMA
from negpos.reports import grid_report, matrix_report
from negpos.reports.comparison import FRAME_COLUMNS
from negpos.reports.figures import MissingExtraError
from negpos.reports.parquet import (
    COMPARISON,
    DUCKDB_TYPES,
    GRID,
    MATRIX,
    MISSING_PYARROW,
    STANCES,
    TABLES,
    TableSchema,
    parquet_bytes,
    to_arrow,
    typed_table,
    write_parquet,
)
from tests.conftest import EXAMPLES, RUSSIA_2025, US_2025_04, minimal_data

pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_dir(EXAMPLES)


@pytest.fixture(scope="module")
def comparison(corpus: Corpus) -> negpos.Comparison:
    return negpos.compare(corpus["russia-2025-06-02"], corpus["us-2025-04-17"])


def _select(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """``SELECT *`` over the file in DuckDB: the rows as a frame, and each column's SQL type."""
    connection = duckdb.connect()
    try:
        frame = connection.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)])
        types = {row[0]: row[1] for row in described.fetchall()}
    finally:
        connection.close()
    return frame, types


def _plain(value: Any) -> Any:
    """One cell as plain Python, every kind of missing value as None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    return value


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return [_plain(value) for value in frame[name].tolist()]


def _kind(series: pd.Series) -> str:
    """What a column holds, as the table schemas name it (``null`` for no value at all)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int64"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float64"
    present = {type(_plain(v)) for v in series.tolist()} - {type(None)}
    if not present:
        return "null"
    if present == {bool}:  # booleans with missing values, as object
        return "bool"
    assert present == {str}, f"{series.name}: {present}"
    return "string"


# --------------------------------------------------------------------------- the round trip


def test_corpus_to_parquet_to_duckdb_gives_the_rows_of_stances(
    corpus: Corpus, tmp_path: Path
) -> None:
    path = write_parquet(corpus, tmp_path / "stances.parquet")
    selected, sql_types = _select(path)
    stances = corpus.stances()
    assert list(selected.columns) == list(stances.columns) == list(STANCES.names)
    assert len(selected) == len(stances) > 200
    for column in STANCES.columns:
        assert sql_types[column.name] == DUCKDB_TYPES[column.type], column.name
        # The same type on both sides: the schema's (a column of nulls only fits any type).
        assert _kind(stances[column.name]) in (column.type, "null"), column.name
        assert _kind(selected[column.name]) in (column.type, "null"), column.name
        assert _column(selected, column.name) == _column(stances, column.name), column.name


def test_a_sql_query_over_the_stances_file(corpus: Corpus, tmp_path: Path) -> None:
    path = write_parquet(corpus, tmp_path / "stances.parquet")
    connection = duckdb.connect()
    rows = connection.execute(
        "SELECT proposal, date, value FROM read_parquet(?) "
        "WHERE issue = 'security.UA.membership.NATO' ORDER BY date, proposal",
        [str(path)],
    ).fetchall()
    connection.close()
    frame = corpus.stances()
    nato = frame[frame["issue"] == "security.UA.membership.NATO"]
    ordered = nato.sort_values(["date", "proposal"], kind="stable")
    assert rows == [
        (proposal, date.date(), value)
        for proposal, date, value in zip(
            ordered["proposal"], ordered["date"], ordered["value"], strict=True
        )
    ]
    assert all(isinstance(row[1], dt.date) for row in rows)


@pytest.mark.parametrize("table", ["comparison", "grid", "matrix"])
def test_duckdb_reads_every_table_as_its_frame(
    table: str, corpus: Corpus, comparison: negpos.Comparison, tmp_path: Path
) -> None:
    sources: dict[str, Any] = {
        "comparison": (comparison, comparison.to_frame()),
        "grid": (grid_report(corpus), grid_report(corpus).to_frame()),
        "matrix": (matrix_report(corpus), pd.DataFrame(matrix_report(corpus).to_records())),
    }
    source, frame = sources[table]
    path = write_parquet(source, tmp_path / f"{table}.parquet")
    selected, sql_types = _select(path)
    schema = TABLES[table]  # type: ignore[index]
    assert list(selected.columns) == list(schema.names)
    for column in schema.columns:
        assert sql_types[column.name] == DUCKDB_TYPES[column.type]
        assert _kind(selected[column.name]) in (column.type, "null"), column.name
        expected = _column(frame, column.name)
        if column.type == "date":
            expected = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in expected]
        assert _column(selected, column.name) == expected, column.name


def test_missing_gaps_are_nulls_not_nan(comparison: negpos.Comparison, tmp_path: Path) -> None:
    path = write_parquet(comparison, tmp_path / "comparison.parquet")
    connection = duckdb.connect()
    nulls, nans, silent = connection.execute(
        "SELECT count(*) FILTER (gap IS NULL), count(*) FILTER (isnan(gap)), "
        "count(*) FILTER (relation IN ('only_a', 'only_b', 'unclear')) FROM read_parquet(?)",
        [str(path)],
    ).fetchone()
    connection.close()
    assert nulls == silent > 0 and nans == 0


# --------------------------------------------------------------------------- the schemas


# Each table's columns as `name:type`, `!` where the column never holds a null: the schema
# the documentation lists. A change here is a change every reader of the files sees.
DOCUMENTED = {
    "stances": "proposal:string! proposal_label:string! date:date! status:string! form:string "
    "speaker:string authors:string! category:string! issue:string! label:string! kind:string! "
    "value_form:string! value:string number:float64 unit:string bound:string text:string! "
    "basis:string! salience:float64 salience_basis:string red_line:bool! "
    "red_line_basis:string condition:string condition_kind:string condition_on:string "
    "extent:string area:string alternative:string note:string source_ids:string! "
    "sources:string! locators:string!",
    "comparison": "category:string! category_label:string! issue:string! label:string! "
    "stance_a:string! stance_b:string! relation:string! gap:float64 reason:string! "
    "explanation:string! sources_a:string! sources_b:string! note_a:string! note_b:string! "
    "value_a:string value_b:string number_a:float64 number_b:float64 unit_a:string "
    "unit_b:string salience_a:float64 salience_b:float64 red_line_a:bool red_line_b:bool "
    "condition_a:string condition_b:string",
    "grid": "issue:string! label:string! category:string! proposal:string! "
    "proposal_label:string! date:date! stance:string relation:string! gap:float64 "
    "explanation:string! sources:string!",
    "matrix": "a:string! b:string! category:string gap:float64 shared_issues:int64! "
    "unclear_issues:int64! weighting:string!",
}
ARROW_TYPES = {"string": "string", "date": "date32[day]", "float64": "double", "int64": "int64"}
ARROW_TYPES["bool"] = "bool"


def _documented(schema: TableSchema) -> str:
    return " ".join(f"{c.name}:{c.type}{'' if c.nullable else '!'}" for c in schema.columns)


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_each_table_has_its_documented_schema(
    name: str, corpus: Corpus, comparison: negpos.Comparison, tmp_path: Path
) -> None:
    schema = TABLES[name]  # type: ignore[index]
    assert _documented(schema) == DOCUMENTED[name]
    source: Any = {
        "stances": corpus,
        "comparison": comparison,
        "grid": grid_report(corpus),
        "matrix": matrix_report(corpus),
    }[name]
    written = pq.read_schema(write_parquet(source, tmp_path / "table.parquet"))
    assert written.equals(schema.arrow(), check_metadata=False)
    for column, field in zip(schema.columns, written, strict=True):
        assert (field.name, str(field.type), field.nullable) == (
            column.name,
            ARROW_TYPES[column.type],
            column.nullable,
        )
        assert field.metadata == {b"description": column.description.encode()}
    assert written.metadata[b"negpos.table"] == name.encode()
    assert written.metadata[b"negpos.table_version"] == b"1"


def test_the_schema_constants_are_the_tables_arrow_schemas() -> None:
    from negpos.reports import parquet

    for name, table in [
        ("STANCES_SCHEMA", STANCES),
        ("COMPARISON_SCHEMA", COMPARISON),
        ("GRID_SCHEMA", GRID),
        ("MATRIX_SCHEMA", MATRIX),
    ]:
        assert getattr(parquet, name).equals(table.arrow(), check_metadata=True)


def test_the_tables_have_the_frames_columns() -> None:
    assert STANCES.names == tuple(STANCE_COLUMNS)
    assert [(c.name, c.type, c.nullable) for c in STANCES.columns] == [
        (c.name, c.dtype, c.nullable) for c in STANCE_SCHEMA
    ]
    assert COMPARISON.names == tuple(FRAME_COLUMNS)


def test_a_comparison_file_names_its_proposals(
    comparison: negpos.Comparison, tmp_path: Path
) -> None:
    metadata = pq.read_schema(write_parquet(comparison, tmp_path / "c.parquet")).metadata
    a = json.loads(metadata[b"negpos.proposal_a"])
    assert (a["id"], a["date"]) == ("russia-2025-06-02", "2025-06-02")
    assert json.loads(metadata[b"negpos.proposal_b"])["id"] == "us-2025-04-17"


def test_a_grid_file_names_its_baseline(corpus: Corpus, tmp_path: Path) -> None:
    report = grid_report(corpus, baseline="us-2025-04-17")
    metadata = pq.read_schema(write_parquet(report, tmp_path / "g.parquet")).metadata
    assert metadata[b"negpos.baseline"] == b"us-2025-04-17"


# --------------------------------------------------------------------------- inputs


def test_a_filtered_stances_frame_is_written_with_the_stances_schema(
    corpus: Corpus, tmp_path: Path
) -> None:
    frame = corpus.stances()
    territory = frame[frame["category"] == "territory"]
    table = to_arrow(territory[list(reversed(territory.columns))])
    assert table.schema.metadata[b"negpos.table"] == b"stances"
    assert table.column_names == list(STANCES.names)
    assert table.num_rows == len(territory) > 0


def test_an_empty_corpus_gives_an_empty_table_with_the_schema(tmp_path: Path) -> None:
    path = write_parquet(Corpus.of([]), tmp_path / "empty.parquet")
    assert pq.read_table(path).num_rows == 0
    assert pq.read_schema(path).equals(STANCES.arrow(), check_metadata=False)


def test_other_frames_and_objects_are_refused(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="not those of a negpos table"):
        to_arrow(corpus.stances().drop(columns=["text"]))
    with pytest.raises(ValueError, match="MatrixReport"):
        to_arrow(matrix_report(corpus).to_frame())
    with pytest.raises(TypeError, match="not list"):
        to_arrow([1, 2])  # type: ignore[arg-type]


def test_a_null_where_the_schema_has_none_is_refused(corpus: Corpus) -> None:
    frame = corpus.stances()
    frame.loc[frame.index[0], "issue"] = None
    with pytest.raises(ValueError, match="'issue' holds a null"):
        to_arrow(frame)


def test_user_text_is_kept_as_written(tmp_path: Path) -> None:
    hostile = "=cmd() | 50% <script>x</script>\n\\input{secret} \u202eevil"
    data = minimal_data(issues={"implementation.oversight": {"value": hostile, "sources": ["S1"]}})
    corpus = Corpus.of([Proposal.model_validate(data)])
    table = pq.read_table(write_parquet(corpus, tmp_path / "s.parquet"))
    rows = table.to_pylist()
    assert next(r for r in rows if r["issue"] == "implementation.oversight")["value"] == hostile


def test_the_same_table_gives_the_same_bytes(corpus: Corpus) -> None:
    assert parquet_bytes(corpus) == parquet_bytes(corpus)


def test_a_failed_write_leaves_the_old_file(corpus: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "stances.parquet"
    write_parquet(corpus, path)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_parquet(object(), path)  # type: ignore[arg-type]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["stances.parquet"]


def test_typed_table_needs_no_pyarrow(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    typed = typed_table(corpus)
    first = dict(zip(typed.schema.names, typed.rows[0], strict=True))
    assert typed.schema is STANCES and len(typed.rows) == len(corpus.stances())
    assert first["date"] == dt.date(2024, 6, 14) and isinstance(first["red_line"], bool)
    assert typed.metadata == {"negpos.table": "stances", "negpos.table_version": "1"}


def test_without_pyarrow_the_error_names_the_extra(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtraError) as info:
        write_parquet(corpus, tmp_path / "s.parquet")
    assert isinstance(info.value, NegposError)
    assert (
        str(info.value)
        == MISSING_PYARROW
        == 'Parquet tables need pyarrow: pip install "negpos[parquet]"'
    )
    assert not (tmp_path / "s.parquet").exists()


def test_importing_the_module_loads_no_pyarrow() -> None:
    code = "import sys, negpos.reports.parquet; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- command line


PARQUET_COMMANDS = [
    ["compare", str(RUSSIA_2025), str(US_2025_04)],
    ["matrix", str(EXAMPLES)],
    ["grid", str(EXAMPLES)],
    ["stances", str(EXAMPLES)],
]


@pytest.mark.parametrize("command", PARQUET_COMMANDS, ids=lambda c: c[0])
def test_parquet_on_the_command_line_needs_an_output_file(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--format", "parquet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "negpos: --format parquet writes a binary file: give --output FILE\n"


@pytest.mark.parametrize("command", PARQUET_COMMANDS, ids=lambda c: c[0])
def test_parquet_on_the_command_line_writes_the_table(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.parquet"
    assert main([*command, "-f", "parquet", "-o", str(target)]) == 0
    assert capsys.readouterr().err == f"wrote {target}\n"
    name = {"compare": "comparison"}.get(command[0], command[0])
    assert pq.read_schema(target).metadata[b"negpos.table"] == name.encode()
    selected, _ = _select(target)
    assert len(selected) > 0


def test_the_matrix_file_holds_the_matrix_records(tmp_path: Path) -> None:
    target = tmp_path / "m.parquet"
    assert (
        main(
            ["matrix", str(EXAMPLES), "--category", "territory", "-f", "parquet", "-o", str(target)]
        )
        == 0
    )
    records = matrix_report(Corpus.from_dir(EXAMPLES), category="territory").to_records()
    assert pq.read_table(target).to_pylist() == records


def test_the_stances_command_writes_csv_and_json(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stances", str(EXAMPLES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(STANCES.names)
    assert len(lines) > len(corpus.stances())  # a cell may span lines
    assert main(["stances", str(EXAMPLES), "-f", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records == corpus.stance_records()
    assert records[0]["date"] == "2024-06-14"


def test_the_stances_command_refuses_to_write_into_its_input_folder(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    folder.mkdir()
    (folder / "a.yaml").write_text(RUSSIA_2025.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["stances", str(folder), "-o", str(folder / "b.yaml")]) == 2


def test_without_pyarrow_the_command_says_which_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    target = tmp_path / "s.parquet"
    assert main(["stances", str(EXAMPLES), "-f", "parquet", "-o", str(target)]) == 1
    assert capsys.readouterr().err == f"negpos: {MISSING_PYARROW}\n"
    assert not target.exists()


def test_show_and_timeline_offer_no_parquet(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["show", str(RUSSIA_2025), "-f", "parquet", "-o", "x.parquet"])
    assert info.value.code == 2
    assert "invalid choice: 'parquet'" in capsys.readouterr().err
