"""The codebook: which issues exist, what kind each is, and which values it allows.

Everything the engine knows about an issue comes from here, never from code: a scale's
order, which of its ends are opposed, a number's unit and range. The typed parts of the
model (territory, security, reparations) are codebook entries too, written as key
templates such as ``territory.{region}.recognition``, so a user's codebook can sit beside
them and the engine treats both alike.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from negpos.errors import CodebookError, Problem
from negpos.values import FiniteFloat, NumberRange

UNSPECIFIED = "unspecified"
"""``value: unspecified``: the text addresses the issue but states no level, figure or list;
reserved, so no value, universal item or party id may take it."""

if TYPE_CHECKING:
    from negpos.documents import Document

__all__ = [
    "Category",
    "Codebook",
    "CodebookOrPath",
    "IssueDefinition",
    "IssueKind",
    "ResolvedIssue",
    "as_codebook",
    "default_codebook",
    "load_codebook",
]

PERCENT = "percent"
"""The unit of percentages: without a range, an issue in percent is measured over 0–100, and
differences are worded in percentage points."""
_PERCENT_SCALE = (100.0, 1.0)
PLACEHOLDERS = ("{region}", "{party}", "{organisation}")
_SEGMENT = r"(?:[a-z0-9_]+|\{region\}|\{party\}|\{organisation\})"
KEY_PATTERN = rf"^{_SEGMENT}(?:\.{_SEGMENT})+$"
"""An issue key of a codebook: two or more dotted lower-case parts, or placeholders."""
_KEY_RULE = (
    "expected a dotted lower-case key such as sanctions.lifting: two or more parts of "
    "lower-case letters, digits and _, joined by dots (a part may be {region}, {party} or "
    "{organisation})"
)
_ISSUE_KEY = re.compile(r"^[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)+$")


class IssueKind(StrEnum):
    """How an issue's stances are written and compared."""

    CATEGORICAL = "categorical"
    ORDINAL = "ordinal"
    NUMBER = "number"
    SET = "set"
    BOOLEAN = "boolean"
    TEXT = "text"


_LISTED_KINDS = (IssueKind.CATEGORICAL, IssueKind.ORDINAL, IssueKind.SET)


class Category(BaseModel):
    """A group of issues that tables and summaries report together."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Short name used in issue definitions.")
    label: str = Field(description="Name shown in tables.")
    description: str = ""


class LevelDetail(BaseModel):
    """A level that needs a sibling stance to say more, e.g. `named_line` needs the line's name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str = Field(description="The level that needs the detail.")
    field: str = Field(description="The field of the same section that gives it.")


class IssueDefinition(BaseModel):
    """One issue (or a template of issues) and the rules for comparing stances on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(
        pattern=KEY_PATTERN,
        description="Dotted key, e.g. `sanctions.lifting`; typed issues use {region}, {party} "
        "or {organisation} segments.",
    )
    label: str = Field(description="Name shown in tables; may use the same placeholders.")
    category: str = Field(description="Id of the category the issue belongs to.")
    kind: IssueKind
    values: tuple[str, ...] = Field(
        default=(),
        description="Allowed values of a categorical, ordinal or set issue; for ordinal issues, "
        "from one end of the scale to the other.",
    )
    value_labels: dict[str, str] = Field(
        default_factory=dict, description="How to print a value, when not its spelling with spaces."
    )
    values_from: Literal["parties"] | None = Field(
        default=None,
        description="`parties`: the values are ids of the proposal's parties, not a fixed list.",
    )
    poles: tuple[tuple[str, ...], tuple[str, ...]] | None = Field(
        default=None,
        description="Ordinal only: two groups of values that exclude each other. Stances in "
        "opposite poles conflict; other differing stances only differ in degree.",
    )
    positions: tuple[FiniteFloat, ...] | None = Field(
        default=None,
        description="Ordinal only: where each level stands on the scale, in the order of "
        "`values` (non-decreasing; ties allowed). Gaps follow these distances; without them the "
        "levels are evenly spaced.",
    )
    universal: str | None = Field(
        default=None,
        description="Set only: an item meaning 'everyone' (e.g. `international`), which contains "
        "every other item.",
    )
    unit: str | None = Field(default=None, description="Number only: the unit figures are in.")
    bound: Literal["max", "min", "exact"] = Field(
        default="exact",
        description="Number only: what a figure is unless a stance says otherwise: a ceiling "
        "(max), a floor (min) or a level (exact).",
    )
    range: NumberRange | None = Field(
        default=None,
        description="Number only: the span the figure can take; gaps are measured against it.",
    )
    detail: LevelDetail | None = Field(
        default=None,
        description="Typed issues: a level whose detail a sibling field gives (stated together "
        "or not at all).",
    )
    typed: StrictBool = Field(
        default=False,
        description="Written through a typed section of a proposal (territory, security, "
        "reparations), not under `issues`.",
    )
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> IssueDefinition:
        problem = (
            self._values_problem()
            or self._scale_problem()
            or self._kind_fields_problem()
            or self._label_problem()
        )
        if problem is not None:
            raise ValueError(problem)
        return self

    def _values_problem(self) -> str | None:
        """The listed values: no repeats, present where the kind needs them, not reserved."""
        kind, listed = self.kind, set(self.values)
        if len(listed) != len(self.values):
            return "values repeat an entry"
        if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL) and not (
            self.values or self.values_from
        ):
            return f"a {kind} issue needs `values` (or `values_from: parties`)"
        if kind == IssueKind.ORDINAL and self.values_from:
            return "an ordinal issue needs its own ordered `values`"
        if kind not in _LISTED_KINDS and (self.values or self.values_from):
            return f"a {kind} issue takes no `values`"
        if UNSPECIFIED in listed or (self.universal == UNSPECIFIED):
            return f"{UNSPECIFIED!r} is reserved for stances that state no level"
        return None

    def _scale_problem(self) -> str | None:
        """An ordinal scale's positions and poles."""
        if self.positions is not None:
            if self.kind != IssueKind.ORDINAL:
                return "only ordinal issues have positions"
            if len(self.positions) != len(self.values):
                return "positions need one number per value, in the order of values"
            if any(b < a for a, b in itertools.pairwise(self.positions)):
                return "positions must not decrease along the scale"
            if self.positions[0] == self.positions[-1]:
                return "positions put every level at the same place"
        if self.poles is None:
            return None
        if self.kind != IssueKind.ORDINAL:
            return "only ordinal issues have poles"
        low, high = set(self.poles[0]), set(self.poles[1])
        if not low or not high or low & high or not (low | high) <= set(self.values):
            return "poles must be two non-empty, disjoint groups of listed values"
        if self.positions is not None and {self.place(v) for v in low} & {
            self.place(v) for v in high
        }:
            return "levels in opposite poles must not stand at the same place"
        return None

    def _kind_fields_problem(self) -> str | None:
        """Fields that belong to one kind only: bounds, units and ranges, universal items."""
        kind = self.kind
        if self.bound != "exact" and kind != IssueKind.NUMBER:
            return "only number issues have a bound"
        if self.universal is not None and kind != IssueKind.SET:
            return "only set issues have a universal item"
        if (self.unit is not None or self.range is not None) and kind != IssueKind.NUMBER:
            return "only number issues have a unit or range"
        if self.range is not None and (self.range.min is None or self.range.max is None):
            return "a number issue's range needs both min and max"
        if self.range is not None and self.range.min == self.range.max:
            return "a number issue's range must not be empty"
        return None

    def _label_problem(self) -> str | None:
        """The label's placeholders and the values given labels."""
        named = set(re.findall(r"\{(region|party|organisation)\}", self.label))
        missing = named - {p[1:-1] for p in self.placeholders}
        if missing:
            return (
                f"the label uses {', '.join('{' + m + '}' for m in sorted(missing))}, "
                "which the key does not have"
            )
        labelled = set(self.values) | ({self.universal} if self.universal else set())
        unknown = set(self.value_labels) - labelled
        if unknown and not self.values_from:
            return f"value_labels name values not listed: {sorted(unknown)}"
        return None

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(seg for seg in self.key.split(".") if seg in PLACEHOLDERS)

    def label_for(self, names: dict[str, str]) -> str:
        """The label with {region}, {party}, {organisation} filled in; other braces stay as written."""
        label = self.label
        for placeholder, name in names.items():
            label = label.replace("{" + placeholder + "}", name)
        return label

    def value_label(self, value: str) -> str:
        return self.value_labels.get(value, value.replace("_", " "))

    # The scale's views below are computed from the fields each time, never cached on the
    # model: a ``model_copy(update=...)`` of a definition must be judged by its own fields.
    # Scales are a handful of levels, so a tuple lookup costs no more than a dict's.

    def rank(self, value: str) -> int:
        """Position of a level on an ordinal scale, from 0."""
        try:
            return self.values.index(value)
        except ValueError:
            raise KeyError(value) from None

    def place(self, value: str) -> float:
        """Where a level stands on an ordinal scale (its position, or its rank)."""
        rank = self.rank(value)
        return self.positions[rank] if self.positions is not None else float(rank)

    @property
    def scale_span(self) -> float:
        """Distance between the two ends of an ordinal scale."""
        if self.positions is not None:
            return self.positions[-1] - self.positions[0]
        return float(len(self.values) - 1) if self.values else 0.0

    @property
    def evenly_spaced(self) -> bool:
        """True when the scale's levels are one step apart (no `positions` given)."""
        return self.positions is None

    def pole_of(self, value: str) -> int | None:
        """0 or 1 for a level in one of the scale's poles, None for a level in neither."""
        poles = self.poles
        if poles is None:
            return None
        if value in poles[0]:
            return 0
        return 1 if value in poles[1] else None

    def difference_scale(self, unit: str | None) -> tuple[float, float] | None:
        """What a difference of two figures in ``unit`` is measured against, as ``(width,
        factor)``: the gap is ``|a * factor - b * factor| / width``, at most 1. The width is
        the issue's range, or 100 for percentages without one; ``factor`` is 1, or 0.5 where
        the range is too wide for a float (±1e308), halving both sides exactly. None: the
        issue has no scale of its own, and differences are measured against the larger
        figure."""
        span = self.range
        if span is None:
            return _PERCENT_SCALE if unit == PERCENT else None
        high, low = span.max, span.min
        if high is None or low is None:  # refused by validation: a range has both ends
            return None
        width = high - low
        return (width, 1.0) if width != math.inf else (high * 0.5 - low * 0.5, 0.5)

    @property
    def judgement_memo(self) -> dict[tuple[object, object], Any]:
        """Deprecated: the engine keeps no memo on the definition (a fresh, empty dict, kept
        so that old benchmark code calling ``.clear()`` still runs)."""
        return {}

    def check_value(self, value: object, party_ids: frozenset[str]) -> str | None:
        """Why ``value`` is not a valid stance on this issue, or None if it is."""
        kind = self.kind
        if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
            if not isinstance(value, str):
                return f"expected one of {self._allowed(party_ids)}, got {value!r}"
            return (
                None
                if self._allows(value, party_ids)
                else (f"{value!r} is not allowed; expected one of {self._allowed(party_ids)}")
            )
        if kind == IssueKind.SET:
            return self._check_items(value, party_ids)
        if kind == IssueKind.BOOLEAN:
            return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
        if kind == IssueKind.TEXT:
            return None if isinstance(value, str) and value.strip() else "expected non-empty text"
        return self._check_figure(value)

    def _check_items(self, value: object, party_ids: frozenset[str]) -> str | None:
        if isinstance(value, str):
            value = (value,)  # one item may stand alone
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return "expected a list of items"
        if len(set(value)) != len(value):
            return "items repeat"
        if self.values or self.values_from:
            # ``_allows`` item by item, its pool looked up once (None is no item's universal)
            pool = party_ids if self.values_from == "parties" else self.values
            universal = self.universal
            bad = [v for v in value if v != universal and v not in pool]
            if bad:
                return f"{bad} not allowed; expected items from {self._allowed(party_ids)}"
        return None

    def _check_figure(self, value: object) -> str | None:
        """A number issue's figure: a float, or an (amount, unit) pair from a Quantity."""
        amount, unit = value if isinstance(value, tuple) else (value, None)
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            return f"expected a number, got {amount!r}"
        if unit is not None and self.unit is not None and unit != self.unit:
            return f"unit {unit!r} does not match the issue's unit {self.unit!r}"
        if self.range is not None and not self.range.contains(float(amount)):
            return f"{amount} is outside the issue's range {self.range}"
        return None

    def check_form(
        self, form: str, items: tuple[str, ...], party_ids: frozenset[str]
    ) -> str | None:
        """Why ``{not: ...}``, ``{including: ...}`` or ``{all_except: ...}`` does not suit this
        issue, or None if it does."""
        kind = self.kind
        if form == "not" and kind not in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
            return "{not: ...} suits categorical and ordinal issues only"
        if form in ("including", "all_except") and kind != IssueKind.SET:
            return f"{{{form}: ...}} suits set issues only"
        if form == "all_except" and self.universal is None:
            return "{all_except: ...} needs an issue with an 'everyone' item; this one has none"
        everyone_allowed = form == "including"  # "including everyone" is everyone
        bad = [
            item
            for item in items
            if not self._allows(item, party_ids)
            or (item == self.universal and not everyone_allowed)
        ]
        if bad:
            listed = self._allowed(party_ids, universal=everyone_allowed)
            return f"{bad} not allowed; expected items from {listed}"
        if len(set(items)) != len(items):
            return "items repeat"
        if (
            form == "not"
            and self.values
            and not self.values_from
            and set(items) >= set(self.values)
        ):
            return "{not: ...} rules out every value"
        return None

    def _allows(self, value: str, party_ids: frozenset[str]) -> bool:
        if self.universal is not None and value == self.universal:
            return True
        if self.values_from == "parties":
            return value in party_ids
        return value in self.values

    def _allowed(self, party_ids: frozenset[str], *, universal: bool = True) -> str:
        options = sorted(party_ids) if self.values_from == "parties" else list(self.values)
        if universal and self.universal is not None:
            options.append(self.universal)
        return ", ".join(options) if options else "(no parties defined)"


@dataclass(frozen=True, slots=True)
class ResolvedIssue:
    """A concrete issue key matched to its definition, with placeholders bound."""

    key: str
    definition: IssueDefinition
    bindings: dict[str, str]


class Codebook(BaseModel):
    """A set of issue definitions grouped into categories."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="What this codebook is, for citations and error messages.")
    extends: Literal["default"] | None = Field(
        default=None, description="`default`: add these issues to negpos's default codebook."
    )
    categories: tuple[Category, ...] = ()
    issues: tuple[IssueDefinition, ...] = ()
    condition_kinds: tuple[str, ...] = Field(
        default=(),
        description="Kinds a stance's condition may have (the default codebook: referendum, "
        "ratification, sequence, trigger, other); an extending codebook adds to them.",
    )
    party_kinds: tuple[str, ...] = Field(
        default=(),
        description="Kinds a party may have (the default codebook: state, coalition, company, "
        "union, armed group, mediator ...); an extending codebook adds to them.",
    )

    @model_validator(mode="after")
    def _unique_and_linked(self) -> Codebook:
        category_ids = [c.id for c in self.categories]
        if repeated(category_ids):
            raise ValueError("category ids repeat")
        keys = repeated(i.key for i in self.issues)
        if keys:
            raise ValueError(f"issue keys repeat: {keys}")
        if self.extends is None:
            unknown = sorted({i.category for i in self.issues} - set(category_ids))
            if unknown:
                raise ValueError(f"issues name categories that are not defined: {unknown}")
        return self

    def _index(self) -> _CodebookIndex:
        """The lookups derived from ``issues`` and ``categories``, built on first use.

        The index holds the very tuples it was built from, and is used only while this
        codebook still has them: a ``model_copy(update=...)`` shares the stored index but has
        new tuples, so it builds its own instead of answering from the old issues.
        """
        index = self.__dict__.get("_codebook_index")
        if (
            not isinstance(index, _CodebookIndex)
            or index.issues is not self.issues
            or index.categories is not self.categories
        ):
            index = _CodebookIndex.build(self.issues, self.categories)
            self.__dict__["_codebook_index"] = index
        return index

    @property
    def category_order(self) -> dict[str, int]:
        """Category id -> its place in the codebook: the order tables report categories in."""
        return self._index().category_order

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise CodebookError([Problem(None, None, category_id, f"not a category of {self.name}")])

    def resolve(self, key: str) -> ResolvedIssue | None:
        """Match a concrete key (``territory.crimea.control``) to its definition (memoised)."""
        index = self._index()
        cache = index.resolved
        if key not in cache:
            cache[key] = self._resolve(key, index)
        return cache[key]

    def resolver(self) -> Callable[[str], ResolvedIssue | None]:
        """``resolve`` for many keys at once (a proposal's stances, a corpus): the index is
        looked up once, here, not once per key. Use it while this codebook is unchanged, as
        a local; it answers exactly as ``resolve`` does."""
        index = self._index()
        cache = index.resolved
        find = self._resolve

        def resolve(key: str) -> ResolvedIssue | None:
            try:
                return cache[key]
            except KeyError:
                found = cache[key] = find(key, index)
                return found

        return resolve

    @staticmethod
    def _resolve(key: str, index: _CodebookIndex) -> ResolvedIssue | None:
        literal = index.literal.get(key)
        if literal is not None:
            return ResolvedIssue(key=key, definition=literal, bindings={})
        segments = key.split(".")
        for pattern, definition in index.templates:
            if len(pattern) != len(segments):
                continue
            bindings: dict[str, str] = {}
            for want, got in zip(pattern, segments, strict=True):
                if want in PLACEHOLDERS:
                    bindings[want[1:-1]] = got
                elif want != got:
                    break
            else:
                return ResolvedIssue(key=key, definition=definition, bindings=bindings)
        return None

    def extended_with(self, other: Codebook) -> Codebook:
        """This codebook plus ``other``'s categories and issues; a key defined twice is an error."""
        clash = sorted({i.key for i in self.issues} & {i.key for i in other.issues})
        if clash:
            raise CodebookError(
                [
                    Problem(
                        other.name, None, "issues", f"keys already defined in {self.name}: {clash}"
                    )
                ]
            )
        known = {c.id for c in self.categories}
        return Codebook(
            name=f"{self.name} + {other.name}",
            categories=self.categories + tuple(c for c in other.categories if c.id not in known),
            issues=self.issues + other.issues,
            condition_kinds=_merged(self.condition_kinds, other.condition_kinds),
            party_kinds=_merged(self.party_kinds, other.party_kinds),
        )

    @property
    def reserved_words(self) -> frozenset[str]:
        """Words no party may take as its id: every 'everyone' item, and `unspecified`."""
        return self._index().reserved_words

    @property
    def allowed_condition_kinds(self) -> tuple[str, ...]:
        """Condition kinds stances may use: this codebook's, or the default codebook's; always
        ``other``, the kind of a condition written as bare text."""
        kinds = self.condition_kinds or default_codebook().condition_kinds
        return kinds if "other" in kinds else (*kinds, "other")

    @property
    def allowed_party_kinds(self) -> tuple[str, ...]:
        """Party kinds proposals may use: this codebook's, or the default codebook's."""
        return self.party_kinds or default_codebook().party_kinds

    def literal_keys(self) -> list[str]:
        """Keys a proposal may use under `issues`, sorted."""
        return sorted(k for k, d in self._index().literal.items() if not d.typed)


@dataclass(frozen=True, slots=True)
class _CodebookIndex:
    """A codebook's lookups, with the tuples they were derived from (see ``Codebook._index``)."""

    issues: tuple[IssueDefinition, ...]
    categories: tuple[Category, ...]
    literal: dict[str, IssueDefinition]
    templates: tuple[tuple[tuple[str, ...], IssueDefinition], ...]
    category_order: dict[str, int]
    reserved_words: frozenset[str]
    resolved: dict[str, ResolvedIssue | None]  # filled as keys are resolved

    @classmethod
    def build(
        cls, issues: tuple[IssueDefinition, ...], categories: tuple[Category, ...]
    ) -> _CodebookIndex:
        return cls(
            issues=issues,
            categories=categories,
            literal={i.key: i for i in issues if not i.placeholders},
            templates=tuple((tuple(i.key.split(".")), i) for i in issues if i.placeholders),
            category_order={c.id: index for index, c in enumerate(categories)},
            reserved_words=frozenset({UNSPECIFIED, *(i.universal for i in issues if i.universal)}),
            resolved={},
        )


def repeated(ids: Iterable[str]) -> list[str]:
    """The ids that occur more than once, sorted: the one duplicate check (linear)."""
    counts = Counter(ids)
    return sorted(name for name, count in counts.items() if count > 1)


def _merged(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(item for item in second if item not in first)


@functools.cache
def default_codebook() -> Codebook:
    """negpos's own codebook: the typed issues plus common issues of peace negotiations."""
    text = resources.files("negpos").joinpath("codebooks/default.yaml").read_text(encoding="utf-8")
    from negpos.documents import parse_document  # YAML loads when a codebook is first read

    return _codebook_from(parse_document(text, name="negpos/codebooks/default.yaml"))


CodebookOrPath: TypeAlias = Codebook | str | os.PathLike[str]
"""A codebook, or the path of a codebook file: what every ``codebook=`` argument takes."""


def as_codebook(codebook: CodebookOrPath | None) -> Codebook | None:
    """``codebook`` itself, the codebook in the file it names, or None for the default."""
    if codebook is None or isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, str | os.PathLike):
        return load_codebook(codebook)
    raise TypeError(
        f"codebook must be a negpos Codebook or the path of a codebook file, "
        f"not {type(codebook).__name__}"
    )


def load_codebook(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Codebook:
    """Load a codebook file; one with ``extends: default`` is merged into the default codebook.
    ``max_bytes`` is the size limit (see ``negpos.documents.max_file_bytes``)."""
    from negpos.documents import DocumentError, read_document

    try:
        document = read_document(Path(path), max_bytes=max_bytes)
    except DocumentError as exc:
        raise CodebookError(exc.problems) from None
    codebook = _codebook_from(document)
    if codebook.extends == "default":
        try:
            return default_codebook().extended_with(codebook)
        except ValidationError as exc:
            raise CodebookError(
                [
                    Problem(document.name, None, None, e["msg"])
                    for e in exc.errors(include_url=False)
                ]
            ) from None
    return codebook


def _codebook_from(document: Document) -> Codebook:
    from negpos.documents import problems_from_validation_error

    data: Any = document.data
    if not isinstance(data, dict):
        raise CodebookError([Problem(document.name, None, None, "a codebook must be a mapping")])
    try:
        return Codebook.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(
            exc, document, model=Codebook, patterns={KEY_PATTERN: _KEY_RULE}
        )
        raise CodebookError(problems) from None


def is_issue_key(key: str) -> bool:
    """Dotted words; party ids in a key (security.UA.x) may have capitals and dashes."""
    return bool(_ISSUE_KEY.match(key))
