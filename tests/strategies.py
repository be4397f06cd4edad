"""Hypothesis strategies: random valid proposals drawn from the default codebook.

Text is any text a file can hold (every Unicode character but lone surrogates, which UTF-8
cannot encode), mixed with the strings YAML readers take for something else (``2e9``,
``0o17``, ``no``, ``~``, dates, ``: ``, ``#``, edge spaces ...), so a writer that loses one
is found. Ids are drawn the same way within their patterns (``NO``, ``1e5``, ``0x1F`` are ids).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from negpos.codebook import IssueDefinition, IssueKind, default_codebook
from negpos.model import Proposal

# Party, region and source ids that YAML 1.1 or 1.2 would read as something else when plain.
PARTIES = ("A", "NO", "1e5")
REGIONS = ("north", "0o17")
SOURCE_IDS = ("S1", "2e9", "Yes", "0x1F", "1_000")

# Strings some YAML reader takes for a number, a boolean, null, a date, a merge key, or that
# need quoting for their spaces, indicators or line breaks.
YAML_LOOKALIKES = (
    "2e9", "1e5", "1.5e5", "-.5", "+1", "012", "0o17", "0x1F", "1_000", "1:30", "0b101",
    ".inf", "-.Inf", ".NaN", "yes", "No", "on", "OFF", "y", "n", "Y", "N", "true", "FALSE",
    "null", "Null", "~", "2024-03-04", "2024-03-04 10:00:00", "2024-03-04T10:00:00Z", "=",
    "<<", "- item", "? key", "a: b", "a #b", "#c", "@at", "`tick", "!tag", "&anchor", "*alias",
    "|", ">", "%", " leading", "trailing ", "  ", "'", '"', "\ufeffbom", "a\x85b", "a\u2028b",
    "line\nbreak", "\nlead", "trail\n", "tab\tx", "cr\rlf\r\n", "\x1b[31mred", "\x00nul",
)  # fmt: skip


def _number_text() -> st.SearchStrategy[str]:
    """Numbers as text, in the spellings a YAML 1.1 or 1.2 reader resolves."""
    floats = st.floats(allow_nan=False)
    return st.one_of(
        floats.map(repr),
        floats.map("{:e}".format),
        floats.map("{:g}".format),
        st.integers().map(str),
        st.integers(min_value=0).map(hex),
        st.integers(min_value=0).map(oct),
        st.integers(min_value=0, max_value=10**6).map("{:_}".format),
    )


def texts(*, min_size: int = 0) -> st.SearchStrategy[str]:
    """Any text a proposal file may hold (``min_size=1``: not empty)."""
    return st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), min_size=min_size),
        st.sampled_from(YAML_LOOKALIKES),
        _number_text(),
    ).filter(lambda text: len(text) >= min_size)


# Built once: making a strategy costs far more than drawing from it.
TEXT = texts()
SOME_TEXT = texts(min_size=1)
WORDS = SOME_TEXT.filter(str.strip)  # a text value: something in it but spaces


def _maybe(
    draw: st.DrawFn, field: dict[str, Any], name: str, value: st.SearchStrategy[Any]
) -> None:
    if draw(st.booleans()):
        field[name] = draw(value)


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
        return WORDS
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


CONDITIONS: st.SearchStrategy[Any] = st.one_of(
    SOME_TEXT,
    st.builds(
        lambda text, kind: {"text": text, "kind": kind},
        SOME_TEXT,
        st.sampled_from(default_codebook().allowed_condition_kinds),
    ),
    SOME_TEXT.map(lambda text: {"text": text, "kind": "sequence", "on": "ceasefire.sequencing"}),
)


def _evidence(source: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"source": st.just(source)}, optional={"locator": TEXT, "quote": SOME_TEXT}
    )


@st.composite
def _stance(
    draw: st.DrawFn, definition: IssueDefinition, source: str, *, about_region: bool = False
) -> dict[str, Any]:
    plain = draw(st.integers(0, 3)) > 0
    value = draw(_value(definition)) if plain else draw(_form(definition))
    stance: dict[str, Any] = {"value": value, "sources": [source]}
    if draw(st.booleans()):
        stance["salience"] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    if draw(st.booleans()):
        stance["red_line"] = True
    if draw(st.integers(0, 4)) == 0:
        stance["condition"] = draw(CONDITIONS)
    if draw(st.integers(0, 4)) == 0:
        stance["evidence"] = draw(st.lists(_evidence(source), max_size=2))
    if draw(st.integers(0, 4)) == 0:
        stance["note"] = draw(TEXT)
    if about_region and draw(st.integers(0, 3)) == 0:
        extent = draw(st.sampled_from(["whole", "held", "area"]))
        stance["extent"] = extent
        if extent == "area":
            stance["area"] = draw(SOME_TEXT)
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


def _header(draw: st.DrawFn, proposal_id: str, source: str) -> dict[str, Any]:
    """The fields around the stances, their text drawn from ``texts()``."""
    data: dict[str, Any] = {
        "id": proposal_id,
        "title": draw(SOME_TEXT),
        "date": "2025-01-01",
        "status": "draft",
        "authors": ["A"],
        "parties": [{"id": p, "name": draw(SOME_TEXT), "kind": "state"} for p in PARTIES],
        "regions": [{"id": r, "name": draw(SOME_TEXT)} for r in REGIONS],
        "sources": [
            draw(
                st.fixed_dictionaries(
                    {
                        "id": st.just(source),
                        "publisher": SOME_TEXT,
                        "title": SOME_TEXT,
                    },
                    optional={"quote": TEXT, "note": TEXT},
                )
            )
        ],
    }
    for field in ("label", "note", "speaker", "coder"):
        _maybe(draw, data, field, TEXT)
    _maybe(draw, data["parties"][0], "aliases", st.lists(TEXT, max_size=2))
    return data


def _territory(draw: st.DrawFn, source: str) -> list[dict[str, Any]]:
    territory = []
    for region in REGIONS:
        chosen = draw(st.lists(st.sampled_from(_fields("territory")), unique_by=lambda f: f[0]))
        if chosen:
            section: dict[str, Any] = {
                "region": region,
                **{name: draw(_stance(d, source, about_region=True)) for name, d in chosen},
            }
            if section.get("withdrawal", {}).get("value") == "named_line":
                section["withdrawal_line_name"] = {"value": draw(WORDS), "sources": [source]}
            territory.append(section)
    return territory


def _security(draw: st.DrawFn, source: str) -> list[dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(_fields("security")), unique_by=lambda f: f[0]))
    security = {"party": PARTIES[1], **{name: draw(_stance(d, source)) for name, d in chosen}}
    codebook = default_codebook()
    membership = next(d for d in codebook.issues if d.key.endswith("membership.{organisation}"))
    if draw(st.booleans()):
        security["memberships"] = {PARTIES[2]: draw(_stance(membership, source))}
    return [security]


def _reparations(draw: st.DrawFn, source: str) -> dict[str, Any] | None:
    fields = [
        (d.key.split(".")[1], d)
        for d in default_codebook().issues
        if d.key.startswith("reparations.")
    ]
    chosen = draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f[0]))
    return {name: draw(_stance(d, source)) for name, d in chosen} or None


def _alternatives(
    draw: st.DrawFn, source: str, literal: list[IssueDefinition], taken: set[str]
) -> list[dict[str, Any]]:
    """Two or three packages on issues stated nowhere else."""
    spare = [d for d in literal if d.key not in taken]
    packages = []
    for index in range(draw(st.integers(2, 3))):
        picked = draw(
            st.lists(st.sampled_from(spare), min_size=1, max_size=3, unique_by=lambda d: d.key)
        )
        packages.append(
            {
                "id": f"option-{index + 1}",
                "label": draw(SOME_TEXT),
                "sources": [source],
                "issues": {d.key: draw(_stance(d, source)) for d in picked},
            }
        )
    return packages


@st.composite
def proposal_data(draw: st.DrawFn, proposal_id: str = "p") -> dict[str, Any]:
    source = draw(st.sampled_from(SOURCE_IDS))
    data = _header(draw, proposal_id, source)
    data["territory"] = _territory(draw, source)
    data["security"] = _security(draw, source)
    reparations = _reparations(draw, source)
    if reparations is not None:
        data["reparations"] = reparations
    literal = [d for d in default_codebook().issues if not d.typed]
    chosen_issues = draw(st.lists(st.sampled_from(literal), unique_by=lambda d: d.key, max_size=12))
    data["issues"] = {d.key: draw(_stance(d, source)) for d in chosen_issues}
    if draw(st.integers(0, 3)) == 0:
        data["alternatives"] = _alternatives(draw, source, literal, set(data["issues"]))
    return data


def proposals(proposal_id: str = "p") -> st.SearchStrategy[Proposal]:
    return proposal_data(proposal_id).map(Proposal.model_validate)
