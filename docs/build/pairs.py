"""Minimal pairs for docs/comparison.md: two one-issue proposals, compared by the engine.

The comparison page runs ``exec(open("docs/build/pairs.py").read())`` in hidden blocks and
prints ``pairs_table([...])``: every example the page shows is the engine's own output.
"""

from __future__ import annotations

from typing import Any

import yaml

import negpos
from negpos.codebook import Codebook, default_codebook
from negpos.model import Proposal

# The default codebook plus one percentage issue, as a labour negotiation would have.
CODEBOOK = default_codebook().extended_with(
    Codebook.model_validate(
        {
            "name": "docs example",
            "extends": "default",
            "categories": [{"id": "wages", "label": "Wages"}],
            "issues": [
                {
                    "key": "wages.increase",
                    "label": "Wage increase",
                    "category": "wages",
                    "kind": "number",
                    "unit": "percent",
                }
            ],
        }
    )
)

PARTIES = [
    {"id": "N", "name": "Northland", "kind": "state"},
    {"id": "S", "name": "Southland", "kind": "state"},
    {"id": "ALLY", "name": "the Alliance", "kind": "international_organisation"},
    {"id": "US", "name": "United States", "kind": "state"},
    {"id": "GB", "name": "United Kingdom", "kind": "state"},
    {"id": "FR", "name": "France", "kind": "state"},
]


def proposal(pid: str, key: str, stance: Any) -> Proposal:
    """A proposal stating one stance, written where a file would write it."""
    data: dict[str, Any] = {
        "id": pid,
        "title": pid,
        "label": pid,
        "date": "2024-01-01",
        "status": "draft",
        "authors": ["N"],
        "parties": PARTIES,
        "regions": [{"id": "hills", "name": "the Hills"}],
        "sources": [{"id": "S1", "publisher": "Gazette", "title": "Text"}],
    }
    parts = key.split(".")
    if parts[0] == "territory":
        data["territory"] = [{"region": parts[1], "sources": ["S1"], parts[2]: stance}]
    elif parts[0] == "security" and parts[2] == "membership":
        data["security"] = [
            {"party": parts[1], "sources": ["S1"], "memberships": {parts[3]: stance}}
        ]
    elif parts[0] == "security":
        data["security"] = [{"party": parts[1], "sources": ["S1"], parts[2]: stance}]
    elif parts[0] == "reparations":
        data["reparations"] = {"sources": ["S1"], parts[1]: stance}
    else:
        written = dict(stance) if isinstance(stance, dict) else {"value": stance}
        data["issues"] = {key: {"sources": ["S1"], **written}}
    return Proposal.model_validate(data, context={"codebook": CODEBOOK})


def _written(stance: Any) -> str:
    text = yaml.safe_dump(stance, default_flow_style=True, width=1000, sort_keys=False).strip()
    return text.removesuffix("\n...").replace("|", "\\|")


def pairs_table(rows: list[tuple[str, Any, Any]]) -> None:
    """Print a Markdown table: each row an issue, A's and B's stance, and the engine's verdict."""
    print("| Issue | A writes | B writes | Relation | Gap | Explanation |")
    print("|---|---|---|---|---|---|")
    for key, a, b in rows:
        row = negpos.compare(proposal("A", key, a), proposal("B", key, b)).issue(key)
        gap = "" if row.gap is None else f"{row.gap:.2f}"
        explanation = row.explanation.replace("|", "\\|")
        print(
            f"| `{key}` | `{_written(a)}` | `{_written(b)}` | `{row.relation.value}` "
            f"| {gap} | {explanation} |"
        )
