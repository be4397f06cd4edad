"""Agreement between coders as a report: the disagreements to review, and α.

What a reviewer needs from a double coding is the list of places where the coders differ,
each with both coders' stances and the evidence they cite, and the reliability figures a
paper reports; every output format shows the same.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negpos.model import Proposal
from negpos.positions import plain_value
from negpos.provenance.agreement import Agreement, Alpha, CoderStance, UnitAgreement, agreement
from negpos.reports.report import TableReport
from negpos.reports.table import Bibliography, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AgreementReport", "agreement_report"]


def agreement_report(proposals: Sequence[Proposal]) -> AgreementReport:
    """Codings of the same documents compared (see ``negpos.provenance.agreement``)."""
    return AgreementReport(agreement(proposals))


@dataclass(frozen=True, slots=True)
class AgreementReport(TableReport):
    """One row per disagreement; α overall and per issue kind in the notes."""

    agreement: Agreement

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per unit: each coder's stance and evidence, the pairs'
        relations, and whether it is agreed."""
        return [_unit_record(unit) for unit in self.agreement.units]

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready: documents, coders, α (None where undefined), units and
        the disagreements among them."""
        result = self.agreement
        units = self.to_records()
        share = result.share_agreed
        return {
            "documents": list(result.documents),
            "coders": list(result.coders),
            "unpaired": list(result.unpaired),
            "units_agreed": sum(u.agreed for u in result.units),
            "units_total": len(result.units),
            "units_silent": len(result.silences),
            "share_agreed": None if share is None else round(share, 6),
            "alphas": [_alpha_record(a) for a in result.alphas],
            "units": units,
            "disagreements": [r for r in units if not r["agreed"]],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """A JSON object (see ``to_dict``): its α, units and disagreements."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"

    def to_frame(self) -> pd.DataFrame:
        """One row per unit × coder (see ``Agreement.to_frame``)."""
        return self.agreement.to_frame()

    def table(self) -> Table:
        result = self.agreement
        bibliography = Bibliography()
        coders = result.coders
        rows = []
        for unit in result.disagreements:
            cells = []
            for coder in coders:
                stance = unit.stance_of(coder)
                cells.append("" if stance is None else (stance.text or "— (silent)"))
            evidence = [_evidence_cell(s, bibliography) for s in unit.stances if not s.silent]
            rows.append(
                (
                    unit.document,
                    unit.label,
                    *cells,
                    unit.relation,
                    "; ".join(e for e in evidence if e),
                )
            )
        return Table(
            title=f"Agreement between coders {_and(coders)} on {_and(result.documents)}",
            headers=("Document", "Issue", *coders, "Relation", "Evidence"),
            rows=tuple(rows),
            notes=_notes(result),
            references=bibliography.references,
            quotes=bibliography.quotes,
            row_classes=tuple(_row_class(unit) for unit in result.disagreements),
            wrap_widths=(20, 24, *([24] * len(coders)), 18, 22),
        )


def _notes(result: Agreement) -> tuple[str, ...]:
    total = len(result.units)
    agreed = sum(u.agreed for u in result.units)
    share = f" ({result.share_agreed:.0%})" if result.share_agreed is not None else ""
    notes = [
        f"Agreed on {agreed} of {_count(total, 'unit')}{share}; "
        + (
            f"{_count(total - agreed, 'disagreement')} listed."
            if agreed < total
            else "no disagreement: the coders state the same on every unit."
        ),
        "A unit is one issue of one document that at least one coder addresses; it is agreed "
        "when the engine finds every pair of codings to agree (conditions, parts of a region "
        "and acceptable values included). A coder who does not address it is silent: listed "
        "here, a missing value in α. Where a coding offers alternatives, its first stance on "
        "the issue counts.",
    ]
    silences = len(result.silences)
    if silences:
        notes.append(
            f"{_count(silences, 'unit')} {'is' if silences == 1 else 'are'} left silent by some "
            "coder: disagreements α does not count, as it reads silence as a missing value."
        )
    for alpha in result.alphas:
        scope = "overall" if alpha.scope == "overall" else f"{alpha.scope} issues"
        left = f", {alpha.left_out} left out" if alpha.left_out else ""
        over = (
            f", over {_count(alpha.units, 'unit')} and {_count(alpha.values, 'value')}{left}"
            if alpha.units
            else left
        )
        notes.append(f"Krippendorff's α, {scope}: {alpha.text}{over}; {alpha.note}.")
    if result.unpaired:
        notes.append(
            f"Left out, as no other coding of their document was given: {', '.join(result.unpaired)}."
        )
    return tuple(notes)


def _evidence_cell(stance: CoderStance, bibliography: Bibliography) -> str:
    cited = bibliography.cite_position(stance.position)
    return f"{stance.coder} {cited}" if cited else ""


def _row_class(unit: UnitAgreement) -> str:
    return next((p.relation.value for p in unit.pairs if p.relation.value != "agree"), "agree")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _and(names: Sequence[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _alpha_record(alpha: Alpha) -> dict[str, Any]:
    return {
        "scope": alpha.scope,
        "level": alpha.level,
        "alpha": None if alpha.value is None else round(alpha.value, 6),
        "units": alpha.units,
        "values": alpha.values,
        "left_out": alpha.left_out,
        "note": alpha.note,
    }


def _unit_record(unit: UnitAgreement) -> dict[str, Any]:
    return {
        "document": unit.document,
        "issue": unit.key,
        "label": unit.label,
        "kind": unit.kind.value,
        "category": unit.category,
        "agreed": unit.agreed,
        "relation": unit.relation,
        "pairs": [
            {
                "coders": [p.coder_a, p.coder_b],
                "relation": p.relation.value,
                "reason": p.reason.value,
                "gap": None if p.gap is None else round(p.gap, 6),
            }
            for p in unit.pairs
        ],
        "stances": [_stance_record(s) for s in unit.stances],
    }


def _stance_record(stance: CoderStance) -> dict[str, Any]:
    position = stance.position
    return {
        "coder": stance.coder,
        "proposal": stance.proposal,
        "silent": position is None,
        "stance": stance.text,
        "value": None if position is None else plain_value(position.value),
        "unit": None if position is None else position.unit,
        "basis": None if position is None else position.basis,
        "evidence": [
            {"source": e.source, "citation": e.citation, "locator": e.locator, "quote": e.quote}
            for e in stance.evidence
        ],
    }
