"""Hypothesis strategies: random valid proposals drawn from the default codebook."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from negpos.codebook import IssueDefinition, IssueKind, default_codebook
from negpos.model import Proposal

PARTIES = ("A", "B", "C")
REGIONS = ("north", "south")
WORDS = ("line", "zone", "talks", "guarantee", "border", "council", "monitoring")


def _value(definition: IssueDefinition) -> st.SearchStrategy[Any]:
    kind = definition.kind
    options: tuple[str, ...] = PARTIES if definition.values_from == "parties" else definition.values
    if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
        return st.sampled_from(options)
    if kind == IssueKind.SET:
        items = options + ((definition.universal,) if definition.universal else ())
        return st.lists(st.sampled_from(items), unique=True, max_size=len(items))
    if kind == IssueKind.BOOLEAN:
        return st.booleans()
    if kind == IssueKind.TEXT:
        return st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
    low, high = (
        (0.0, 1e6) if definition.range is None else (definition.range.min, definition.range.max)
    )
    return st.floats(min_value=low, max_value=high, allow_nan=False).map(lambda x: round(x, 2))


def _form(definition: IssueDefinition) -> st.SearchStrategy[Any]:
    """The forms a text takes besides a plain value: unstated, exclusions, open and relative sets."""
    kind = definition.kind
    options: tuple[str, ...] = PARTIES if definition.values_from == "parties" else definition.values
    forms: list[st.SearchStrategy[Any]] = [st.just("unspecified")]
    if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
        most = max(1, len(options) - 1)  # an exclusion leaves at least one value open
        forms.append(
            st.lists(st.sampled_from(options), min_size=1, max_size=most, unique=True).map(
                lambda items: {"not": items}
            )
        )
    if kind == IssueKind.SET and options:
        items = st.lists(st.sampled_from(options), min_size=1, max_size=len(options), unique=True)
        forms.append(items.map(lambda chosen: {"including": chosen}))
        if definition.universal:
            forms.append(items.map(lambda chosen: {"all_except": chosen}))
    return st.one_of(forms)


CONDITIONS = (
    "if approved by a referendum",
    {"text": "once ratified", "kind": "ratification"},
    {"text": "after the ceasefire", "kind": "sequence", "on": "ceasefire.sequencing"},
)


@st.composite
def _stance(
    draw: st.DrawFn, definition: IssueDefinition, *, about_region: bool = False
) -> dict[str, Any]:
    plain = draw(st.integers(0, 3)) > 0
    value = draw(_value(definition)) if plain else draw(_form(definition))
    stance: dict[str, Any] = {"value": value, "sources": ["S1"]}
    if draw(st.booleans()):
        stance["salience"] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    if draw(st.booleans()):
        stance["red_line"] = True
    if draw(st.integers(0, 4)) == 0:
        stance["condition"] = draw(st.sampled_from(CONDITIONS))
    if about_region and draw(st.integers(0, 3)) == 0:
        extent = draw(st.sampled_from(["whole", "held", "area"]))
        stance["extent"] = extent
        if extent == "area":
            stance["area"] = draw(st.sampled_from(["the north bank", "certain districts"]))
    if definition.kind == IssueKind.NUMBER:
        if draw(st.booleans()):
            stance["bound"] = draw(st.sampled_from(["max", "min", "exact"]))
        if draw(st.booleans()):
            low = draw(_value(definition))
            stance["acceptable"] = {"min": low, "max": low + draw(st.floats(0, 1000))}
    elif draw(st.integers(0, 3)) == 0:
        stance["acceptable"] = draw(st.lists(_value(definition), max_size=2))
    return stance


def _fields(prefix: str) -> list[tuple[str, IssueDefinition]]:
    """Typed fields of one section, from the codebook's templates (the line name is added
    only where a withdrawal is to a named line)."""
    found = []
    for definition in default_codebook().issues:
        parts = definition.key.split(".")
        if (
            definition.typed
            and parts[0] == prefix
            and len(parts) == 3
            and parts[2] != "withdrawal_line_name"
        ):
            found.append((parts[2], definition))
    return found


@st.composite
def proposal_data(draw: st.DrawFn, proposal_id: str = "p") -> dict[str, Any]:
    codebook = default_codebook()
    data: dict[str, Any] = {
        "id": proposal_id,
        "title": f"Proposal {proposal_id}",
        "date": "2025-01-01",
        "status": "draft",
        "authors": ["A"],
        "parties": [{"id": p, "name": f"Party {p}", "kind": "state"} for p in PARTIES],
        "regions": [{"id": r, "name": r.title()} for r in REGIONS],
        "sources": [{"id": "S1", "publisher": "P", "title": "T"}],
    }
    territory = []
    for region in REGIONS:
        chosen = draw(st.lists(st.sampled_from(_fields("territory")), unique_by=lambda f: f[0]))
        if chosen:
            section: dict[str, Any] = {
                "region": region,
                **{name: draw(_stance(d, about_region=True)) for name, d in chosen},
            }
            if section.get("withdrawal", {}).get("value") == "named_line":
                section["withdrawal_line_name"] = {"value": "the river", "sources": ["S1"]}
            territory.append(section)
    data["territory"] = territory
    security_fields = _fields("security")
    chosen = draw(st.lists(st.sampled_from(security_fields), unique_by=lambda f: f[0]))
    security: dict[str, Any] = {"party": "B", **{name: draw(_stance(d)) for name, d in chosen}}
    membership = next(d for d in codebook.issues if d.key.endswith("membership.{organisation}"))
    if draw(st.booleans()):
        security["memberships"] = {"C": draw(_stance(membership))}
    data["security"] = [security]
    reparation_fields = [
        (d.key.split(".")[1], d) for d in codebook.issues if d.key.startswith("reparations.")
    ]
    chosen = draw(st.lists(st.sampled_from(reparation_fields), unique_by=lambda f: f[0]))
    if chosen:
        data["reparations"] = {name: draw(_stance(d)) for name, d in chosen}
    literal = [d for d in codebook.issues if not d.typed]
    chosen_issues = draw(st.lists(st.sampled_from(literal), unique_by=lambda d: d.key, max_size=12))
    data["issues"] = {d.key: draw(_stance(d)) for d in chosen_issues}
    if draw(st.integers(0, 3)) == 0:  # two or three alternative packages on other issues
        spare = [d for d in literal if d.key not in data["issues"]]
        packages = []
        for index in range(draw(st.integers(2, 3))):
            picked = draw(
                st.lists(st.sampled_from(spare), min_size=1, max_size=3, unique_by=lambda d: d.key)
            )
            packages.append(
                {
                    "id": f"option-{index + 1}",
                    "label": f"package {index + 1}",
                    "sources": ["S1"],
                    "issues": {d.key: draw(_stance(d)) for d in picked},
                }
            )
        data["alternatives"] = packages
    return data


def proposals(proposal_id: str = "p") -> st.SearchStrategy[Proposal]:
    return proposal_data(proposal_id).map(Proposal.model_validate)
