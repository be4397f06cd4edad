"""What every negpos report offers: the same content as a frame, records, and tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal, get_args

from negpos.reports.escaping import write_csv
from negpos.reports.render import (
    html_page,
    render_html,
    render_latex,
    render_latex_float,
    render_markdown,
    render_text,
)
from negpos.reports.table import Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OUTPUT_FORMATS", "OutputFormat", "TableReport"]

OutputFormat = Literal["text", "markdown", "latex", "html", "csv", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)


class TableReport:
    """Base of comparisons, proposal views, grids, matrices and timelines.

    A subclass lays itself out once (``table``) and describes its data once (``to_frame``,
    ``to_records``); every output format follows from those, escaped for its medium.
    """

    __slots__ = ()

    def table(self) -> Table:
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        raise NotImplementedError

    def to_records(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def csv_headers(self) -> list[str]:
        """Column names for CSV; defaults to the frame's."""
        return [str(c) for c in self.to_frame().columns]

    def to_json(self, *, indent: int | None = 2) -> str:
        """A JSON list of row objects (see ``to_records``)."""
        return json.dumps(self.to_records(), indent=indent, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        """CSV of ``to_frame()``; every header and cell passes one neutraliser, so none runs
        as a formula in a spreadsheet (see ``negpos.reports.escaping.write_csv``)."""
        return write_csv(self.csv_headers(), self.to_frame().itertuples(index=False))

    def to_text(self, fmt: str = "simple") -> str:
        """Title, table (cells wrapped), notes and sources for the terminal."""
        return render_text(self.table(), fmt)

    def to_markdown(self) -> str:
        """Bold title, pipe table with ``|`` and line breaks escaped, notes and sources."""
        return render_markdown(self.table())

    def to_latex(self) -> str:
        """A booktabs longtable with caption and sources (needs booktabs and longtable)."""
        return render_latex(self.table())

    def to_html(self, *, full_page: bool = False) -> str:
        """An HTML table (or with ``full_page=True`` a standalone page); all user text escaped."""
        table = self.table()
        body = render_html(table, css_class=f"negpos-table {self.css_class}")
        return html_page(table.title, body) if full_page else body

    def to_table(self, fmt: str = "simple") -> str:
        """Any safe tabulate format (``negpos.reports.TABULATE_FORMATS``), with title and sources."""
        table = self.table()
        if fmt in ("github", "pipe"):
            return render_markdown(table)
        if fmt == "html":
            return self.to_html()
        if fmt in ("latex", "latex_longtable"):  # "latex" means one thing: the longtable
            return render_latex(table)
        if fmt in ("latex_float", "latex_booktabs"):
            return render_latex_float(table, "latex" if fmt == "latex_float" else fmt)
        return render_text(table, fmt)

    def render(self, fmt: OutputFormat, *, full_page: bool = True) -> str:
        """One of OUTPUT_FORMATS, as the CLI writes it."""
        if fmt == "text":
            return self.to_text()
        if fmt == "markdown":
            return self.to_markdown()
        if fmt == "latex":
            return self.to_latex()
        if fmt == "html":
            return self.to_html(full_page=full_page)
        if fmt == "csv":
            return self.to_csv()
        if fmt == "json":
            return self.to_json()
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")

    @property
    def css_class(self) -> str:
        return "negpos-" + type(self).__name__.lower()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()
