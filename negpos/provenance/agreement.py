"""Agreement between coders: how far independent codings of one document agree.

A table is only as good as its coding, and the standard check is to have two people code
the same document and measure how far they agree. Each coding is a proposal file naming the
document it codes (``document:``) and who coded it (``coder:``). ``agreement`` compares the
codings of each document issue by issue with the engine's own rules, lists every
disagreement with each coder's evidence, and reports Krippendorff's α, the figure
content-analysis papers give, overall and per issue kind.

Units of analysis. A unit is one issue of one document that at least one coder addresses.
Each coder's value on it is their stance; where a coding offers alternative packages, the
first stance it offers on the issue (``PositionSet.candidates(key)[0]``: its own stance, else
that of the first alternative stating the issue). A coder who does not address the issue is
silent: a missing value in α (as Krippendorff's α treats any missing value), and a
disagreement in the list, since the others coded something there.

Agreed. A unit is agreed when the engine judges every pair of its codings to ``agree`` (a
silent coder against one who speaks is ``only_a``/``only_b``, so never agreed). The relation
weighs conditions, parts of a region and acceptable values too; α weighs the values only.

How α is computed (the ``krippendorff`` package, whose metric may be a function):

- ``overall``: nominal over every unit, on the stated value: each distinct value is one
  category (a category, level, yes or no, the sorted items of a list, a text's word set, a
  figure with its unit and bound), and so is each form (``unspecified``, ``not: ...``,
  ``including: ...``, ``all_except: ...``). Categories are pooled over issues (``yes`` is one
  category whichever issue says it): the expected disagreement is that of the values as
  coded, not of a per-issue vocabulary, which would make every category rare and α higher.
- categorical, boolean: nominal on the same stated value.
- text: nominal on the text's set of words (case and punctuation ignored, as the engine
  compares text), ``unspecified`` a category of its own.
- ordinal: ordinal (Krippendorff's rank metric) on each level's place on its scale,
  rescaled to 0-1: ``(place(level) - place(first level)) / scale_span``, where ``place`` is
  the level's codebook ``positions`` entry, else its rank. The order of these places is all
  the ordinal metric uses: levels the codebook places alike (ties) are one value, and scales
  of different issues are pooled with their ends aligned. Caveat: the rank metric counts
  every value that falls between two places, other issues' levels included, so with scales
  of different lengths pooled one issue's levels can move another's contribution; report
  the ordinal α with its n, and per issue where the scales differ. ``unspecified`` and ``{not: ...}``
  cannot be placed on a scale and are left out (counted in ``Alpha.left_out``).
- number: interval on the figures when every figure of the kind is in one unit (bounds are
  not in α, and ``unspecified`` is left out); when units differ, nominal on figure, unit and
  bound, as ``Alpha.note`` says.
- set: 1 − Jaccard, the engine's own set gap (``gap_between``), as a distance function:
  'everyone', open lists and all-except read as the engine reads them; ``unspecified`` is at
  distance 1 from every stated list.

α is None where it is undefined: no unit with two values, or no variation in the values.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negpos.codebook import UNSPECIFIED, IssueDefinition, IssueKind
from negpos.engine.diff import diff
from negpos.engine.rules import ONLY_A, ONLY_B, Reason, Relation, gap_between, judge, words
from negpos.errors import ComparisonError
from negpos.model import Proposal
from negpos.positions import (
    AnyBut,
    AtLeast,
    EveryoneBut,
    Position,
    PositionSet,
    PositionValue,
    Unstated,
    positions_of,
)
from negpos.provenance.archive import require_extra

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LEVELS",
    "Agreement",
    "Alpha",
    "CitedEvidence",
    "CoderStance",
    "PairRelation",
    "UnitAgreement",
    "agreement",
    "alpha_of",
    "set_distance",
    "stated_value",
]

LEVELS = ("nominal", "ordinal", "interval")
"""Levels of measurement ``alpha_of`` knows by name; any other takes a distance function."""
SET_DISTANCE = "set_distance"

_NOTES = {
    "overall": "nominal on the stated value (each value and each form one category, pooled "
    "over issues)",
    IssueKind.CATEGORICAL: "nominal on the category; unspecified and each {not: ...} a "
    "category of its own",
    IssueKind.BOOLEAN: "nominal on yes, no or unspecified",
    IssueKind.TEXT: "nominal on the set of words (case and punctuation ignored); unspecified "
    "a category of its own",
    IssueKind.ORDINAL: "ordinal on each level's place on its scale, 0 to 1 (the codebook's "
    "positions, else ranks; levels placed alike are one value); unspecified and {not: ...} "
    "left out",
    IssueKind.SET: "1 − Jaccard of the items, the engine's set gap (everyone, open lists and "
    "all-except read as the engine reads them); unspecified 1 from any stated list",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CitedEvidence:
    """One piece of a coder's evidence, so a reviewer can check the disputed reading."""

    source: str  # the source's id in the coding
    citation: str
    locator: str | None = None
    quote: str | None = None

    def __str__(self) -> str:
        text = self.source
        if self.locator:
            text += f" ({self.locator})"
        if self.quote:
            text += f": “{self.quote}”"
        return text


@dataclass(frozen=True, slots=True)
class CoderStance:
    """One coder's stance on a unit; ``position`` is None where the coder is silent."""

    coder: str
    proposal: str  # id of the coding (the proposal file)
    position: Position | None

    @property
    def silent(self) -> bool:
        return self.position is None

    @property
    def text(self) -> str | None:
        """The stance as tables show it (None where silent)."""
        if self.position is None:
            return None
        return self.position.describe(red_line=True, condition=True)

    @property
    def value(self) -> str | None:
        """The stated value as the nominal α reads it (see ``stated_value``)."""
        return None if self.position is None else stated_value(self.position)

    @property
    def evidence(self) -> tuple[CitedEvidence, ...]:
        """The stance's evidence (source, locator, quote), else its bare sources."""
        position = self.position
        if position is None:
            return ()
        if position.evidence:
            return tuple(
                CitedEvidence(e.source.id, e.source.citation(), e.locator, e.quote)
                for e in position.evidence
            )
        return tuple(CitedEvidence(s.id, s.citation()) for s in position.sources)


@dataclass(frozen=True, slots=True)
class PairRelation:
    """How two coders' stances on a unit relate, by the engine's rules (A is ``coder_a``)."""

    coder_a: str
    coder_b: str
    relation: Relation
    reason: Reason
    gap: float | None

    def describe(self) -> str:
        """``conflict (exclusive)``, ``only alice addresses it``: the relation for a reader."""
        if self.relation is Relation.ONLY_A:
            return f"only {self.coder_a} addresses it"
        if self.relation is Relation.ONLY_B:
            return f"only {self.coder_b} addresses it"
        if self.reason is Reason.SAME:
            return self.relation.value
        return f"{self.relation.value} ({self.reason.value.replace('_', ' ')})"


@dataclass(frozen=True, slots=True)
class UnitAgreement:
    """One issue of one document: every coder's stance and how each pair relates."""

    document: str
    key: str
    label: str
    kind: IssueKind
    category: str
    stances: tuple[CoderStance, ...]  # one per coder of the document, silent ones included
    pairs: tuple[PairRelation, ...]  # every pair of coders, but two silent ones
    agreed: bool  # every pair agrees

    @property
    def relation(self) -> str:
        """The pairs' relations in a line: ``agree``, or each pair's where they differ."""
        if self.agreed:
            return Relation.AGREE.value
        if len(self.pairs) == 1:
            return self.pairs[0].describe()
        return "; ".join(f"{p.coder_a}–{p.coder_b}: {p.describe()}" for p in self.pairs)

    def stance_of(self, coder: str) -> CoderStance | None:
        """The coder's stance (None where the coder did not code this document)."""
        return next((s for s in self.stances if s.coder == coder), None)


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's α over one scope: every unit (``overall``) or one issue kind's units."""

    scope: str  # "overall" or an issue kind
    level: str  # nominal, ordinal, interval or set_distance
    value: float | None  # None where alpha is undefined
    units: int  # units with two or more values: the pairable ones
    values: int  # values in those units
    left_out: int = 0  # stated values this level cannot measure (e.g. unspecified levels)
    note: str = ""  # how the values were coded

    @property
    def text(self) -> str:
        """The value to 3 decimals, or why there is none."""
        if self.value is not None:
            return f"{self.value:.3f}"
        if self.units == 0:
            return "undefined (no unit has two values)"
        return "undefined (no variation in the values)"


@dataclass(frozen=True, slots=True)
class Agreement:
    """Codings of the same documents compared: units, disagreements and α."""

    documents: tuple[str, ...]
    coders: tuple[str, ...]  # each coding's ``coder``, else its proposal id
    units: tuple[UnitAgreement, ...]
    alphas: tuple[Alpha, ...]  # overall first, then one per issue kind present
    unpaired: tuple[str, ...] = ()  # ids of codings left out: no other coding of their document

    @property
    def disagreements(self) -> tuple[UnitAgreement, ...]:
        """The units not agreed, in document and reading order."""
        return tuple(u for u in self.units if not u.agreed)

    @property
    def silences(self) -> tuple[UnitAgreement, ...]:
        """The units some coder of the document leaves silent: disagreements α cannot see,
        since it reads silence as a missing value."""
        return tuple(u for u in self.units if any(s.silent for s in u.stances))

    @property
    def share_agreed(self) -> float | None:
        return sum(u.agreed for u in self.units) / len(self.units) if self.units else None

    def alpha(self, scope: str = "overall") -> Alpha | None:
        """α of ``overall`` or of an issue kind (None where no unit is of that kind)."""
        return next((a for a in self.alphas if a.scope == scope), None)

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per unit × coder of its document; ``value`` is what nominal α reads.
        ``pivot(index=["document", "issue"], columns="coder", values="value")`` gives
        Krippendorff's reliability data."""
        import pandas as pd

        rows = [
            {
                "document": unit.document,
                "issue": unit.key,
                "label": unit.label,
                "kind": unit.kind.value,
                "category": unit.category,
                "coder": stance.coder,
                "proposal": stance.proposal,
                "stance": stance.text,
                "value": stance.value,
                "basis": None if stance.position is None else stance.position.basis,
                "relation": unit.relation,
                "agreed": unit.agreed,
            }
            for unit in self.units
            for stance in unit.stances
        ]
        return pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))

    def alpha_frame(self) -> pd.DataFrame:
        """One row per α: scope, level, value (NaN where undefined) and what it rests on."""
        import pandas as pd

        frame = pd.DataFrame(
            [
                {
                    "scope": a.scope,
                    "level": a.level,
                    "alpha": a.value,
                    "units": a.units,
                    "values": a.values,
                    "left_out": a.left_out,
                    "note": a.note,
                }
                for a in self.alphas
            ],
            columns=["scope", "level", "alpha", "units", "values", "left_out", "note"],
        )
        frame["alpha"] = frame["alpha"].astype("float64")
        return frame

    def disagreement_frame(self) -> pd.DataFrame:
        """One row per disagreement × coder, with the stance (None: silent) and its evidence."""
        import pandas as pd

        rows = [
            {
                "document": unit.document,
                "issue": unit.key,
                "label": unit.label,
                "kind": unit.kind.value,
                "coder": stance.coder,
                "stance": stance.text,
                "relation": unit.relation,
                "evidence": "; ".join(str(e) for e in stance.evidence),
            }
            for unit in self.disagreements
            for stance in unit.stances
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "document",
                "issue",
                "label",
                "kind",
                "coder",
                "stance",
                "relation",
                "evidence",
            ],
        )


_FRAME_COLUMNS = (
    "document",
    "issue",
    "label",
    "kind",
    "category",
    "coder",
    "proposal",
    "stance",
    "value",
    "basis",
    "relation",
    "agreed",
)


# --------------------------------------------------------------------------- agreement


def agreement(proposals: Sequence[Proposal]) -> Agreement:
    """Compare every coding of each document with every other, and measure α.

    Codings of one document share ``document:`` (a proposal without it is its own document,
    named by its id); each needs its own ``coder:`` (else its id tells them apart). A
    document coded once is left out (listed in ``unpaired``). Raises ``ComparisonError``
    when no document is coded twice, when two codings of one document name the same coder,
    or when their codebooks define a shared issue differently.
    """
    groups: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        groups.setdefault(proposal.document or proposal.id, []).append(proposal)
    paired = {document: codings for document, codings in groups.items() if len(codings) > 1}
    if not paired:
        given = ", ".join(f"{p.id} (document {p.document or p.id})" for p in proposals)
        raise ComparisonError(
            "no document is coded twice: agreement needs two or more codings of one document, "
            "and codings of one document share `document:` (the id of the document coded); "
            f"got {len(proposals)} coding(s): {given or 'none'}"
        )
    units: list[UnitAgreement] = []
    coders: dict[str, None] = {}
    for document, codings in paired.items():
        names = _coder_names(document, codings)
        sets = [positions_of(coding) for coding in codings]
        for left, right in itertools.combinations(sets, 2):
            try:
                diff(left, right)  # the engine's check that shared issues are defined alike
            except ComparisonError as exc:
                raise ComparisonError(f"codings of document {document!r}: {exc}") from None
        units += _units(document, names, sets)
        coders.update(dict.fromkeys(names))
    return Agreement(
        documents=tuple(paired),
        coders=tuple(coders),
        units=tuple(units),
        alphas=_alphas(units),
        unpaired=tuple(p.id for codings in groups.values() if len(codings) < 2 for p in codings),
    )


def _coder_names(document: str, codings: list[Proposal]) -> tuple[str, ...]:
    names = tuple(coding.coder or coding.id for coding in codings)
    for name in dict.fromkeys(names):
        same = [coding.id for coding, n in zip(codings, names, strict=True) if n == name]
        if len(same) > 1:
            raise ComparisonError(
                f"codings {', '.join(same)} of document {document!r} are all by {name!r}; "
                "give each coding of a document its own `coder:`"
            )
    return names


def _units(document: str, coders: tuple[str, ...], sets: list[PositionSet]) -> list[UnitAgreement]:
    order: dict[str, tuple[tuple[int, str, int], str]] = {}
    for positions in sets:
        for position in positions.all_positions():
            order.setdefault(position.key, position.sort_key)
    units = []
    for key in sorted(order, key=order.__getitem__):
        stances = tuple(
            CoderStance(coder, positions.proposal_id, next(iter(positions.candidates(key)), None))
            for coder, positions in zip(coders, sets, strict=True)
        )
        pairs = tuple(
            _pair(a, b)
            for a, b in itertools.combinations(stances, 2)
            if not (a.silent and b.silent)
        )
        some = next(s.position for s in stances if s.position is not None)
        units.append(
            UnitAgreement(
                document=document,
                key=key,
                label=some.label,
                kind=some.kind,
                category=some.category,
                stances=stances,
                pairs=pairs,
                agreed=all(p.relation is Relation.AGREE for p in pairs),
            )
        )
    return units


def _pair(a: CoderStance, b: CoderStance) -> PairRelation:
    if a.position is None:
        judgement = ONLY_B
    elif b.position is None:
        judgement = ONLY_A
    else:
        judgement = judge(a.position, b.position)
    return PairRelation(a.coder, b.coder, judgement.relation, judgement.reason, judgement.gap)


# --------------------------------------------------------------------------- coding values


def stated_value(position: Position) -> str:
    """The value a stance states, as one category: what nominal α tells apart.

    A category, level or text's word set as written; yes or no; a list's sorted items; a
    figure with its unit and bound; and each form (unspecified, not, including, all_except)
    with its sorted items.
    """
    value = position.value
    if isinstance(value, Unstated):
        return UNSPECIFIED
    if isinstance(value, AnyBut):
        return "not: " + ", ".join(sorted(value.values))
    if isinstance(value, AtLeast):
        return "including: " + ", ".join(sorted(value.items))
    if isinstance(value, EveryoneBut):
        return "all_except: " + ", ".join(sorted(value.items))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        figure = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        unit = f" {position.unit}" if position.unit else ""
        return f"{figure}{unit}, {position.bound or 'exact'}"
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if position.kind is IssueKind.TEXT:
        return "words: " + " ".join(sorted(words(value)))
    return value


def _scale_place(position: Position) -> float | None:
    """A level's place on its scale, 0 to 1; None for what no scale places."""
    value = position.value
    if not isinstance(value, str):
        return None  # unspecified, or {not: ...}
    definition = position.definition
    span = definition.scale_span
    start = definition.place(definition.values[0])
    return (definition.place(value) - start) / span if span else 0.0


@functools.cache
def _plain_set() -> IssueDefinition:
    """A set issue with no 'everyone' item: the reading every set value is brought to."""
    return IssueDefinition(
        key="agreement.set", label="Set", category="agreement", kind=IssueKind.SET
    )


def _set_value(position: Position) -> PositionValue:
    """A set stance in a form whose reading no longer needs its issue: a list holding the
    issue's 'everyone' item is everyone (the engine reads it so)."""
    value = position.value
    everyone = position.definition.universal
    if isinstance(value, frozenset) and everyone is not None and everyone in value:
        return EveryoneBut(frozenset())
    return value


def set_distance(a: PositionValue, b: PositionValue) -> float:
    """1 − Jaccard of two set stances, as the engine measures it (``gap_between``), with
    'everyone' written as ``EveryoneBut(frozenset())``; unspecified is 1 from any stated list."""
    if a == b:
        return 0.0
    if isinstance(a, Unstated) or isinstance(b, Unstated):
        return 1.0
    gap = gap_between(_plain_set(), a, b)
    return 1.0 if gap is None else gap


# --------------------------------------------------------------------------- alpha


def _alphas(units: list[UnitAgreement]) -> tuple[Alpha, ...]:
    found = [
        alpha_of(
            [[s.value for s in u.stances] for u in units],
            "nominal",
            scope="overall",
            note=_NOTES["overall"],
        )
    ]
    for kind in IssueKind:
        of_kind = [[s.position for s in u.stances] for u in units if u.kind is kind]
        if of_kind:
            found.append(_kind_alpha(kind, of_kind))
    return tuple(found)


def _kind_alpha(kind: IssueKind, units: list[list[Position | None]]) -> Alpha:
    if kind is IssueKind.ORDINAL:
        return _measured(kind, units, _scale_place, "ordinal", _NOTES[kind])
    if kind is IssueKind.SET:
        return alpha_of(
            [[None if p is None else _set_value(p) for p in unit] for unit in units],
            SET_DISTANCE,
            distance=set_distance,
            scope=kind.value,
            note=_NOTES[kind],
        )
    if kind is IssueKind.NUMBER:
        measures = {p.unit for unit in units for p in unit if p and isinstance(p.value, float)}
        if len(measures) <= 1:
            (unit,) = measures or {None}
            note = (
                f"interval on the figures ({unit or 'no unit'}); bounds not in α; "
                "unspecified left out"
            )
            return _measured(kind, units, _figure, "interval", note)
        listed = ", ".join(sorted(str(m) for m in measures))
        note = (
            f"nominal on figure, unit and bound: the figures are in different units ({listed}), "
            "so their differences cannot be pooled"
        )
    else:
        note = _NOTES[kind]
    return alpha_of(
        [[None if p is None else stated_value(p) for p in unit] for unit in units],
        "nominal",
        scope=kind.value,
        note=note,
    )


def _figure(position: Position) -> float | None:
    return position.value if isinstance(position.value, float) else None


def _measured(
    kind: IssueKind,
    units: list[list[Position | None]],
    measure: Callable[[Position], float | None],
    level: str,
    note: str,
) -> Alpha:
    """α on what ``measure`` makes of each stance; stances it cannot measure are left out."""
    coded = [[None if p is None else measure(p) for p in unit] for unit in units]
    left_out = sum(
        p is not None and value is None
        for unit, values in zip(units, coded, strict=True)
        for p, value in zip(unit, values, strict=True)
    )
    return alpha_of(coded, level, scope=kind.value, left_out=left_out, note=note)


def alpha_of(
    units: Iterable[Sequence[Hashable | None]],
    level: str = "nominal",
    *,
    distance: Callable[[Any, Any], float] | None = None,
    scope: str = "data",
    left_out: int = 0,
    note: str = "",
) -> Alpha:
    """Krippendorff's α of reliability data, computed by the ``krippendorff`` package.

    ``units``: per unit, each coder's value, None where missing. ``level`` is ``nominal``
    (any hashable values), ``ordinal`` or ``interval`` (numbers: their order or their
    differences count); with ``distance``, a function of two values (0 for equal ones),
    ``level`` only names it and the package uses a metric that looks the distances up.
    Only units with two or more values count; α is None where it is undefined.
    """
    if distance is None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)} or a distance")
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [values for values in pairable if len(values) > 1]
    count = sum(len(values) for values in pairable)
    if distance is None and level != "nominal":
        domain: list[Hashable] = sorted({v for values in pairable for v in values}, key=_number)
    else:
        domain = list(dict.fromkeys(v for values in pairable for v in values))
    result = Alpha(scope, level, None, len(pairable), count, left_out, note)
    if len(domain) < 2:
        return result
    value = _package_alpha(pairable, domain, level, distance)
    if value is None:
        return result
    return Alpha(scope, level, value, len(pairable), count, left_out, note)


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"ordinal and interval values are numbers, got {value!r}")


def _package_alpha(
    pairable: list[list[Hashable]],
    domain: list[Hashable],
    level: str,
    distance: Callable[[Any, Any], float] | None,
) -> float | None:
    krippendorff: Any = require_extra("krippendorff", "Krippendorff's alpha")
    import numpy as np

    index = {value: i for i, value in enumerate(domain)}
    counts = np.zeros((len(pairable), len(domain)), dtype=np.int64)
    for row, values in enumerate(pairable):
        for value in values:
            counts[row, index[value]] += 1
    metric: Any = level
    value_domain: Any = np.arange(len(domain))
    if distance is not None:
        table = np.array([[distance(a, b) for b in domain] for a in domain], dtype=np.float64)
        metric = _lookup_metric(table)
    elif level != "nominal":
        value_domain = np.array(domain, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(
            krippendorff.alpha(
                value_counts=counts, value_domain=value_domain, level_of_measurement=metric
            )
        )
    return value if math.isfinite(value) else None


def _lookup_metric(table: Any) -> Any:
    """The package's metric signature, answering from a precomputed distance table (the
    package calls it with the value indices of every pair)."""

    def metric(v1: Any, v2: Any, i1: Any, i2: Any, n_v: Any, dtype: Any = None) -> Any:
        found = table[i1, i2]
        return found if dtype is None else found.astype(dtype)

    return metric
