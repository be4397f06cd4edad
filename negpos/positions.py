"""The flat issue-position core: one position per issue key, the form the engine computes on.

The typed model is for writing proposals; this form is for computing with them. Each
position carries its issue definition, a normalised value (a category as text, a figure,
a frozen set of items, a yes/no), its evidence and weight, and the text a reader sees.
Research code can use it directly: ``positions_of(p).to_records()`` is one dict per issue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from negpos.codebook import Codebook, IssueDefinition, IssueKind
from negpos.model import (
    UNSPECIFIED,
    AllExcept,
    Basis,
    Condition,
    Excluding,
    Including,
    KeyedStance,
    NumberStance,
    Proposal,
    Source,
)
from negpos.model.frozen import FrozenDict
from negpos.values import NumberRange, Quantity, format_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "STANCE_COLUMNS",
    "STANCE_SCHEMA",
    "UNSTATED",
    "AlternativePositions",
    "AnyBut",
    "AtLeast",
    "Citation",
    "EveryoneBut",
    "Position",
    "PositionSet",
    "PositionValue",
    "StanceColumn",
    "Unstated",
    "clear_compiled_positions",
    "figure_of",
    "positions_of",
    "stance_frame",
    "stance_record",
    "text_dtype",
    "value_cell",
]


@dataclass(frozen=True, slots=True)
class Unstated:
    """The text addresses the issue but states no level, figure or list (``unspecified``)."""

    def __repr__(self) -> str:
        return "UNSTATED"


UNSTATED = Unstated()


@dataclass(frozen=True, slots=True)
class AnyBut:
    """Any value of the issue except these (``{not: [...]}``)."""

    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class AtLeast:
    """An open list: these items, and perhaps more (``{including: [...]}``)."""

    items: frozenset[str]


@dataclass(frozen=True, slots=True)
class EveryoneBut:
    """Everyone except these items (``{all_except: [...]}``)."""

    items: frozenset[str]


PlainValue = str | bool | float | frozenset[str]
PositionValue = PlainValue | Unstated | AnyBut | AtLeast | EveryoneBut
Acceptable = frozenset[PlainValue] | NumberRange


@dataclass(frozen=True, slots=True)
class Position:
    """One side's stance on one issue, normalised for comparison."""

    key: str
    definition: IssueDefinition
    label: str
    category: str
    subject: str
    order: tuple[int, str, int]
    value: PositionValue
    unit: str | None
    acceptable: Acceptable | None
    salience: float | None
    red_line: bool
    condition: Condition | None
    note: str | None
    sources: tuple[Source, ...]
    text: str
    party_names: Mapping[str, str]
    sort_key: tuple[tuple[int, str, int], str]  # reading order: (order, key)
    bound: str | None = None  # number issues: max, min or exact
    extent: str | None = None  # stances about a region: whole, held or area
    area: str | None = None
    alternative: str | None = None  # id of the alternative package it belongs to
    alternative_label: str | None = None
    evidence: tuple[Citation, ...] = ()
    basis: str = "reported"  # stated, reported or inferred
    red_line_basis: str | None = None
    salience_basis: str | None = None

    @property
    def kind(self) -> IssueKind:
        return self.definition.kind

    @property
    def extent_text(self) -> str | None:
        """Which part of the region the stance is about, for a reader; None for the whole."""
        if self.extent is None or self.extent == "whole":
            return None
        if self.area:
            return self.area
        return "the part held at present"

    @property
    def condition_text(self) -> str | None:
        """The condition as a reader reads it, its kind in brackets unless ``other``."""
        if self.condition is None:
            return None
        kind = "" if self.condition.kind == "other" else f" ({self.condition.kind})"
        return f"{self.condition.text}{kind}"

    def describe(self, *, red_line: bool = False, condition: bool = True) -> str:
        """The value with the part of a region, the condition and the alternative it comes
        with, in the document's words: how every table cell and explanation shows a stance."""
        text = self.text
        if self.extent_text:
            text += f" [{self.extent_text}]"
        if self.basis == "inferred":
            text += " (inferred)"
        if red_line and self.red_line:
            text += " (red line, inferred)" if self.red_line_basis == "inferred" else " (red line)"
        if condition and self.condition_text:
            text += f"; condition: {self.condition_text}"
        if self.alternative:
            text += f"; in alternative {self.in_alternative}"
        return text

    @property
    def in_alternative(self) -> str | None:
        """``option-1 (the withdrawal begins)``: the alternative it belongs to, for a reader."""
        if self.alternative is None:
            return None
        return f"{self.alternative} ({self.alternative_label})"


@dataclass(frozen=True, slots=True)
class Citation:
    """One piece of a stance's evidence: the source, where in it, and its words."""

    source: Source
    locator: str | None
    quote: str | None


@dataclass(frozen=True, slots=True)
class AlternativePositions:
    """The positions of one alternative package of a proposal."""

    id: str
    label: str
    positions: Mapping[str, Position]

    def __post_init__(self) -> None:
        _freeze(self, "positions")


@dataclass(frozen=True, slots=True)
class PositionSet(Mapping[str, Position]):
    """All positions of one proposal, keyed by issue and in reading order."""

    proposal_id: str
    title: str
    label: str
    date: dt.date
    status: str
    codebook: Codebook
    sources: tuple[Source, ...]
    positions: Mapping[str, Position]
    sort_keys: Mapping[str, tuple[tuple[int, str, int], str]]
    alternatives: tuple[AlternativePositions, ...] = ()
    form: str | None = None  # how the terms are known: text, statement, leak or report
    speaker: str | None = None
    authors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "positions")
        _freeze(self, "sort_keys")

    def candidates(self, key: str) -> tuple[Position, ...]:
        """The stances the proposal offers on an issue: its own, or one per alternative that
        states it (empty when it is silent)."""
        position = self.positions.get(key)
        if position is not None:
            return (position,)
        return tuple(a.positions[key] for a in self.alternatives if key in a.positions)

    def alternative_sort_keys(self) -> dict[str, tuple[tuple[int, str, int], str]]:
        """Reading order of the issues stated only in alternatives."""
        found: dict[str, tuple[tuple[int, str, int], str]] = {}
        for alternative in self.alternatives:
            for key, position in alternative.positions.items():
                found.setdefault(key, position.sort_key)
        return found

    def without_inferred(self) -> PositionSet:
        """The positions with the coder's inferences left out: stances inferred are dropped,
        inferred red lines are no red lines, inferred saliences are unstated."""

        def kept(positions: Mapping[str, Position]) -> dict[str, Position]:
            return {
                key: _without_inferred_judgements(p)
                for key, p in positions.items()
                if p.basis != "inferred"
            }

        alternatives = tuple(
            dataclasses.replace(a, positions=kept(a.positions)) for a in self.alternatives
        )
        positions = kept(self.positions)
        return dataclasses.replace(
            self,
            positions=positions,
            sort_keys={key: p.sort_key for key, p in positions.items()},
            alternatives=tuple(a for a in alternatives if a.positions),
        )

    def with_alternative(self, alternative_id: str) -> PositionSet:
        """The proposal as if it offered only this alternative: its terms plus the package's."""
        for alternative in self.alternatives:
            if alternative.id == alternative_id:
                merged = {**self.positions, **alternative.positions}
                ordered = sorted(merged.values(), key=lambda p: p.sort_key)
                return dataclasses.replace(
                    self,
                    label=f"{self.label} [{alternative.id}]",
                    positions={p.key: p for p in ordered},
                    sort_keys={p.key: p.sort_key for p in ordered},
                    alternatives=(),
                )
        raise KeyError(f"{self.proposal_id} has no alternative {alternative_id!r}")

    def __getitem__(self, key: str) -> Position:
        return self.positions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per position, the alternatives' included: the long form of
        ``STANCE_COLUMNS`` (see ``STANCE_SCHEMA``), the same rows ``Corpus.stances()`` has."""
        return [stance_record(self, p) for p in self.all_positions()]

    def to_frame(self) -> pd.DataFrame:
        """``to_records()`` as a DataFrame, each column of its ``STANCE_SCHEMA`` dtype."""
        return stance_frame(self.to_records())

    def all_positions(self) -> list[Position]:
        """Every position, the alternatives' after the proposal's own, in reading order each."""
        found = list(self.positions.values())
        for alternative in self.alternatives:
            found += alternative.positions.values()
        return found


# ------------------------------------------------------------------ the long form


class StanceColumn(NamedTuple):
    """One column of the long form of stances: its name, its type, whether a row may lack a
    value, and what it holds."""

    name: str
    dtype: Literal["string", "date", "float64", "bool"]
    nullable: bool
    meaning: str


def _string(name: str, meaning: str, *, nullable: bool = False) -> StanceColumn:
    return StanceColumn(name, "string", nullable, meaning)


STANCE_SCHEMA: tuple[StanceColumn, ...] = (
    _string("proposal", "The proposal's id."),
    _string("proposal_label", "Its display label: its `label`, else its title."),
    StanceColumn("date", "date", False, "The proposal's date."),
    _string("status", "official, reported, leaked, draft, agreed or signed."),
    _string("form", "text, statement, leak or report; missing where not stated.", nullable=True),
    _string("speaker", "Who voiced the terms; missing where not stated.", nullable=True),
    _string("authors", "The ids of the parties that made it, joined by `;`."),
    _string("category", "The issue's category id, e.g. `territory`."),
    _string("issue", "The issue key, e.g. `security.UA.membership.NATO`."),
    _string("label", "The issue's label, with region and party names filled in."),
    _string("kind", "categorical, ordinal, number, set, boolean or text."),
    _string(
        "value_form",
        "How the text states the stance: `value` (a plain value), `unspecified` (addressed, no "
        "value stated), or `not`, `including`, `all_except` (the items in `value`).",
    ),
    _string(
        "value",
        "The stance as data, in one cell: a category, level or party id; the words of a text "
        "issue; `true` or `false`; a figure (`40000`, `2.5`); items sorted and joined by `;` "
        "(a set, and the items of `not`, `including`, `all_except`; an empty set is an empty "
        "text). Missing where `unspecified`.",
        nullable=True,
    ),
    StanceColumn(
        "number", "float64", True, "Number issues: the figure; missing otherwise and when unstated."
    ),
    _string("unit", "Number issues: the figure's unit; missing otherwise.", nullable=True),
    _string("bound", "Number issues: max, min or exact; missing otherwise.", nullable=True),
    _string("text", "The stance as a reader reads it: labels, party names, units, bounds."),
    _string("basis", "stated, reported or inferred, after inheritance and the default."),
    StanceColumn("salience", "float64", True, "0 to 1; missing where stated nowhere."),
    _string(
        "salience_basis", "stated, reported or inferred; missing without a salience.", nullable=True
    ),
    StanceColumn("red_line", "bool", False, "Whether the stance is a red line."),
    _string(
        "red_line_basis", "stated, reported or inferred; missing where no red line.", nullable=True
    ),
    _string(
        "condition", "The condition, in the document's words; missing without one.", nullable=True
    ),
    _string("condition_kind", "The condition's kind; missing without one.", nullable=True),
    _string("condition_on", "The issue key the condition refers to, where given.", nullable=True),
    _string(
        "extent", "Stances about a region: whole, held or area; missing otherwise.", nullable=True
    ),
    _string("area", "Stances about a region: the part meant, in words.", nullable=True),
    _string(
        "alternative",
        "The id of the alternative package the stance belongs to; missing for the proposal's "
        "own stances.",
        nullable=True,
    ),
    _string("note", "The stance's own note; missing without one.", nullable=True),
    _string("source_ids", "The ids of the sources cited, joined by `;`."),
    _string("sources", "The sources cited, as full citations joined by `; `."),
    _string(
        "locators",
        "Where in its sources the stance is found (`point 21`), joined by `; `; empty without.",
    ),
)
"""The long form of stances: one row per proposal × issue it addresses (an alternative adds
one row per issue it states). ``PositionSet.to_records()`` and ``Corpus.stances()`` give these
columns, in this order; the frames give each column its dtype (``string``: pandas' text dtype;
``date``: ``datetime64[ns]``; ``float64``; ``bool``), the records JSON-ready values (a date as
``YYYY-MM-DD`` text, ``None`` for a missing value)."""

STANCE_COLUMNS: tuple[str, ...] = tuple(column.name for column in STANCE_SCHEMA)

ITEM_SEPARATOR = ";"  # between ids and codebook items, which are written without spaces
TEXT_SEPARATOR = "; "  # between citations and locators, which are text


def stance_record(positions: PositionSet, position: Position) -> dict[str, Any]:
    """One row of the long form: the position ``position`` of ``positions``."""
    form, value = value_form(position.value)
    condition = position.condition
    return {
        "proposal": positions.proposal_id,
        "proposal_label": positions.label,
        "date": positions.date.isoformat(),
        "status": positions.status,
        "form": positions.form,
        "speaker": positions.speaker,
        "authors": ITEM_SEPARATOR.join(positions.authors),
        "category": position.category,
        "issue": position.key,
        "label": position.label,
        "kind": position.kind.value,
        "value_form": form,
        "value": _value_cell(value),
        "number": figure_of(position.value),
        "unit": position.unit,
        "bound": position.bound,
        "text": position.text,
        "basis": position.basis,
        "salience": position.salience,
        "salience_basis": position.salience_basis,
        "red_line": position.red_line,
        "red_line_basis": position.red_line_basis,
        "condition": None if condition is None else condition.text,
        "condition_kind": None if condition is None else condition.kind,
        "condition_on": None if condition is None else condition.on,
        "extent": position.extent,
        "area": position.area,
        "alternative": position.alternative,
        "note": position.note,
        "source_ids": ITEM_SEPARATOR.join(s.id for s in position.sources),
        "sources": TEXT_SEPARATOR.join(s.citation() for s in position.sources),
        "locators": TEXT_SEPARATOR.join(e.locator for e in position.evidence if e.locator),
    }


def value_cell(value: PositionValue) -> str | None:
    """A value as the long form's ``value`` cell: items sorted and joined by ``;``, a yes/no
    as ``true``/``false``, a figure as written (``40000``, ``2.5``); ``None`` if unstated."""
    return _value_cell(value_form(value)[1])


def figure_of(value: PositionValue) -> float | None:
    """The figure of a number stance; ``None`` for every other value."""
    return value if isinstance(value, float) else None


def _value_cell(value: PlainValue | list[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)  # 40000, 2.5, 1e-05
    return ITEM_SEPARATOR.join(sorted(value))


def stance_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records of the long form as a DataFrame with ``STANCE_COLUMNS``, each column of its
    ``STANCE_SCHEMA`` dtype whatever the rows hold (all missing, or none at all)."""
    import pandas as pd

    text = text_dtype()
    columns: dict[str, Any] = {}
    for column in STANCE_SCHEMA:
        values = [record[column.name] for record in records]
        if column.dtype == "date":
            columns[column.name] = pd.to_datetime(pd.Series(values, dtype=text)).astype(
                "datetime64[ns]"
            )
        elif column.dtype == "string":
            columns[column.name] = pd.Series(values, dtype=text)
        else:
            columns[column.name] = pd.Series(values, dtype=column.dtype)
    return pd.DataFrame(columns, columns=list(STANCE_COLUMNS))


def text_dtype() -> str:
    """pandas' text dtype: ``str`` from pandas 3, ``string`` before (where ``str`` would write
    a missing value as the text ``None``)."""
    import pandas as pd

    return "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"


def _freeze(owner: object, name: str) -> None:
    """Make a mapping attribute of a frozen dataclass read-only (a copy, unless it is already):
    position sets are shared by every caller of ``positions_of``."""
    mapping = getattr(owner, name)
    if not isinstance(mapping, FrozenDict):
        object.__setattr__(owner, name, FrozenDict(mapping))


def value_form(value: PositionValue) -> tuple[str, PlainValue | list[str] | None]:
    """How a text states a value (``value``, ``unspecified``, ``not``, ``including`` or
    ``all_except``) and the value or sorted items it states."""
    if isinstance(value, Unstated):
        return UNSPECIFIED, None
    if isinstance(value, AnyBut):
        return "not", sorted(value.values)
    if isinstance(value, AtLeast):
        return "including", sorted(value.items)
    if isinstance(value, EveryoneBut):
        return "all_except", sorted(value.items)
    if isinstance(value, frozenset):
        return "value", sorted(value)
    return "value", value


def _without_inferred_judgements(position: Position) -> Position:
    changes: dict[str, Any] = {}
    if position.red_line_basis == "inferred":
        changes.update(red_line=False, red_line_basis=None)
    if position.salience_basis == "inferred":
        changes.update(salience=None, salience_basis=None)
    return dataclasses.replace(position, **changes) if changes else position


def plain_value(value: PositionValue) -> Any:
    """A value as JSON-ready data, in the shape a proposal file writes it."""
    form, stated = value_form(value)
    if form == "value":
        return stated
    return UNSPECIFIED if stated is None else {form: stated}


class _CompiledPositions:
    """Position sets by proposal *identity*, each kept only while its proposal lives.

    An entry is found only for the very object it was made from (its weak reference must
    lead back to it), so neither an equal proposal, nor a copy (``model_copy``, ``replace``,
    a pickle), nor a new object that happens to reuse a collected one's ``id()`` can get
    another proposal's positions. A proposal cannot change after validation (its fields are
    frozen, ``issues`` a read-only mapping), so an entry never goes stale; and the positions
    handed out are read-only too, so no caller can change what the next one gets.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Proposal], PositionSet]] = {}

    def get(self, proposal: Proposal) -> PositionSet | None:
        entry = self._entries.get(id(proposal))
        if entry is None or entry[0]() is not proposal:
            return None
        return entry[1]

    def put(self, proposal: Proposal, positions: PositionSet) -> None:
        key = id(proposal)
        entries = self._entries

        def forget(ref: weakref.ref[Proposal]) -> None:
            entry = entries.get(key)
            if entry is not None and entry[0] is ref:  # never a newer proposal's entry
                del entries[key]

        entries[key] = (weakref.ref(proposal, forget), positions)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_COMPILED = _CompiledPositions()


def positions_of(proposal: Proposal) -> PositionSet:
    """Compile a proposal into its flat positions (once per proposal object, then reused:
    compiling costs about 1.5 ms per proposal of 60 issues, a repeated call a dictionary
    lookup)."""
    compiled = _COMPILED.get(proposal)
    if compiled is None:
        compiled = _compile(proposal)
        _COMPILED.put(proposal, compiled)
    return compiled


def clear_compiled_positions() -> None:
    """Forget every compiled position set (for benchmarks of the cold path)."""
    _COMPILED.clear()


class _Issues:
    """What compiling needs of a codebook, gathered once per proposal instead of once per
    stance: its resolver, each issue's place in the codebook, the categories' order. A local
    of one compile, never kept."""

    __slots__ = ("category_order", "codebook", "no_category", "rank", "resolve")

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.resolve = codebook.resolver()
        self.rank = {d.key: index for index, d in enumerate(codebook.issues)}
        self.category_order = codebook.category_order
        self.no_category = len(codebook.categories)


def _compile(proposal: Proposal) -> PositionSet:
    codebook = proposal.codebook
    issues = _Issues(codebook)
    sources = {s.id: s for s in proposal.sources}
    party_names = FrozenDict({p.id: p.name for p in proposal.parties})

    def compile_all(
        stances: list[KeyedStance], alternative: tuple[str, str] | None
    ) -> dict[str, Position]:
        compiled = [
            _position(proposal, keyed, issues, sources, party_names, alternative)
            for keyed in stances
        ]
        compiled.sort(key=_sort_key)
        return {p.key: p for p in compiled}

    positions = compile_all(proposal.keyed_stances(), None)
    alternatives = tuple(
        AlternativePositions(
            id=alternative.id,
            label=alternative.label,
            positions=compile_all(
                alternative.keyed_stances(("alternatives", index)),
                (alternative.id, alternative.label),
            ),
        )
        for index, alternative in enumerate(proposal.alternatives)
    )
    return PositionSet(
        proposal_id=proposal.id,
        title=proposal.title,
        label=proposal.display_label,
        date=proposal.date,
        status=proposal.status.value,
        form=None if proposal.form is None else proposal.form.value,
        speaker=proposal.speaker,
        authors=proposal.authors,
        codebook=codebook,
        sources=proposal.sources,
        positions=positions,
        sort_keys={key: p.sort_key for key, p in positions.items()},
        alternatives=alternatives,
    )


def _sort_key(position: Position) -> tuple[tuple[int, str, int], str]:
    return position.sort_key


def _position(
    proposal: Proposal,
    keyed: KeyedStance,
    issues: _Issues,
    sources: dict[str, Source],
    party_names: FrozenDict[str, str],
    alternative: tuple[str, str] | None,
) -> Position:
    resolved = issues.resolve(keyed.key)
    if resolved is None:  # validation guarantees a match; keep the engine honest anyway
        raise KeyError(f"{proposal.id}: no codebook entry for {keyed.key!r}")
    definition = resolved.definition
    bindings = resolved.bindings
    if bindings:
        names = {name: _subject_name(proposal, name, bound) for name, bound in bindings.items()}
        label = definition.label_for(names)
        subject_id = next(iter(bindings.values()))
    else:
        label, subject_id = definition.label, ""  # label_for({}) is the label
    value, unit = _normalise(keyed, definition)
    names_of_parties = party_names if definition.values_from == "parties" else _NO_NAMES
    order = (
        issues.category_order.get(definition.category, issues.no_category),
        subject_id,
        issues.rank[definition.key],
    )
    bound = None
    if definition.kind == IssueKind.NUMBER:
        written = getattr(keyed.stance, "bound", None)
        bound = str(written.value if written is not None else definition.bound)
    about_region = "region" in bindings
    inherited = keyed.inherited()
    extent = inherited.extent
    return Position(
        key=keyed.key,
        definition=definition,
        label=label,
        category=definition.category,
        subject=subject_id,
        order=order,
        value=value,
        unit=unit,
        acceptable=None if keyed.stance.acceptable is None else _acceptable(keyed, definition),
        salience=inherited.salience,
        red_line=inherited.red_line,
        condition=inherited.condition,
        note=keyed.stance.note,
        sources=tuple([sources[i] for i in inherited.sources]),
        text=value_text(definition, value, unit, names_of_parties, bound),
        party_names=names_of_parties,
        sort_key=(order, keyed.key),
        bound=bound,
        extent=(extent.value if extent is not None else "whole") if about_region else None,
        area=inherited.area if about_region else None,
        alternative=alternative[0] if alternative else None,
        alternative_label=alternative[1] if alternative else None,
        evidence=tuple(
            [Citation(sources[e.source], e.locator, e.quote) for e in inherited.evidence]
        ),
        basis=_BASIS_TEXT[inherited.basis],
        red_line_basis=None
        if inherited.red_line_basis is None
        else _BASIS_TEXT[inherited.red_line_basis],
        salience_basis=None
        if inherited.salience_basis is None
        else _BASIS_TEXT[inherited.salience_basis],
    )


_NO_NAMES: FrozenDict[str, str] = FrozenDict()
_LISTED_OR_NUMBER = frozenset({IssueKind.SET, IssueKind.NUMBER})  # kinds a str, bool is not as-is
_BASIS_TEXT = {basis: basis.value for basis in Basis}  # ``.value`` of an enum is slow


def _subject_name(proposal: Proposal, placeholder: str, bound: str) -> str:
    if placeholder == "region":
        region = proposal.region(bound)
        return region.name if region else bound
    party = proposal.party(bound)
    return party.name if party else bound


def _normalise(keyed: KeyedStance, definition: IssueDefinition) -> tuple[PositionValue, str | None]:
    """The value as the engine compares it, and its unit: the common plain values told
    apart by their exact type first, everything else by the rules in ``_normalise_any``."""
    raw = keyed.stance.value
    kind = definition.kind
    if type(raw) is str:
        if raw != UNSPECIFIED and kind not in _LISTED_OR_NUMBER:
            return raw, None
    elif type(raw) is bool:
        if kind not in _LISTED_OR_NUMBER:
            return raw, None
    elif type(raw) is float:
        if kind == IssueKind.NUMBER:
            return raw, definition.unit
    elif type(raw) is tuple and kind == IssueKind.SET:
        return frozenset([str(item) for item in raw]), None
    return _normalise_any(keyed, definition)


def _normalise_any(
    keyed: KeyedStance, definition: IssueDefinition
) -> tuple[PositionValue, str | None]:
    stance = keyed.stance
    raw: object = stance.value
    if raw == UNSPECIFIED:
        return UNSTATED, definition.unit if definition.kind == IssueKind.NUMBER else None
    if isinstance(raw, Excluding):
        return AnyBut(frozenset(raw.values)), None
    if isinstance(raw, Including):
        return _open_or_universal(frozenset(raw.items), definition), None
    if isinstance(raw, AllExcept):
        return EveryoneBut(frozenset(raw.items)), None
    if definition.kind == IssueKind.NUMBER:
        if isinstance(stance, NumberStance):
            return _number(stance.amount), stance.unit or definition.unit
        if isinstance(raw, Quantity):
            return float(raw.amount), raw.unit or definition.unit
        return _number(raw), definition.unit
    return _plain_value(raw, definition), None


def _open_or_universal(items: frozenset[str], definition: IssueDefinition) -> PositionValue:
    """An open list that names 'everyone' is everyone."""
    if definition.universal is not None and definition.universal in items:
        return frozenset({definition.universal})
    return AtLeast(items)


def _plain_value(raw: object, definition: IssueDefinition) -> PlainValue:
    if definition.kind == IssueKind.SET:
        if isinstance(raw, str):
            return frozenset({raw})  # one item standing alone
        if isinstance(raw, tuple | list | frozenset):
            return frozenset(str(item) for item in raw)
    if definition.kind == IssueKind.NUMBER:
        return _number(raw.amount if isinstance(raw, Quantity) else raw)
    if isinstance(raw, bool | str):
        return raw
    raise TypeError(f"unexpected {definition.kind} value {raw!r}")


def _number(raw: object) -> float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    raise TypeError(f"expected a number, got {raw!r}")


def _acceptable(keyed: KeyedStance, definition: IssueDefinition) -> Acceptable | None:
    acceptable = keyed.stance.acceptable
    if acceptable is None or isinstance(acceptable, NumberRange):
        return acceptable
    return frozenset(
        _plain_value(option, definition)
        for option in acceptable
        if not isinstance(option, Excluding | Including | AllExcept)  # refused by validation
    )


def value_text(
    definition: IssueDefinition,
    value: PositionValue,
    unit: str | None,
    party_names: Mapping[str, str] | None = None,
    bound: str | None = None,
) -> str:
    """A value as a reader reads it: labels, party names, figures with units and bounds."""
    if type(value) is str:  # the commonest value, and no other branch takes a plain str
        if definition.kind == IssueKind.TEXT:
            return value
        return _item_text(definition, value, party_names)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        figure = format_number(value) + (f" {unit}" if unit else "")
        return {"max": f"ceiling {figure}", "min": f"floor {figure}"}.get(bound or "", figure)
    if isinstance(value, Unstated):
        return _UNSTATED_TEXT[definition.kind]
    if isinstance(value, AnyBut):
        return "anything but " + " or ".join(_items_text(definition, value.values, party_names))
    if isinstance(value, AtLeast):
        return "including " + ", ".join(_items_text(definition, value.items, party_names))
    if isinstance(value, EveryoneBut):
        everyone = definition.value_label(definition.universal or "everyone")
        return f"{everyone} except " + ", ".join(_items_text(definition, value.items, party_names))
    if isinstance(value, frozenset):
        if not value:
            return "none"
        return ", ".join(_items_text(definition, value, party_names))
    if definition.kind == IssueKind.TEXT:
        return value
    return _item_text(definition, value, party_names)


_UNSTATED_TEXT = {
    IssueKind.CATEGORICAL: "addressed, not stated which",
    IssueKind.ORDINAL: "addressed, level not stated",
    IssueKind.NUMBER: "addressed, figure not stated",
    IssueKind.SET: "addressed, not stated who or what",
    IssueKind.BOOLEAN: "addressed, not stated whether",
    IssueKind.TEXT: "addressed, not stated how",
}


def _items_text(
    definition: IssueDefinition, items: frozenset[str], party_names: Mapping[str, str] | None
) -> list[str]:
    if party_names:
        return sorted([_item_text(definition, item, party_names) for item in items])
    labels = definition.value_labels  # ``value_label`` item by item, without the calls
    return sorted([labels.get(item, item.replace("_", " ")) for item in items])


def _item_text(
    definition: IssueDefinition, item: str, party_names: Mapping[str, str] | None
) -> str:
    if party_names and item in party_names and item != definition.universal:
        return party_names[item]
    return definition.value_label(item)
