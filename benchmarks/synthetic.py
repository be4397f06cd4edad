"""Synthetic corpora for the benchmarks: a codebook of K issues and N valid proposals.

Real corpora are a handful of proposals; measuring the engine at scale needs many, with
every kind of issue represented so no code path is skipped. Everything is drawn from
``random.Random(seed)``, so a seed always gives the same corpus (and the same timings'
inputs from run to run). ``compared_data`` is what the generic differs are given: the part of
a proposal negpos compares, nothing more.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import negpos
from negpos.codebook import IssueKind
from negpos.files import to_data

__all__ = [
    "PARTIES",
    "WORDS",
    "compared_data",
    "iter_synthetic_proposals",
    "synthetic_codebook",
    "synthetic_proposal_data",
    "synthetic_proposals",
    "write_corpus",
]

PARTIES = ("AA", "BB", "CC", "DD", "EE")
# A small vocabulary keeps text values overlapping, as real wordings of one clause do.
WORDS = (
    "line",
    "zone",
    "talks",
    "guarantee",
    "border",
    "council",
    "monitoring",
    "withdrawal",
    "joint",
    "commission",
    "phased",
    "observers",
)
CATEGORIES = ("alpha", "beta", "gamma", "delta")
COVERAGE = 0.8  # share of the codebook's issues each proposal addresses

_CATEGORICAL = ("north", "south", "east", "west", "centre")
_ORDINAL = ("none", "low", "medium", "high", "full")
_ITEMS = ("apples", "bread", "coal", "diesel", "eggs", "flour")
_UNIVERSAL = "everything"

# One flavour per issue kind and variant; issue i gets flavour i mod len(_FLAVOURS).
_FLAVOURS: tuple[dict[str, Any], ...] = (
    {"kind": "categorical", "values": list(_CATEGORICAL)},
    {"kind": "ordinal", "values": list(_ORDINAL), "poles": [["none", "low"], ["high", "full"]]},
    {"kind": "number", "unit": "days", "range": {"min": 0, "max": 1000}},
    {"kind": "set", "values": list(_ITEMS), "universal": _UNIVERSAL},
    {"kind": "boolean"},
    {"kind": "text"},
    {"kind": "categorical", "values_from": "parties"},
    {"kind": "ordinal", "values": list(_ORDINAL)},
    {"kind": "number", "unit": "USD"},
    {"kind": "set", "values": list(_ITEMS)},
)


def _key(index: int) -> str:
    return f"synthetic.issue_{index:02d}"


def synthetic_codebook(k: int) -> negpos.Codebook:
    """A codebook of ``k`` issues cycling through every kind, spread over four categories."""
    if k < 1:
        raise ValueError("a codebook needs at least one issue")
    issues = [
        {
            "key": _key(i),
            "label": f"Synthetic issue {i}",
            "category": CATEGORIES[i % len(CATEGORIES)],
            **_FLAVOURS[i % len(_FLAVOURS)],
        }
        for i in range(k)
    ]
    return negpos.Codebook.model_validate(
        {
            "name": f"synthetic codebook ({k} issues)",
            "categories": [{"id": c, "label": c.title()} for c in CATEGORIES],
            "issues": issues,
        }
    )


def _value(definition: negpos.IssueDefinition, rng: random.Random) -> Any:
    """A random valid value for one issue, as a proposal file writes it."""
    kind = definition.kind
    if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
        options = PARTIES if definition.values_from == "parties" else definition.values
        return rng.choice(options)
    if kind == IssueKind.SET:
        if definition.universal is not None and rng.random() < 0.15:
            return [definition.universal]
        return sorted(rng.sample(definition.values, rng.randint(0, 4)))
    if kind == IssueKind.BOOLEAN:
        return rng.random() < 0.5
    if kind == IssueKind.TEXT:
        return " ".join(rng.choices(WORDS, k=rng.randint(2, 5)))
    if definition.range is not None:
        return float(rng.randint(0, 1000))
    return float(rng.choice((0, 1, 5, 10, 50, 100, 500, 1000)) * rng.randint(1, 9))


def _stance(definition: negpos.IssueDefinition, rng: random.Random, sources: list[str]) -> Any:
    stance: dict[str, Any] = {
        "value": _value(definition, rng),
        "sources": sorted(rng.sample(sources, rng.randint(1, len(sources)))),
    }
    if rng.random() < 0.3:
        stance["salience"] = round(rng.random(), 2)
    if rng.random() < 0.05:
        stance["red_line"] = True
    if rng.random() < 0.1:
        if definition.kind == IssueKind.NUMBER:
            low = float(stance["value"])
            high = low + rng.randint(0, 200)
            if definition.range is not None:
                high = min(high, definition.range.max or high)
            stance["acceptable"] = {"min": low, "max": high}
        elif definition.kind != IssueKind.TEXT:
            stance["acceptable"] = [_value(definition, rng) for _ in range(rng.randint(1, 2))]
    return stance


def synthetic_proposal_data(
    index: int, codebook: negpos.Codebook, rng: random.Random
) -> dict[str, Any]:
    """One proposal as plain data (what a YAML file holds), before validation."""
    source_ids = [f"S{i}" for i in range(1, rng.randint(1, 3) + 1)]
    chosen = [d for d in codebook.issues if rng.random() < COVERAGE]
    authors = rng.sample(PARTIES, rng.randint(1, 2))
    return {
        "id": f"p{index:05d}",
        "title": f"Synthetic proposal {index}",
        "label": f"P{index}",
        "date": (dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))).isoformat(),
        "status": rng.choice(("official", "reported", "leaked", "draft")),
        "authors": authors,
        "addressees": [p for p in PARTIES if p not in authors][:2],
        "parties": [{"id": p, "name": f"Party {p}", "kind": "state"} for p in PARTIES],
        "sources": [
            {"id": s, "publisher": f"Publisher {s}", "title": f"Report {s} on proposal {index}"}
            for s in source_ids
        ],
        "issues": {d.key: _stance(d, rng, source_ids) for d in chosen},
    }


def iter_synthetic_proposals(n: int, k: int, seed: int) -> Iterator[negpos.Proposal]:
    """``synthetic_proposals`` one at a time, so a large corpus can be written to files
    without holding it all in memory. The first m of n are the m of ``synthetic_proposals(m,
    k, seed)``: a smaller corpus is a prefix of a larger one with the same seed."""
    rng = random.Random(seed)
    codebook = synthetic_codebook(k)
    for i in range(n):
        yield negpos.Proposal.model_validate(
            synthetic_proposal_data(i, codebook, rng), context={"codebook": codebook}
        )


def synthetic_proposals(n: int, k: int, seed: int) -> list[negpos.Proposal]:
    """``n`` valid proposals over ``synthetic_codebook(k)``, the same ones for the same seed."""
    return list(iter_synthetic_proposals(n, k, seed))


# The parts of a proposal file that hold stances (every other top-level field is about the
# document: its id, title, date, status, authors, parties, regions, sources and note).
STANCE_SECTIONS = ("territory", "security", "reparations", "issues", "alternatives")
# What a stance or a section carries about where it comes from or how to read it: shown
# beside a comparison, never compared.
PROVENANCE = frozenset({"sources", "evidence", "note"})


def compared_data(proposal: negpos.Proposal) -> dict[str, Any]:
    """The data negpos compares, as plain data: the stance sections of the proposal's dump
    (``negpos.files.to_data``) without sources, evidence, notes and the labels of
    alternatives. Values, units, bounds, acceptable values, salience, red lines, conditions,
    extents, areas and bases stay, because the comparison reads them. This is what DeepDiff
    and dictdiffer are given, so that each tool gets the same data."""
    data = to_data(proposal)
    kept: dict[str, Any] = {}
    for section in STANCE_SECTIONS:
        if section not in data:
            continue
        value = _without_provenance(data[section])
        if section == "alternatives":
            value = [{k: v for k, v in item.items() if k != "label"} for item in value]
        kept[section] = value
    return kept


def _without_provenance(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_provenance(v) for k, v in data.items() if k not in PROVENANCE}
    if isinstance(data, list):
        return [_without_provenance(item) for item in data]
    return data


def write_corpus(directory: str | Path, proposals: Iterable[negpos.Proposal]) -> list[Path]:
    """Write each proposal to ``directory/<id>.yaml``; return the paths written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [negpos.dump(p, folder / f"{p.id}.yaml") for p in proposals]
