"""The bargaining answers as tables: profiles, zones, solutions, frontier, trades, forecast and
sensitivity, each a ``TableReport`` (every output format), and all of them together.

Every table carries the domain's notes: derived profiles and inferred numbers are said on
every output, next to the figures that rest on them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negpos.bargaining import Bargaining
from negpos.bargaining.forecast import ForecastRow
from negpos.reports.report import OUTPUT_FORMATS, OutputFormat, TableReport
from negpos.reports.table import Bibliography, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BARGAINING_TABLES", "BargainingReport", "StakeholderForecast", "bargaining_report"]

BARGAINING_TABLES = (
    "profiles",
    "zones",
    "solutions",
    "frontier",
    "trades",
    "forecast",
    "sensitivity",
)
FRONTIER_ROWS_SHOWN = 20


def _u(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _share(value: float) -> str:
    return f"{100 * value:.0f}%"


@dataclass(frozen=True)
class _Section(TableReport):
    """One bargaining table: its records, and its layout for reading."""

    result: Bargaining
    name: str

    def _names(self) -> dict[str, str]:
        return {p.party: p.name for p in self.result.domain.parties}

    def to_records(self) -> list[dict[str, Any]]:
        """The table's rows as data; each says what the profiles rest on (``profiles``), so
        a CSV or JSON cut out of the report keeps its caveat."""
        basis = self.result.profiles_basis
        return [{**record, "profiles": basis} for record in _RECORDS[self.name](self.result)]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())

    def table(self) -> Table:
        bibliography = Bibliography()
        headers, rows, notes = _LAYOUTS[self.name](self.result, bibliography)
        for party in self.result.domain.parties:
            if party.sources:
                bibliography.cite(party.sources)
        return Table(
            title=f"{self.result.domain.title}: {_TITLES[self.name]}",
            headers=headers,
            rows=rows,
            notes=(*notes, *self.result.notes),
            references=bibliography.references,
        )

    @property
    def css_class(self) -> str:
        return f"negpos-bargaining-{self.name}"


_TITLES = {
    "profiles": "preferences",
    "zones": "zones of possible agreement",
    "solutions": "bargaining solutions",
    "frontier": "Pareto frontier",
    "trades": "trades",
    "forecast": "compromise forecast",
    "sensitivity": "sensitivity",
}

Layout = tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]


def _profiles_records(result: Bargaining) -> list[dict[str, Any]]:
    records = []
    for party in result.domain.parties:
        weights = party.weight_vector()
        for i, issue in enumerate(result.domain.issues):
            records.append(
                {
                    "party": party.party,
                    "issue": issue.key,
                    "weight": float(weights[i]),
                    "weight_written": party.weights[i].describe(),
                    "weight_basis": str(party.weight_basis(i)),
                    "ideal": issue.option_label(
                        int(party.utilities[i].point(issue.options).argmax())
                    ),
                    "reservation": party.reservation.value,
                    "capability": None if party.capability is None else party.capability.value,
                    "profile_basis": str(party.basis),
                    "derived_from": party.derived_from,
                }
            )
    return records


def _profiles_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    domain = result.domain
    headers = ("Party", "Issue", "Weight", "Basis", "Ideal option", "Sources")
    rows = []
    for party in domain.parties:
        weights = party.weight_vector()
        for i, issue in enumerate(domain.issues):
            written = party.weights[i]
            cited = [
                *written.sources,
                *(s for e in party.utilities[i].estimates for s in e.sources),
            ]
            rows.append(
                (
                    party.name,
                    issue.label,
                    f"{weights[i]:.2f}" + _weight_note(party.derived, written),
                    str(party.weight_basis(i)),
                    _ideal_text(result, party.utilities[i].point(issue.options), i),
                    bibliography.cite((*party.sources, *domain.sources_of(cited))),
                )
            )
    notes = [
        f"{p.name}: walk-away utility {p.reservation.describe()}"
        + (f", capability {p.capability.describe()}" if p.capability is not None else "")
        + (f", derived from {p.derived_from}" if p.derived_from else "")
        + f"; basis {p.basis}."
        + (f" {p.note}" if p.note else "")
        for p in domain.parties
    ]
    if domain.description:
        notes.insert(0, domain.description)
    if domain.left_out:
        notes.append("Left out of scope: " + "; ".join(domain.left_out) + ".")
    return headers, tuple(rows), ("Weights are normalised to sum to 1 per party.", *notes)


def _weight_note(derived: bool, written: Any) -> str:
    if derived and written.basis == "inferred":
        return " (equal weight assumed, 0.5–1.5 in the draws)"
    return f" (written {written.describe()})" if written.uncertain else ""


def _ideal_text(result: Bargaining, utilities: Any, index: int) -> str:
    """The option(s) a party values most on one issue: all of them when several tie."""
    issue = result.domain.issues[index]
    best = [i for i, u in enumerate(utilities) if u >= max(utilities) - 1e-12]
    return " / ".join(issue.option_label(i) for i in best)


def _zones_records(result: Bargaining) -> list[dict[str, Any]]:
    return [
        {
            "issue": z.key,
            "label": z.label,
            "status": z.status.value,
            "overlap": z.overlap,
            "reason": z.reason,
            **{f"accepts_{s.proposal}": s.text for s in z.sides},
            **{f"inferred_{s.proposal}": s.inferred for s in z.sides},
            "conditions": "; ".join(f"{s.label}: {c}" for s in z.sides for c in s.conditions)
            or None,
        }
        for z in result.zones
    ]


def _zones_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    if not result.zones:
        return ("Issue", "Zone"), (), ("No zones: give two or more proposals (--proposals).",)
    sides = result.zones[0].sides
    headers = ("Issue", *(f"{s.label} accepts" for s in sides), "Zone", "Why")
    rows = tuple(
        (
            z.label,
            *(
                s.text
                + (" (inferred)" if s.inferred else "")
                + (f" (condition: {'; '.join(s.conditions)})" if s.conditions else "")
                for s in z.sides
            ),
            z.status.value + (f": {z.overlap}" if z.overlap else ""),
            z.reason,
        )
        for z in result.zones
    )
    return (
        headers,
        rows,
        (
            "A side is taken to accept its own stance, its stated fallbacks and what its bound admits.",
        ),
    )


def _solutions_records(result: Bargaining) -> list[dict[str, Any]]:
    return result.solution_records()


def _package_text(result: Bargaining, package: int) -> str:
    return "; ".join(
        f"{issue.label}: {value}"
        for issue, value in zip(
            result.domain.issues, result.domain.describe_package(package).values(), strict=True
        )
    )


def _solutions_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    names = [p.name for p in result.domain.parties]
    headers = ("Solution", "Package", *(f"{n} utility" for n in names), "Measure")
    rows = []
    for concept, solution in result.solutions.items():
        if solution.package is None:
            rows.append((concept.label, solution.why_none or "", *("" for _ in names), ""))
            continue
        ties = f" (tied with {len(solution.ties)} more)" if solution.ties else ""
        rows.append(
            (
                concept.label,
                _package_text(result, solution.package) + ties,
                *(_u(u) for u in result.utilities_of(solution.package)),
                f"{concept.measure} = {solution.value:.4g}",
            )
        )
    for placed in result.placed:
        if placed.package is None:
            rows.append(
                (
                    f"Proposal: {placed.label}",
                    f"not a package: {placed.why_not}",
                    *("" for _ in names),
                    "",
                )
            )
        else:
            rows.append(
                (
                    f"Proposal: {placed.label}",
                    _package_text(result, placed.package),
                    *(_u(u) for u in placed.utilities or ()),
                    "",
                )
            )
    domain = result.domain
    shape = " × ".join(str(n) for n in domain.shape)
    notes = (
        f"{domain.size:,} packages ({shape}); {len(result.frontier):,} on the Pareto frontier.",
        "Walk-away utilities: "
        + ", ".join(f"{p.name} {p.reservation.value:g}" for p in domain.parties)
        + ".",
    )
    return headers, tuple(rows), notes


def _frontier_records(result: Bargaining) -> list[dict[str, Any]]:
    return [
        {
            "package": int(package),
            **{
                f"utility_{p}": u
                for p, u in zip(
                    result.domain.party_ids, result.utilities_of(int(package)), strict=True
                )
            },
            **result.domain.describe_package(int(package)),
        }
        for package in result.frontier
    ]


def _frontier_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    names = [p.name for p in result.domain.parties]
    headers = ("Package", *(f"{n} utility" for n in names))
    shown = result.frontier[:FRONTIER_ROWS_SHOWN]
    rows = tuple(
        (_package_text(result, int(p)), *(_u(u) for u in result.utilities_of(int(p))))
        for p in shown
    )
    notes: tuple[str, ...] = ()
    if len(result.frontier) > len(shown):
        notes = (
            f"The first {len(shown)} of {len(result.frontier):,} packages, by {names[0]}'s utility; --table frontier -f csv gives all.",
        )
    return headers, rows, notes


def _trades_records(result: Bargaining) -> list[dict[str, Any]]:
    names = {p.party: p.name for p in result.domain.parties}
    return [
        {
            "package": t.package,
            "explanation": t.explain(names),
            **{f"gain_{p}": g for p, g in zip(result.domain.party_ids, t.gains, strict=True)},
        }
        for t in result.trades
    ]


def _trades_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    names = [p.name for p in result.domain.parties]
    headers = ("Trade", *(f"{n} gains" for n in names))
    rows = tuple(
        (r["explanation"], *(_u(r[f"gain_{p}"]) for p in result.domain.party_ids))
        for r in _trades_records(result)
    )
    if result.against is None:
        return headers, rows, ("No trades: choose a proposal to trade from (--against ID).",)
    return (
        headers,
        rows,
        (
            f"Changes of one or two issues to {result.against.label} that raise every party's utility, "
            "best smallest gain first.",
        )
        + (() if rows else ("None found: no such change raises every party's utility.",)),
    )


def _forecast_records(result: Bargaining) -> list[dict[str, Any]]:
    return [_forecast_record(row) for row in result.forecast]


def _forecast_record(row: ForecastRow) -> dict[str, Any]:
    return {
        "issue": row.key,
        "label": row.label,
        "median_low": None if row.median is None else row.median.low,
        "median_high": None if row.median is None else row.median.high,
        "mean": row.mean,
        "plurality": row.plurality,
        "median_text": row.median_text,
        "mean_text": row.mean_text,
        "capabilities_given": row.capabilities_given,
        "positions": [
            {"party": party, "position": place, "weight": weight}
            for party, place, weight in row.positions
        ],
    }


def _forecast_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    headers = ("Issue", "Weighted median (median voter)", "Weighted mean (compromise)")
    rows = tuple((r.label, r.median_text, r.mean_text) for r in result.forecast)
    given = all(r.capabilities_given for r in result.forecast)
    notes = (
        "Each party stands at its ideal option, weighted by capability × salience"
        + ("." if given else "; capabilities not given for every party, so all count as 1."),
    )
    return headers, rows, notes


def _sensitivity_records(result: Bargaining) -> list[dict[str, Any]]:
    run = result.sensitivity
    if run is None:
        return []
    records: list[dict[str, Any]] = []
    for concept, share in run.same_solution.items():
        records.append({"answer": concept.label, "measure": "still best", "share": share})
    for reference, share in run.efficient:
        records.append({"answer": reference.label, "measure": "Pareto-efficient", "share": share})
    for party, spread in zip(result.domain.parties, run.nash_utilities, strict=True):
        if spread.mean == spread.mean:  # not NaN: some draw has a Nash package
            records.append(
                {"answer": f"Nash: {party.name}'s utility", "measure": "spread", **_spread(spread)}
            )
    for issue, median, mean in zip(
        result.domain.issues, run.forecast_median, run.forecast_mean, strict=True
    ):
        if median is not None and mean is not None:
            records.append(
                {
                    "answer": f"Forecast median: {issue.label}",
                    "measure": "spread",
                    **_spread(median),
                }
            )
            records.append(
                {"answer": f"Forecast mean: {issue.label}", "measure": "spread", **_spread(mean)}
            )
    return records


def _spread(spread: Any) -> dict[str, float]:
    return {"mean": spread.mean, "sd": spread.sd, "p5": spread.low, "p95": spread.high}


def _sensitivity_layout(result: Bargaining, bibliography: Bibliography) -> Layout:
    run = result.sensitivity
    headers = ("Answer", "Holds in", "Spread (mean, 5–95%)")
    if run is None:
        return headers, (), ("No sensitivity run: ask for draws (--samples N).",)
    rows = []
    for record in _sensitivity_records(result):
        if "share" in record:
            rows.append((f"{record['answer']} ({record['measure']})", _share(record["share"]), ""))
        else:
            rows.append(
                (
                    record["answer"],
                    "",
                    f"{record['mean']:.3g} ({record['p5']:.3g}–{record['p95']:.3g})",
                )
            )
    scales = [
        f"{issue.label}: "
        + ", ".join(
            f"{place:g} = {label}"
            for place, label in zip(positions, issue.option_labels, strict=True)
        )
        for issue in result.domain.issues
        if (positions := issue.scale_positions()) is not None and issue.kind.value != "number"
    ]
    scale_note = ("Forecast places on each scale: " + "; ".join(scales) + ".",) if scales else ()
    notes = (
        *scale_note,
        f"{run.samples:,} draws, seed {run.seed}; {run.uncertain} estimate(s) given a range or an sd, "
        "the rest fixed."
        + (
            " Nothing is uncertain, so every answer holds in every draw."
            if run.uncertain == 0
            else ""
        ),
    )
    return headers, tuple(rows), notes


_RECORDS = {
    "profiles": _profiles_records,
    "zones": _zones_records,
    "solutions": _solutions_records,
    "frontier": _frontier_records,
    "trades": _trades_records,
    "forecast": _forecast_records,
    "sensitivity": _sensitivity_records,
}
_LAYOUTS = {
    "profiles": _profiles_layout,
    "zones": _zones_layout,
    "solutions": _solutions_layout,
    "frontier": _frontier_layout,
    "trades": _trades_layout,
    "forecast": _forecast_layout,
    "sensitivity": _sensitivity_layout,
}


@dataclass(frozen=True)
class BargainingReport:
    """All the bargaining tables; one of them with ``section(name)``."""

    result: Bargaining

    def section(self, name: str) -> TableReport:
        if name not in BARGAINING_TABLES:
            raise ValueError(
                f"unknown table {name!r}; choose one of: {', '.join(BARGAINING_TABLES)}"
            )
        return _Section(self.result, name)

    def sections(self) -> list[TableReport]:
        return [self.section(name) for name in BARGAINING_TABLES]

    def to_json(self, tables: Sequence[str] = BARGAINING_TABLES) -> str:
        data: dict[str, Any] = {name: self.section(name).to_records() for name in tables}
        data["notes"] = list(self.result.notes)
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"

    def render(self, fmt: OutputFormat, tables: Sequence[str] = BARGAINING_TABLES) -> str:
        """The chosen tables in one of OUTPUT_FORMATS; CSV holds exactly one table."""
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
        if fmt == "json":
            return self.to_json(tables)
        if fmt == "csv":
            if len(tables) != 1:
                raise ValueError(
                    f"CSV holds one table: choose it with --table ({', '.join(BARGAINING_TABLES)})"
                )
            return self.section(tables[0]).to_csv()
        if fmt == "html":
            from negpos.reports.render import html_page

            body = "\n".join(self.section(name).to_html() for name in tables)
            return html_page(f"{self.result.domain.title}: bargaining", body)
        return "\n".join(self.section(name).render(fmt) for name in tables)


@dataclass(frozen=True)
class StakeholderForecast(TableReport):
    """The forecast of a stakeholder table (party, position, capability, salience)."""

    rows: tuple[ForecastRow, ...]
    title: str = "Stakeholder table"

    def to_records(self) -> list[dict[str, Any]]:
        return [_forecast_record(row) for row in self.rows]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())

    def table(self) -> Table:
        return Table(
            title=f"{self.title}: compromise forecast",
            headers=(
                "Issue",
                "Parties",
                "Weighted median (median voter)",
                "Weighted mean (compromise)",
            ),
            rows=tuple(
                (row.label, str(len(row.positions)), row.median_text, row.mean_text)
                for row in self.rows
            ),
            notes=("Positions on the table's own scale, weighted by capability × salience.",),
        )


def bargaining_report(result: Bargaining) -> BargainingReport:
    return BargainingReport(result)
