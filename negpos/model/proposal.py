"""A proposal: one side's terms, with its parties, regions, sources and stances."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from negpos.codebook import (
    Codebook,
    IssueDefinition,
    ResolvedIssue,
    as_codebook,
    default_codebook,
    is_issue_key,
)
from negpos.model.alternative import Alternative
from negpos.model.collected_errors import CollectedErrors
from negpos.model.frozen import FrozenDict
from negpos.model.party import Party
from negpos.model.region import Region
from negpos.model.reparations import Reparations
from negpos.model.security import SecurityStance
from negpos.model.source import Source
from negpos.model.stance import IssueStance, KeyedStance, StanceMeta
from negpos.model.territory import RegionStance
from negpos.model.value_forms import (
    UNSPECIFIED,
    AllExcept,
    Condition,
    Excluding,
    Extent,
    Including,
)
from negpos.values import IsoDate, NumberRange, Quantity

__all__ = ["Proposal", "ProposalForm", "ProposalStatus"]


class ProposalStatus(StrEnum):
    """How the text is known: published officially, reported, leaked, or a stage of agreement."""

    OFFICIAL = "official"
    REPORTED = "reported"
    LEAKED = "leaked"
    DRAFT = "draft"
    AGREED = "agreed"
    SIGNED = "signed"


class ProposalForm(StrEnum):
    """What the source of a proposal's terms is: its text, a statement, a leak or a report."""

    TEXT = "text"  # the document itself (a plan, a memorandum, a draft)
    STATEMENT = "statement"  # a speech or declaration by the speaker
    LEAK = "leak"  # a text published without its authors' consent
    REPORT = "report"  # second-hand: someone's account of what was demanded or offered


class Proposal(BaseModel):
    """One proposal. Validate with ``Proposal.model_validate(data, context={"codebook": cb})``
    to check its ``issues`` against your own codebook (a ``Codebook`` or the path of a codebook
    file) instead of the default one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", description="Unique id of the proposal."
    )
    title: str = Field(min_length=1, description="Full title.")
    label: str | None = Field(
        default=None, description="Short name for table headers, e.g. `Russia, June 2025`."
    )
    date: IsoDate = Field(description="Date it was made or presented, YYYY-MM-DD.")
    status: ProposalStatus = Field(
        description="official, reported, leaked, draft, agreed or signed."
    )
    form: ProposalForm | None = Field(
        default=None,
        description="text, statement, leak or report: how the terms reach us (not stated: unknown).",
    )
    document: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="Id of the document coded, shared by every coding of it (for agreement "
        "between coders); default: the proposal's id.",
    )
    coder: str | None = Field(default=None, description="Who coded this file (a name or id).")
    coded: IsoDate | None = Field(default=None, description="When it was coded, YYYY-MM-DD.")
    speaker: str | None = Field(
        default=None,
        description="Who voiced the terms, when not the authors' document: a person or office, "
        "e.g. `a senior Ukrainian official, to Reuters`.",
    )
    authors: tuple[str, ...] = Field(min_length=1, description="Ids of the parties that made it.")
    addressees: tuple[str, ...] = Field(default=(), description="Ids of the parties it is made to.")
    parties: tuple[Party, ...] = Field(min_length=1, description="Every party the proposal names.")
    regions: tuple[Region, ...] = Field(default=(), description="Every region it names.")
    sources: tuple[Source, ...] = Field(min_length=1, description="Where its terms were reported.")
    territory: tuple[RegionStance, ...] = Field(
        default=(), description="Stances, region by region."
    )
    security: tuple[SecurityStance, ...] = Field(
        default=(), description="Neutrality and security stances, per party they bind."
    )
    reparations: Reparations | None = Field(default=None, description="Reparations and claims.")
    issues: FrozenDict[str, IssueStance] = Field(
        default_factory=FrozenDict, description="Stances on further codebook issues, by issue key."
    )
    alternatives: tuple[Alternative, ...] = Field(
        default=(),
        description='Alternative packages the other side may choose between ("either ... or '
        '..."); their issues are stated nowhere else in the proposal.',
    )
    revises: str | None = Field(
        default=None,
        description="Id of the proposal this one revises (e.g. a 20-point plan revising the 28 "
        "points); timelines follow these links.",
    )
    ucdp_conflict_id: int | None = Field(
        default=None,
        ge=1,
        strict=True,
        description="The UCDP conflict id of the conflict the proposal is about (UCDP/PRIO "
        "Armed Conflict Dataset), to join with UCDP and PA-X (its `UcdpCon` column).",
    )
    note: str | None = Field(default=None, description="Anything a reader should know.")

    _codebook: Codebook = PrivateAttr(default_factory=default_codebook)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Proposal:
        codebook = _codebook_from_context(info.context)
        self._codebook = codebook
        errors = _Errors()
        ids = self._check_ids(codebook, errors)
        self._check_named_parts(ids, errors)
        sections = self._sections()
        errors.unique("alternatives", [a.id for a in self.alternatives])
        sections += [(("alternatives", i), a) for i, a in enumerate(self.alternatives)]
        for loc, section in sections:
            _check_section(loc, section, codebook, ids, errors)
        self._check_stances(codebook, ids, errors)
        if len(self.alternatives) == 1:
            errors.add(("alternatives",), "give two or more alternatives, or none")
        errors.raise_if_any()
        return self

    def _check_ids(self, codebook: Codebook, errors: _Errors) -> _Ids:
        """Ids are unique; party ids are not reserved words and their kinds are known."""
        party_ids = errors.unique("parties", [p.id for p in self.parties])
        reserved = codebook.reserved_words
        kinds = codebook.allowed_party_kinds
        for index, party in enumerate(self.parties):
            if party.id in reserved:
                errors.add(("parties", index, "id"), f"{party.id!r} is reserved; choose another id")
            if party.kind not in kinds:
                errors.add(
                    ("parties", index, "kind"),
                    f"unknown party kind {party.kind!r}; expected one of {', '.join(kinds)}",
                )
        source_ids = errors.unique("sources", [s.id for s in self.sources])
        region_ids = errors.unique("regions", [r.id for r in self.regions])
        errors.unique("territory", [t.region for t in self.territory], key="region")
        errors.unique("security", [s.party for s in self.security], key="party")
        return _Ids(parties=party_ids, sources=source_ids, regions=region_ids)

    def _check_named_parts(self, ids: _Ids, errors: _Errors) -> None:
        """Authors, addressees, regions and bound parties are ones the proposal defines."""
        for field in ("authors", "addressees"):
            for index, party in enumerate(getattr(self, field)):
                errors.known((field, index), party, ids.parties, "party")
        for index, region in enumerate(self.territory):
            errors.known(("territory", index, "region"), region.region, ids.regions, "region")
        for index, terms in enumerate(self.security):
            errors.known(("security", index, "party"), terms.party, ids.parties, "party")

    def _sections(self) -> list[tuple[tuple[str | int, ...], StanceMeta]]:
        """The typed sections with their locations, in file order."""
        sections: list[tuple[tuple[str | int, ...], StanceMeta]] = [
            *((("territory", i), t) for i, t in enumerate(self.territory)),
            *((("security", i), t) for i, t in enumerate(self.security)),
        ]
        if self.reparations is not None:
            sections.append((("reparations",), self.reparations))
        return sections

    def _check_stances(self, codebook: Codebook, ids: _Ids, errors: _Errors) -> None:
        """Every stance against the codebook; an alternative's issues are stated nowhere else."""
        checks = _StanceChecks(codebook, ids, errors)
        stances = self.keyed_stances()
        main_keys = frozenset(keyed.key for keyed in stances)
        for keyed in stances:
            _check_stance(keyed, checks, main_keys)
        for index, alternative in enumerate(self.alternatives):
            package = alternative.keyed_stances(("alternatives", index))
            stated = main_keys | {keyed.key for keyed in package}
            for keyed in package:
                _check_stance(keyed, checks, stated)
                if keyed.key in main_keys:
                    errors.add(
                        keyed.loc,
                        "also stated outside the alternatives; an issue is either in the "
                        "proposal's terms or in its alternatives",
                    )

    def replace(self, **changes: Any) -> Proposal:
        """A new proposal with ``changes`` (field name to new value), validated in full.

        Every field is checked again, and so is every cross-reference (sources, parties,
        regions, values against the codebook), against this proposal's codebook: a change
        that leaves a stance citing a source no longer there raises ``ValidationError``,
        as loading such a file would. Values may be model objects or plain data as in a file
        (``replace(issues={"sanctions.lifting": {"value": "full", "sources": ["S1"]}})``).
        ``model_copy(update=...)`` checks nothing; use this instead. ``copy.replace`` (Python
        3.13) calls it too.
        """
        fields = type(self).model_fields
        kept = {name: getattr(self, name) for name in self.model_fields_set if name in fields}
        return type(self).model_validate({**kept, **changes}, context={"codebook": self._codebook})

    def __replace__(self, **changes: Any) -> Proposal:
        return self.replace(**changes)

    @property
    def codebook(self) -> Codebook:
        """The codebook this proposal was validated against."""
        return self._codebook

    @property
    def display_label(self) -> str:
        return self.label or self.title

    def keyed_stances(self) -> list[KeyedStance]:
        """Every stance with its issue key, in the order the proposal writes them."""
        found: list[KeyedStance] = []
        for index, region in enumerate(self.territory):
            found += region.keyed_stances(("territory", index))
        for index, terms in enumerate(self.security):
            found += terms.keyed_stances(("security", index))
        if self.reparations is not None:
            found += self.reparations.keyed_stances(("reparations",))
        found += [
            KeyedStance(key=key, stance=stance, section=None, loc=("issues", key))
            for key, stance in self.issues.items()
        ]
        return found

    def alternative(self, alternative_id: str) -> Alternative:
        """One of the proposal's alternative packages, by id."""
        for alternative in self.alternatives:
            if alternative.id == alternative_id:
                return alternative
        listed = ", ".join(a.id for a in self.alternatives) or "none"
        raise KeyError(f"{self.id} has no alternative {alternative_id!r}; it has: {listed}")

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def region(self, region_id: str) -> Region | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def unknown_issue_message(codebook: Codebook) -> str:
    """How a problem with a key the codebook does not define begins."""
    return f"not an issue of {codebook.name}"


def _codebook_from_context(context: Any) -> Codebook:
    """The codebook in the validation context (a Codebook or a codebook file's path)."""
    if isinstance(context, dict):
        codebook = as_codebook(context.get("codebook"))
        if codebook is not None:
            return codebook
    return default_codebook()


@dataclass(frozen=True, slots=True)
class _Ids:
    parties: frozenset[str]
    sources: frozenset[str]
    regions: frozenset[str]


class _Errors(CollectedErrors):
    """Collects every reference and value problem so the user sees them all at once."""

    def __init__(self) -> None:
        super().__init__("Proposal")

    def unique(self, field: str, ids: list[str], key: str = "id") -> frozenset[str]:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.add((field, index, key), f"{item!r} appears twice")
            seen.add(item)
        return frozenset(seen)

    def known(
        self, loc: tuple[str | int, ...], item: str, known: frozenset[str], what: str
    ) -> None:
        if item not in known:
            listed = ", ".join(sorted(known)) or "none defined"
            self.add(loc, f"unknown {what} {item!r}; the proposal defines: {listed}")


def _check_section(
    loc: tuple[str | int, ...], section: StanceMeta, codebook: Codebook, ids: _Ids, errors: _Errors
) -> None:
    """What a section passes on: its condition, its part of a region, its citations."""
    check_condition(loc, section.condition, codebook, ids, errors)
    if not isinstance(section, RegionStance):
        for field in ("extent", "area"):
            if getattr(section, field) is not None:
                errors.add(
                    (*loc, field),
                    "only a region's section (or a stance about a region) has an extent or area",
                )
    for index, source in enumerate(section.sources):
        errors.known((*loc, "sources", index), source, ids.sources, "source")
    for index, item in enumerate(section.evidence):
        errors.known((*loc, "evidence", index, "source"), item.source, ids.sources, "source")


class _StanceChecks:
    """What every stance of one proposal is checked against, gathered once per proposal, not
    once per stance: the codebook, its resolver, the ids the proposal defines."""

    __slots__ = ("codebook", "errors", "ids", "resolve")

    def __init__(self, codebook: Codebook, ids: _Ids, errors: _Errors) -> None:
        self.codebook = codebook
        self.ids = ids
        self.errors = errors
        self.resolve = codebook.resolver()


def _check_stance(keyed: KeyedStance, checks: _StanceChecks, stated: frozenset[str]) -> None:
    """One stance: its citations, its key, its value, qualifiers, acceptable values and the
    detail its level needs (``stated``: the keys stated beside it)."""
    ids, errors = checks.ids, checks.errors
    _check_citations(keyed, ids.sources, errors)
    resolved = _resolve(keyed, checks, errors)
    if resolved is None:
        return
    definition = resolved.definition
    for placeholder, bound in resolved.bindings.items():
        if placeholder == "region":
            errors.known(keyed.loc, bound, ids.regions, "region")
        else:
            errors.known(keyed.loc, bound, ids.parties, f"{placeholder} (party)")
    _check_value(keyed, definition, ids.parties, errors)
    _check_qualifiers(keyed, checks.codebook, ids, "region" in resolved.bindings, errors)
    if keyed.stance.acceptable is not None:
        _check_acceptable(keyed, definition, ids.parties, errors)
    if definition.detail is not None:
        _check_detail(keyed, definition, stated, errors)


def _check_citations(keyed: KeyedStance, source_ids: frozenset[str], errors: _Errors) -> None:
    stance = keyed.stance
    if not keyed.cites_any:
        errors.add((*keyed.loc, "sources"), "no source: cite one here or on its section")
    for index, source in enumerate(stance.sources):
        if source not in source_ids:
            errors.known((*keyed.loc, "sources", index), source, source_ids, "source")
    for index, item in enumerate(stance.evidence):
        if item.source not in source_ids:
            errors.known(
                (*keyed.loc, "evidence", index, "source"), item.source, source_ids, "source"
            )


def _resolve(keyed: KeyedStance, checks: _StanceChecks, errors: _Errors) -> ResolvedIssue | None:
    """The codebook entry of the stance's key; None, with the problem noted, if it has none
    (or if a typed issue is written under ``issues`` or in an alternative)."""
    in_issues = keyed.loc[0] in ("issues", "alternatives")  # codebook keys, not typed sections
    resolved = checks.resolve(keyed.key)
    if resolved is not None and not (in_issues and resolved.definition.typed):
        return resolved
    codebook = checks.codebook
    if in_issues and not is_issue_key(keyed.key):
        errors.add(keyed.loc, "an issue key is dotted words, e.g. sanctions.lifting")
    elif in_issues:
        keys = ", ".join(codebook.literal_keys())
        errors.add(keyed.loc, f"{unknown_issue_message(codebook)}; known issues: {keys}")
    else:
        errors.add(keyed.loc, f"no codebook entry for {keyed.key!r} in {codebook.name}")
    return None


def _check_acceptable(
    keyed: KeyedStance, definition: IssueDefinition, party_ids: frozenset[str], errors: _Errors
) -> None:
    acceptable = keyed.stance.acceptable
    loc = (*keyed.loc, "acceptable")
    if isinstance(acceptable, NumberRange):
        if definition.kind != "number":
            errors.add(loc, "a {min, max} range suits only number issues")
        return
    if acceptable is None:
        return
    if definition.kind == "number":
        errors.add(loc, "for a number issue give {min, max}")
    for index, option in enumerate(acceptable):
        problem = (
            "acceptable values are plain values of the issue"
            if isinstance(option, Excluding | Including | AllExcept) or option == UNSPECIFIED
            else definition.check_value(_plain(option), party_ids)
        )
        if problem:
            errors.add((*loc, index), problem)


def _check_detail(
    keyed: KeyedStance, definition: IssueDefinition, stated: frozenset[str], errors: _Errors
) -> None:
    """A level the codebook says needs a detail (``detail: {value, field}``) comes with the
    sibling issue ``<parent key>.<field>``, and that issue only with that level: the
    codebook's data, whatever the issue, in a typed section, under ``issues`` or in an
    alternative."""
    detail = definition.detail
    if detail is None:
        return
    sibling = f"{keyed.key.rpartition('.')[0]}.{detail.field}"
    named = sibling in stated
    level = keyed.stance.value == detail.value
    if level and not named:
        errors.add(keyed.loc, f"{detail.value} needs {detail.field}")
    elif named and not level:
        errors.add(keyed.loc, f"{detail.field} is given, so the value should be {detail.value}")


def _check_value(
    keyed: KeyedStance, definition: IssueDefinition, party_ids: frozenset[str], errors: _Errors
) -> None:
    value = keyed.stance.value
    bound = getattr(keyed.stance, "bound", None)
    if bound is not None and definition.kind != "number":
        errors.add((*keyed.loc, "bound"), "only figures have a bound (max, min or exact)")
    if value == UNSPECIFIED:
        return  # addressed, level not stated: fits every kind
    form = None if type(value) in _PLAIN_TYPES else _form_of(value)
    if form is not None:
        problem = definition.check_form(form[0], form[1], party_ids)
    else:
        problem = definition.check_value(_plain(value), party_ids)
    if problem:
        errors.add((*keyed.loc, "value"), problem)


def check_condition(
    loc: tuple[str | int, ...],
    written: str | Condition | None,
    codebook: Codebook,
    ids: _Ids,
    errors: _Errors,
) -> None:
    if not isinstance(written, Condition):
        return
    if written.kind not in codebook.allowed_condition_kinds:
        errors.add(
            (*loc, "condition", "kind"),
            f"unknown condition kind {written.kind!r}; expected one of "
            f"{', '.join(codebook.allowed_condition_kinds)}",
        )
    if written.on is None:
        return
    resolved = codebook.resolve(written.on)
    if resolved is None:
        errors.add(
            (*loc, "condition", "on"), f"{written.on!r} is not an issue key of {codebook.name}"
        )
        return
    for placeholder, bound in resolved.bindings.items():  # the region or party must exist
        known = ids.regions if placeholder == "region" else ids.parties
        errors.known((*loc, "condition", "on"), bound, known, placeholder)


_PLAIN_TYPES = frozenset({str, bool, int, float, tuple})
"""Value types that are no form and no Quantity: the common case, told apart by one lookup."""


def _form_of(value: object) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(value, Excluding):
        return "not", value.values
    if isinstance(value, Including):
        return "including", value.items
    if isinstance(value, AllExcept):
        return "all_except", value.items
    return None


def _check_qualifiers(
    keyed: KeyedStance, codebook: Codebook, ids: _Ids, about_a_region: bool, errors: _Errors
) -> None:
    """Conditions name a known kind and issue; extents belong to stances about a region."""
    stance = keyed.stance
    if stance.condition is not None:
        check_condition(keyed.loc, stance.condition, codebook, ids, errors)
    if not about_a_region:
        for field, written in (("extent", stance.extent), ("area", stance.area)):
            if written is not None:
                errors.add(
                    (*keyed.loc, field), "only stances about a region have an extent or area"
                )
    elif keyed.extent is Extent.AREA and keyed.area is None:
        errors.add((*keyed.loc, "area"), "extent area needs `area`: the part meant, in words")


def _plain(value: object) -> object:
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, Quantity):
        return (value.amount, value.unit)
    return value
