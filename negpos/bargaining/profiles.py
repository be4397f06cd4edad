"""Preference-profile files: who wants what, how much, and how sure anyone can be.

A profile file sits beside proposals. It names the issues in scope (codebook keys; numbers
with the step their range is cut into) and, per party, a weight and a utility per option for
each issue, a walk-away point and, optionally, a capability. Every number may carry a range
or an sd (see ``Estimate``), a basis and sources. Problems are reported with file and line,
like proposal files, and nothing is half-loaded.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from negpos.bargaining.domain import (
    Domain,
    IssueScope,
    IssueUtility,
    OptionValue,
    PartyPreferences,
)
from negpos.bargaining.errors import ProfileFileError
from negpos.bargaining.estimates import Estimate
from negpos.codebook import (
    Codebook,
    CodebookOrPath,
    IssueDefinition,
    IssueKind,
    as_codebook,
    default_codebook,
)
from negpos.documents import (
    Document,
    DocumentError,
    dotted_field,
    problems_from_validation_error,
    read_document,
)
from negpos.errors import Problem
from negpos.model import Basis, Source
from negpos.values import FiniteFloat

__all__ = [
    "BARGAINABLE_KINDS",
    "DEFAULT_STEPS",
    "PartyProfile",
    "ProfileFile",
    "ScopeIssue",
    "domain_from_profiles",
    "is_profile_data",
    "load_profiles",
]

BARGAINABLE_KINDS = (IssueKind.CATEGORICAL, IssueKind.ORDINAL, IssueKind.BOOLEAN, IssueKind.NUMBER)
DEFAULT_STEPS = 10  # a number issue's range is cut into this many steps unless a step is given
MAX_OPTIONS = 1_000_000  # options of one number issue: checked before any is made


class ScopeIssue(BaseModel):
    """An issue in scope: ``{issue: security.force_cap, range: [0, 1000000], step: 100000}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issue: str = Field(description="Codebook key of the issue.")
    range: tuple[FiniteFloat, FiniteFloat] | None = Field(
        default=None, description="Numbers: lowest and highest figure (default: the codebook's)."
    )
    step: FiniteFloat | None = Field(
        default=None, gt=0, description="Numbers: the distance between two options."
    )


class PartyProfile(BaseModel):
    """One party's preferences over the issues in scope."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    party: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", description="The party's id.")
    name: str | None = Field(default=None, description="Name shown in tables.")
    basis: Basis = Field(
        default=Basis.INFERRED,
        description="How the profile is known, for every number that does not say: stated, "
        "reported or inferred (the analyst's judgement).",
    )
    sources: tuple[str, ...] = Field(default=(), description="Ids of the file's sources.")
    note: str | None = None
    reservation: Estimate = Field(
        default=Estimate(value=0.0),
        description="Walk-away utility, 0 to 1: no agreement is worth this much.",
    )
    capability: Estimate | None = Field(
        default=None, description="Relative power to shape the outcome, 0 or more."
    )
    weights: dict[str, Estimate] = Field(
        description="Salience of each issue in scope, 0 or more; normalised to sum to 1."
    )
    utilities: dict[str, dict[str, Estimate] | list[tuple[FiniteFloat, Estimate]]] = Field(
        description="Per issue: a utility (0 to 1) per option, or for numbers a list of "
        "[figure, utility] points joined by straight lines."
    )

    @field_validator("utilities", mode="before")
    @classmethod
    def _boolean_keys(cls, value: Any) -> Any:
        """YAML reads ``true:`` as a boolean key; a boolean issue's options are written so."""
        if isinstance(value, dict):
            return {
                key: (
                    {_option_key(k): v for k, v in table.items()}
                    if isinstance(table, dict)
                    else table
                )
                for key, table in value.items()
            }
        return value


def _option_key(key: object) -> object:
    if isinstance(key, bool):
        return "true" if key else "false"
    return key


class ProfileFile(BaseModel):
    """A preference-profile file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    profiles: Literal[1] = Field(description="Format version; marks the file as profiles.")
    title: str = Field(min_length=1)
    description: str | None = None
    sources: tuple[Source, ...] = Field(default=(), description="What the numbers rest on.")
    scope: tuple[ScopeIssue, ...] = Field(min_length=1, description="The issues in scope.")
    parties: tuple[PartyProfile, ...] = Field(min_length=2)


def is_profile_data(data: object) -> bool:
    return isinstance(data, dict) and "profiles" in data


def load_profiles(path: str | Path, *, codebook: CodebookOrPath | None = None) -> Domain:
    """Load a profile file into a ``Domain``; raise ``ProfileFileError`` listing every problem.
    ``codebook`` is a ``Codebook`` or a codebook file's path (default: negpos's own)."""
    try:
        document = read_document(path)
    except DocumentError as exc:
        raise ProfileFileError(exc.problems) from None
    return domain_from_document(document, codebook=as_codebook(codebook))


def domain_from_document(document: Document, *, codebook: Codebook | None = None) -> Domain:
    if not is_profile_data(document.data):
        raise ProfileFileError(
            [
                Problem(
                    document.name,
                    document.line_of(()),
                    None,
                    "not a profile file: expected a mapping starting with `profiles: 1`",
                )
            ]
        )
    try:
        parsed = ProfileFile.model_validate(document.data)
    except ValidationError as exc:
        raise ProfileFileError(
            problems_from_validation_error(exc, document, model=ProfileFile)
        ) from None
    return domain_from_profiles(parsed, codebook=codebook, document=document)


def domain_from_profiles(
    profiles: ProfileFile, *, codebook: Codebook | None = None, document: Document | None = None
) -> Domain:
    """Check a parsed file against the codebook and compile it; every problem at once."""
    checker = _Checker(document or Document("<profiles>", None), codebook or default_codebook())
    issues: list[IssueScope | None] = []
    for index, item in enumerate(profiles.scope):
        if item.issue in {s.issue for s in profiles.scope[:index]}:
            checker.problem(("scope", index, "issue"), f"{item.issue!r} is given twice")
            issues.append(None)
        else:
            issues.append(checker.scope_issue(index, item))
    checker.written_keys = {item.issue for item in profiles.scope}
    if len(issues) > 1 and all(checker.codebook.resolve(i.issue) is None for i in profiles.scope):
        checker.problem(
            ("scope",),
            "no issue in scope is in the codebook in use: is the file written for another "
            "codebook? Pass it with --codebook FILE (codebook=... in Python)",
        )
    source_ids = {s.id for s in profiles.sources}
    if len(source_ids) != len(profiles.sources):
        checker.problem(("sources",), "source ids must be unique")
    seen: set[str] = set()
    parties = []
    for index, party in enumerate(profiles.parties):
        if party.party in seen:
            checker.problem(("parties", index, "party"), f"party {party.party!r} is given twice")
        seen.add(party.party)
        parties.append(checker.party(index, party, issues, profiles.sources, source_ids))
    checker.raise_problems()
    return Domain(
        title=profiles.title,
        issues=tuple(i for i in issues if i is not None),
        parties=tuple(p for p in parties if p is not None),
        sources=profiles.sources,
        description=profiles.description,
    )


class _Checker:
    """Collects the problems of one file with their lines."""

    def __init__(self, document: Document, codebook: Codebook) -> None:
        self.document = document
        self.codebook = codebook
        self.problems: list[Problem] = []
        self.written_keys: set[str] = set()  # scope issues as written, valid or not

    def problem(self, loc: tuple[str | int, ...], message: str) -> None:
        field = dotted_field(loc)
        self.problems.append(
            Problem(self.document.name, self.document.line_of(loc), field, message)
        )

    def raise_problems(self) -> None:
        if self.problems:
            raise ProfileFileError(self.problems)

    def scope_issue(self, index: int, item: ScopeIssue) -> IssueScope | None:
        loc: tuple[str | int, ...] = ("scope", index, "issue")
        resolved = self.codebook.resolve(item.issue)
        if resolved is None:
            self.problem(loc, f"{item.issue!r} is not an issue of the codebook in use")
            return None
        definition = resolved.definition
        if definition.kind not in BARGAINABLE_KINDS:
            self.problem(
                loc,
                f"{item.issue!r} is a {definition.kind.value} issue: a package needs a finite "
                "list of options (categorical, ordinal, boolean or number issues)",
            )
            return None
        label = definition.label_for(dict(resolved.bindings))
        if definition.kind is not IssueKind.NUMBER:
            if item.range is not None or item.step is not None:
                self.problem(("scope", index), "range and step are for number issues only")
            options: tuple[OptionValue, ...] = (
                (True, False) if definition.kind is IssueKind.BOOLEAN else definition.values
            )
            if not options:
                self.problem(loc, f"{item.issue!r} has no fixed values to choose from")
                return None
            return IssueScope(item.issue, label, definition, options)
        return self._number_issue(index, item, label, definition)

    def _number_issue(
        self, index: int, item: ScopeIssue, label: str, definition: IssueDefinition
    ) -> IssueScope | None:
        low, high = item.range or (None, None)
        if item.range is None and definition.range is not None:
            low, high = definition.range.min, definition.range.max
        if low is None or high is None:
            self.problem(
                ("scope", index),
                "a number issue needs `range: [low, high]` here or in the codebook",
            )
            return None
        if low > high:
            self.problem(("scope", index, "range"), f"low ({low:g}) is above high ({high:g})")
            return None
        width = high - low
        if not math.isfinite(width):
            self.problem(
                ("scope", index, "range"),
                f"the range {low:g} to {high:g} is wider than a number can hold: narrow it",
            )
            return None
        step = item.step if item.step is not None else width / DEFAULT_STEPS or 1.0
        steps = width / step
        if not math.isfinite(steps) or steps + 1 > MAX_OPTIONS:
            self.problem(
                ("scope", index, "step" if item.step is not None else "range"),
                f"the range {low:g} to {high:g} in steps of {step:g} gives more than "
                f"{MAX_OPTIONS:,} options: give a larger step or a narrower range",
            )
            return None
        count = math.floor(steps + 1e-9) + 1
        options = tuple(float(low + i * step) for i in range(count))
        return IssueScope(item.issue, label, definition, options, step=step)

    def party(
        self,
        index: int,
        party: PartyProfile,
        issues: list[IssueScope | None],
        sources: tuple[Source, ...],
        source_ids: set[str],
    ) -> PartyPreferences | None:
        base: tuple[str | int, ...] = ("parties", index)
        self._sources(base, party.sources, source_ids)
        ok = self._bounded((*base, "reservation"), party.reservation, 0.0, 1.0, source_ids)
        if party.capability is not None:
            ok &= self._bounded((*base, "capability"), party.capability, 0.0, math.inf, source_ids)
        keys = [i.key for i in issues if i is not None]
        for field_name, given in (("weights", party.weights), ("utilities", party.utilities)):
            for key in given:
                if key not in keys and key not in self.written_keys:  # not a follow-on
                    self.problem((*base, field_name, key), f"{key!r} is not in the scope")
                    ok = False
        weights, utilities = [], []
        for issue in issues:
            if issue is None:
                continue
            weight = party.weights.get(issue.key)
            if weight is None:
                self.problem(
                    (*base, "weights"), f"no weight for {issue.key!r} (0 if it does not matter)"
                )
                ok = False
            else:
                ok &= self._bounded(
                    (*base, "weights", issue.key), weight, 0.0, math.inf, source_ids
                )
            utility = self._utility((*base, "utilities", issue.key), issue, party, source_ids)
            ok &= utility is not None
            if weight is not None and utility is not None:
                weights.append(weight)
                utilities.append(utility)
        if ok and weights and all(w.value == 0 for w in weights):
            self.problem(
                (*base, "weights"),
                "every weight is 0: give at least one issue a weight above 0",
            )
            ok = False
        if not ok:
            return None
        cited = set(party.sources)
        return PartyPreferences(
            party=party.party,
            name=party.name or party.party,
            basis=party.basis,
            weights=tuple(weights),
            utilities=tuple(utilities),
            reservation=party.reservation,
            capability=party.capability,
            sources=tuple(s for s in sources if s.id in cited),
            note=party.note,
        )

    def _sources(self, loc: tuple[str | int, ...], ids: tuple[str, ...], known: set[str]) -> bool:
        unknown = [i for i in ids if i not in known]
        for source in unknown:
            self.problem((*loc, "sources"), f"{source!r} is not one of the file's sources")
        return not unknown

    def _bounded(
        self,
        loc: tuple[str | int, ...],
        estimate: Estimate,
        low: float,
        high: float,
        source_ids: set[str],
    ) -> bool:
        ok = self._sources(loc, estimate.sources, source_ids)
        ends = [estimate.value, *(estimate.range or ())]
        if any(not low <= v <= high for v in ends):
            where = f"from {low:g} to {high:g}" if high < math.inf else f"{low:g} or more"
            self.problem(loc, f"expected a number {where}, got {estimate.describe()}")
            ok = False
        return ok

    def _utility(
        self,
        loc: tuple[str | int, ...],
        issue: IssueScope,
        party: PartyProfile,
        source_ids: set[str],
    ) -> IssueUtility | None:
        given = party.utilities.get(issue.key)
        if given is None:
            self.problem(loc[:-1], f"no utilities for {issue.key!r}")
            return None
        if isinstance(given, list):
            return self._curve(loc, issue, given, source_ids)
        names = [_option_name(o) for o in issue.options]
        ok = True
        for key in given:
            if key not in names:
                self.problem(
                    (*loc, key), f"not an option of {issue.key!r}; options: {', '.join(names)}"
                )
                ok = False
        missing = [n for n in names if n not in given]
        if missing:
            self.problem(loc, f"no utility for {', '.join(missing)}")
            ok = False
        for key, estimate in given.items():
            ok &= self._bounded((*loc, key), estimate, 0.0, 1.0, source_ids)
        if not ok:
            return None
        return IssueUtility(tuple(given[n] for n in names))

    def _curve(
        self,
        loc: tuple[str | int, ...],
        issue: IssueScope,
        points: list[tuple[float, Estimate]],
        source_ids: set[str],
    ) -> IssueUtility | None:
        if issue.kind is not IssueKind.NUMBER:
            self.problem(loc, "a list of [figure, utility] points is for number issues only")
            return None
        if not points:
            self.problem(loc, "give at least one [figure, utility] point")
            return None
        figures = [figure for figure, _ in points]
        ok = all(a < b for a, b in itertools.pairwise(figures))
        if not ok:
            self.problem(loc, "the points' figures must rise strictly from one point to the next")
        for i, (_, estimate) in enumerate(points):
            ok &= self._bounded((*loc, i), estimate, 0.0, 1.0, source_ids)
        if not ok:
            return None
        return IssueUtility(tuple(e for _, e in points), at=tuple(figures))


def _option_name(option: OptionValue) -> str:
    if isinstance(option, bool):
        return "true" if option else "false"
    return str(option)
