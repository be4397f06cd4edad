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
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from negpos.codebook import Codebook, default_codebook, is_issue_key
from negpos.model.party import RESERVED_PARTY_IDS, Party
from negpos.model.region import Region
from negpos.model.reparations import Reparations
from negpos.model.security import SecurityStance
from negpos.model.source import Source
from negpos.model.stance import IssueStance, KeyedStance, StanceMeta
from negpos.model.territory import RegionStance
from negpos.values import IsoDate, NumberRange, Quantity

__all__ = ["Proposal", "ProposalStatus"]


class ProposalStatus(StrEnum):
    """How the text is known: published officially, reported, leaked, or a stage of agreement."""

    OFFICIAL = "official"
    REPORTED = "reported"
    LEAKED = "leaked"
    DRAFT = "draft"
    AGREED = "agreed"
    SIGNED = "signed"


class Proposal(BaseModel):
    """One proposal. Validate with ``Proposal.model_validate(data, context={"codebook": cb})``
    to check its ``issues`` against your own codebook instead of the default one."""

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
    issues: dict[str, IssueStance] = Field(
        default_factory=dict, description="Stances on further codebook issues, by issue key."
    )
    revises: str | None = Field(
        default=None,
        description="Id of the proposal this one revises (e.g. a 20-point plan revising the 28 "
        "points); timelines follow these links.",
    )
    note: str | None = Field(default=None, description="Anything a reader should know.")

    _codebook: Codebook = PrivateAttr(default_factory=default_codebook)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Proposal:
        codebook = _codebook_from_context(info.context)
        self._codebook = codebook
        errors = _Errors()
        party_ids = errors.unique("parties", [p.id for p in self.parties])
        for index, party in enumerate(self.parties):
            if party.id in RESERVED_PARTY_IDS:
                errors.add(("parties", index, "id"), f"{party.id!r} is reserved; choose another id")
        source_ids = errors.unique("sources", [s.id for s in self.sources])
        region_ids = errors.unique("regions", [r.id for r in self.regions])
        errors.unique("territory", [t.region for t in self.territory], key="region")
        errors.unique("security", [s.party for s in self.security], key="party")
        for field in ("authors", "addressees"):
            for index, party in enumerate(getattr(self, field)):
                errors.known((field, index), party, party_ids, "party")
        for index, region in enumerate(self.territory):
            errors.known(("territory", index, "region"), region.region, region_ids, "region")
        for index, terms in enumerate(self.security):
            errors.known(("security", index, "party"), terms.party, party_ids, "party")
        sections: list[tuple[tuple[str | int, ...], StanceMeta]] = [
            *((("territory", i), t) for i, t in enumerate(self.territory)),
            *((("security", i), t) for i, t in enumerate(self.security)),
        ]
        if self.reparations is not None:
            sections.append((("reparations",), self.reparations))
        for loc, section in sections:
            for index, source in enumerate(section.sources):
                errors.known((*loc, "sources", index), source, source_ids, "source")
        ids = _Ids(parties=party_ids, sources=source_ids, regions=region_ids)
        for keyed in self.keyed_stances():
            _check_stance(keyed, codebook, ids, errors)
        errors.raise_if_any()
        return self

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

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def region(self, region_id: str) -> Region | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _codebook_from_context(context: Any) -> Codebook:
    if isinstance(context, dict):
        codebook = context.get("codebook")
        if isinstance(codebook, Codebook):
            return codebook
        if codebook is not None:
            raise TypeError("context['codebook'] must be a negpos Codebook")
    return default_codebook()


@dataclass(frozen=True, slots=True)
class _Ids:
    parties: frozenset[str]
    sources: frozenset[str]
    regions: frozenset[str]


class _Errors:
    """Collects every reference and value problem so the user sees them all at once."""

    def __init__(self) -> None:
        self.items: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        self.items.append(
            InitErrorDetails(
                type=PydanticCustomError("negpos", "{message}", {"message": message}),
                loc=loc,
                input=None,
            )
        )

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

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError.from_exception_data("Proposal", self.items)


def _check_stance(
    keyed: KeyedStance,
    codebook: Codebook,
    ids: _Ids,
    errors: _Errors,
) -> None:
    party_ids, source_ids, region_ids = ids.parties, ids.sources, ids.regions
    stance = keyed.stance
    if not keyed.sources:
        errors.add((*keyed.loc, "sources"), "no source: cite one here or on its section")
    for index, source in enumerate(stance.sources):
        errors.known((*keyed.loc, "sources", index), source, source_ids, "source")
    in_issues = keyed.loc[0] == "issues"
    resolved = codebook.resolve(keyed.key)
    if resolved is None or (in_issues and resolved.definition.typed):
        if in_issues and not is_issue_key(keyed.key):
            errors.add(keyed.loc, "an issue key is dotted words, e.g. sanctions.lifting")
        elif in_issues:
            keys = ", ".join(codebook.literal_keys())
            errors.add(keyed.loc, f"not an issue of {codebook.name}; known issues: {keys}")
        else:
            errors.add(keyed.loc, f"no codebook entry for {keyed.key!r} in {codebook.name}")
        return
    definition = resolved.definition
    for placeholder, bound in resolved.bindings.items():
        if placeholder == "region":
            errors.known(keyed.loc, bound, region_ids, "region")
        else:
            errors.known(keyed.loc, bound, party_ids, f"{placeholder} (party)")
    problem = definition.check_value(_plain(stance.value), party_ids)
    if problem:
        errors.add((*keyed.loc, "value"), problem)
    acceptable = stance.acceptable
    if isinstance(acceptable, NumberRange):
        if definition.kind != "number":
            errors.add((*keyed.loc, "acceptable"), "a {min, max} range suits only number issues")
    elif acceptable is not None:
        if definition.kind == "number":
            errors.add((*keyed.loc, "acceptable"), "for a number issue give {min, max}")
        for index, option in enumerate(acceptable):
            problem = definition.check_value(_plain(option), party_ids)
            if problem:
                errors.add((*keyed.loc, "acceptable", index), problem)
    section = keyed.section
    if keyed.key.endswith(".withdrawal") and section is not None:
        named = getattr(section, "withdrawal_line_name", None) is not None
        if stance.value == "named_line" and not named:
            errors.add(keyed.loc, "named_line needs withdrawal_line_name")
        if stance.value != "named_line" and named:
            errors.add(
                keyed.loc, "withdrawal_line_name is given, so withdrawal should be named_line"
            )


def _plain(value: object) -> object:
    if isinstance(value, Quantity):
        return (value.amount, value.unit)
    return value
