"""The PA-X crosswalk as data: which issues of the default codebook correspond to which PA-X
variables, in which direction, how values map and what is lost each way.

The crosswalk lives in ``negpos/codebooks/crosswalks/pax.yaml``; this module reads it into a
frozen ``PaxCrosswalk`` and checks it against the default codebook: every key is an issue of
the codebook, every value one the issue allows, every variable's direction consistent with
what it maps. A bad crosswalk file raises ``CrosswalkError`` with one problem per mistake,
each with its file, line and field, as a bad proposal or codebook does.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    model_validator,
)

from negpos.codebook import UNSPECIFIED, Codebook, IssueDefinition, IssueKind, default_codebook
from negpos.documents import (
    Document,
    DocumentError,
    parse_document,
    problems_from_validation_error,
    read_document,
)
from negpos.errors import CodebookError, Problem
from negpos.model import ProposalStatus
from negpos.model.collected_errors import CollectedErrors
from negpos.values import IsoDate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CrosswalkError",
    "IssueMatch",
    "PaxColumns",
    "PaxCrosswalk",
    "PaxDataset",
    "PaxFromValue",
    "PaxStatus",
    "PaxVariable",
    "Unmapped",
    "load_pax_crosswalk",
]

PAX_CROSSWALK = "codebooks/crosswalks/pax.yaml"
"""The packaged crosswalk, relative to the ``negpos`` package."""

_PAX_NAME = r"^[A-Za-z][A-Za-z0-9]*$"
_PLACEHOLDER = re.compile(r"\{(region|party|organisation)\}")


class CrosswalkError(CodebookError):
    """A crosswalk could not be loaded; ``problems`` lists every reason, with file, line and
    field. A crosswalk maps codebook issues, so this is a ``CodebookError`` too."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaxDataset(_Frozen):
    """Which PA-X the crosswalk was written against, and where its names were checked."""

    name: str = Field(min_length=1, description="The dataset's name.")
    publisher: str = Field(
        min_length=1, description="Who publishes it: the publisher of every PA-X source."
    )
    version: str = Field(min_length=1, description="The dataset and codebook version.")
    codebook: str = Field(min_length=1, description="The codebook, as a citation.")
    codebook_url: str = Field(pattern=r"^https?://\S+$", description="Where the codebook is.")
    data_file: str = Field(min_length=1, description="The CSV file of that version.")
    agreement_url: str = Field(
        pattern=r"^https?://\S*\{AgtId\}\S*$",
        description="The address of one agreement, with {AgtId} where its id goes.",
    )
    citation: str = Field(min_length=1, description="How to cite the dataset.")
    names_from: str = Field(min_length=1, description="Where the column names were checked.")
    scales_from: str = Field(
        min_length=1, description="Where the 0/1 or 0-3 coding of each variable was checked."
    )
    checked: IsoDate = Field(description="When, YYYY-MM-DD.")

    def agreement_address(self, agreement_id: int) -> str:
        """The web address of one PA-X agreement."""
        return self.agreement_url.replace("{AgtId}", str(agreement_id))


class PaxColumns(_Frozen):
    """PA-X's names for the columns that identify and describe an agreement."""

    agreement_id: str = Field(pattern=_PAX_NAME, description="The agreement's id (AgtId).")
    agreement_name: str = Field(pattern=_PAX_NAME, description="Its name (Agt).")
    date: str = Field(pattern=_PAX_NAME, description="When it was signed, YYYY-MM-DD (Dat).")
    country: str = Field(pattern=_PAX_NAME, description="The country or entity (Con).")
    conflict_type: str = Field(pattern=_PAX_NAME, description="The conflict's nature (Contp).")
    status: str = Field(pattern=_PAX_NAME, description="How it was agreed (Status).")
    stage: str = Field(pattern=_PAX_NAME, description="Its stage in a process (Stage).")
    parties: str = Field(pattern=_PAX_NAME, description="The signatories, as text (Part).")
    third_parties: str = Field(pattern=_PAX_NAME, description="Third parties (ThrdPart).")
    ucdp_conflict_id: str = Field(pattern=_PAX_NAME, description="UCDP conflict id (UcdpCon).")


class PaxStatus(_Frozen):
    """One PA-X ``Status`` value and the proposal status it becomes."""

    pax: str = Field(min_length=1, description="The value as PA-X writes it.")
    negpos: ProposalStatus = Field(description="The negpos proposal status.")


class IssueMatch(_Frozen):
    """An issue of the codebook a PA-X variable reads, and the values of it that count."""

    key: str = Field(
        min_length=1,
        description="The issue's key as the codebook defines it, placeholders and all "
        "(security.{party}.foreign_troops).",
    )
    values: tuple[StrictBool | str, ...] | None = Field(
        default=None,
        min_length=1,
        description="The values that count; left out, any stance on the issue counts.",
    )


class PaxFromValue(_Frozen):
    """The stance a PA-X value of 1 to 3 becomes."""

    key: str = Field(
        min_length=1, description="The issue key it is written on: no {region} or {party}."
    )
    value: StrictBool | str = Field(
        default=UNSPECIFIED,
        description="The value written: unspecified (addressed, level not stated) or a value "
        "of the issue.",
    )


Direction = Literal["both", "to_pax", "from_pax"]
Scale = Literal["binary", "levels"]


class PaxVariable(_Frozen):
    """One PA-X variable and the issues it corresponds to."""

    pax: str = Field(pattern=_PAX_NAME, description="PA-X's column name, e.g. Ce.")
    label: str = Field(min_length=1, description="PA-X's label, e.g. Ceasefire.")
    scale: Scale = Field(
        description="binary (PA-X codes 0 or 1) or levels (0 to 3: none, then more detailed)."
    )
    direction: Direction = Field(
        description="both, to_pax (written from negpos stances only) or from_pax (read into "
        "negpos stances only)."
    )
    negpos: tuple[IssueMatch, ...] = Field(
        min_length=1, description="The issues whose stances give the variable its value."
    )
    from_pax: PaxFromValue | None = Field(
        default=None, description="The stance a value of 1 to 3 becomes (from_pax and both)."
    )
    lost_to_pax: str = Field(min_length=1, description="What negpos knows that PA-X cannot hold.")
    lost_from_pax: str = Field(
        min_length=1, description="What PA-X knows that the stance does not hold."
    )

    @property
    def writes(self) -> bool:
        """Whether negpos's own stances give this variable a value (to_pax or both)."""
        return self.direction in ("both", "to_pax")

    @property
    def reads(self) -> bool:
        """Whether from_pax reads this variable into a stance (from_pax or both)."""
        return self.direction in ("both", "from_pax")


class Unmapped(_Frozen):
    """Issues of the codebook no PA-X variable corresponds to, and why."""

    negpos: tuple[str, ...] = Field(min_length=1, description="The issue keys.")
    pax: tuple[str, ...] = Field(
        default=(), description="PA-X variables that look related but are not the same."
    )
    reason: str = Field(min_length=1, description="Why they are not mapped.")


class PaxCrosswalk(_Frozen):
    """The crosswalk between negpos's default codebook and PA-X. Load it with
    ``load_pax_crosswalk()``; ``PaxCrosswalk.model_validate(data)`` checks plain data the same
    way."""

    name: str = Field(min_length=1, description="What this crosswalk is.")
    description: str = Field(min_length=1, description="What it covers.")
    codebook: Literal["default"] = Field(description="The negpos codebook its keys belong to.")
    pax: PaxDataset
    columns: PaxColumns
    status: tuple[PaxStatus, ...] = Field(
        min_length=1, description="PA-X's Status values and the proposal status each becomes."
    )
    variables: tuple[PaxVariable, ...] = Field(min_length=1)
    unmapped: tuple[Unmapped, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> PaxCrosswalk:
        _check_crosswalk(self, default_codebook())
        return self

    def variable(self, name: str) -> PaxVariable:
        """One variable by its PA-X name (``Ce``)."""
        for variable in self.variables:
            if variable.pax == name:
                return variable
        known = ", ".join(v.pax for v in self.variables)
        raise KeyError(f"the crosswalk maps no PA-X variable {name!r}; it maps: {known}")

    def status_of(self, pax_status: str) -> ProposalStatus | None:
        """The proposal status a PA-X Status value becomes, or None if it is not listed."""
        for entry in self.status:
            if entry.pax == pax_status:
                return entry.negpos
        return None

    @property
    def read_columns(self) -> tuple[str, ...]:
        """The provision columns from_pax reads, in the crosswalk's order."""
        return tuple(v.pax for v in self.variables if v.reads)

    def to_frame(self) -> pd.DataFrame:
        """One row per PA-X variable: pax, label, scale, direction, negpos (the issues and the
        values that count, as text), from_pax (the stance a value of 1 to 3 becomes),
        lost_to_pax, lost_from_pax."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "pax": v.pax,
                    "label": v.label,
                    "scale": v.scale,
                    "direction": v.direction,
                    "negpos": "; ".join(_match_text(m) for m in v.negpos),
                    "from_pax": None
                    if v.from_pax is None
                    else f"{v.from_pax.key}: {_value_text(v.from_pax.value)}",
                    "lost_to_pax": v.lost_to_pax,
                    "lost_from_pax": v.lost_from_pax,
                }
                for v in self.variables
            ],
            columns=[
                "pax",
                "label",
                "scale",
                "direction",
                "negpos",
                "from_pax",
                "lost_to_pax",
                "lost_from_pax",
            ],
        )


def _value_text(value: bool | str) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _match_text(match: IssueMatch) -> str:
    if match.values is None:
        return f"{match.key} (any stance)"
    return f"{match.key} ({', '.join(_value_text(v) for v in match.values)})"


# ------------------------------------------------------------------ checks against the codebook


def _errors() -> CollectedErrors:
    """Every problem at once, each at its place in the file (as the proposal model does)."""
    return CollectedErrors("PaxCrosswalk")


def _definitions(codebook: Codebook) -> dict[str, IssueDefinition]:
    return {definition.key: definition for definition in codebook.issues}


def _unknown_key(key: str, definitions: dict[str, IssueDefinition], codebook: Codebook) -> str:
    close = difflib.get_close_matches(key, list(definitions), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"{key!r} is not an issue key of {codebook.name}{hint}"


def _check_values(
    match: IssueMatch,
    definition: IssueDefinition,
    loc: tuple[str | int, ...],
    errors: CollectedErrors,
) -> None:
    """The values that count must be values of the issue, of the issue's type."""
    if match.values is None:
        return
    kind = definition.kind
    if kind in (IssueKind.NUMBER, IssueKind.TEXT) or definition.values_from is not None:
        what = "party ids" if definition.values_from is not None else f"{kind.value} values"
        errors.add(
            (*loc, "values"),
            f"{definition.key} takes {what}, which a crosswalk cannot list: leave `values` "
            "out, and any stance on it counts",
        )
        return
    for index, value in enumerate(match.values):
        if kind == IssueKind.BOOLEAN:
            if not isinstance(value, bool):
                errors.add((*loc, "values", index), f"expected true or false; got {value!r}")
        elif not isinstance(value, str) or value not in definition.values:
            errors.add(
                (*loc, "values", index),
                f"{value!r} is not a value of {definition.key}; expected one of "
                f"{', '.join(definition.values)}",
            )
    if len(set(match.values)) != len(match.values):
        errors.add((*loc, "values"), "values repeat")


def _check_from_pax(
    variable: PaxVariable,
    definitions: dict[str, IssueDefinition],
    codebook: Codebook,
    loc: tuple[str | int, ...],
    errors: CollectedErrors,
) -> None:
    written = variable.from_pax
    if not variable.reads:
        if written is not None:
            errors.add(
                (*loc, "from_pax"),
                "a to_pax variable is not read into stances: remove from_pax, or make the "
                "direction both",
            )
        return
    if written is None:
        errors.add(
            (*loc, "from_pax"),
            f"direction {variable.direction} reads the variable into a stance: give from_pax "
            "{key, value}",
        )
        return
    definition = definitions.get(written.key)
    if definition is None:
        errors.add((*loc, "from_pax", "key"), _unknown_key(written.key, definitions, codebook))
        return
    if _PLACEHOLDER.search(written.key):
        errors.add(
            (*loc, "from_pax", "key"),
            "a PA-X row names no region or party: from_pax needs a key without {region}, "
            "{party} or {organisation}",
        )
    elif definition.typed and not written.key.startswith("reparations."):
        errors.add(
            (*loc, "from_pax", "key"),
            f"{written.key} is written in a section of a proposal that from_pax cannot fill",
        )
    if written.key not in {match.key for match in variable.negpos}:
        errors.add(
            (*loc, "from_pax", "key"),
            f"{written.key} is not among the variable's negpos keys, so to_pax would not read "
            "the stance back",
        )
    if written.value != UNSPECIFIED:
        problem = definition.check_value(written.value, frozenset())
        if problem:
            errors.add((*loc, "from_pax", "value"), f"{problem} (or unspecified)")


def _check_unmapped_and_statuses(
    crosswalk: PaxCrosswalk,
    definitions: dict[str, IssueDefinition],
    codebook: Codebook,
    mapped: set[str],
    seen: dict[str, int],
    errors: CollectedErrors,
) -> None:
    """The unmapped list names real issues and variables that are not mapped; statuses once."""
    for index, entry in enumerate(crosswalk.unmapped):
        for position, key in enumerate(entry.negpos):
            loc = ("unmapped", index, "negpos", position)
            if key not in definitions:
                errors.add(loc, _unknown_key(key, definitions, codebook))
            elif key in mapped:
                errors.add(loc, f"{key} is mapped by a variable; it is not unmapped")
        for position, name in enumerate(entry.pax):
            if name in seen:
                errors.add(
                    ("unmapped", index, "pax", position),
                    f"{name} is mapped by variables[{seen[name]}]",
                )
    statuses = [entry.pax for entry in crosswalk.status]
    for index, value in enumerate(statuses):
        if value in statuses[:index]:
            errors.add(("status", index, "pax"), f"{value!r} is listed twice")


def _check_crosswalk(crosswalk: PaxCrosswalk, codebook: Codebook) -> None:
    errors = _errors()
    definitions = _definitions(codebook)
    seen: dict[str, int] = {}
    mapped: set[str] = set()
    from_values: dict[str, tuple[bool | str, int]] = {}
    for index, variable in enumerate(crosswalk.variables):
        loc: tuple[str | int, ...] = ("variables", index)
        if variable.pax in seen:
            errors.add(
                (*loc, "pax"),
                f"{variable.pax} is mapped twice (first as variables[{seen[variable.pax]}])",
            )
        seen.setdefault(variable.pax, index)
        keys = [match.key for match in variable.negpos]
        if len(set(keys)) != len(keys):
            errors.add((*loc, "negpos"), "an issue key repeats: list its values once")
        for position, match in enumerate(variable.negpos):
            definition = definitions.get(match.key)
            if definition is None:
                errors.add(
                    (*loc, "negpos", position, "key"),
                    _unknown_key(match.key, definitions, codebook),
                )
                continue
            mapped.add(match.key)
            _check_values(match, definition, (*loc, "negpos", position), errors)
        _check_from_pax(variable, definitions, codebook, loc, errors)
        written = variable.from_pax
        if written is not None and variable.reads:
            earlier = from_values.setdefault(written.key, (written.value, index))
            if earlier[0] != written.value:
                errors.add(
                    (*loc, "from_pax", "value"),
                    f"variables[{earlier[1]}] writes {written.key} as "
                    f"{_value_text(earlier[0])}: one key gets one value from PA-X",
                )
    _check_unmapped_and_statuses(crosswalk, definitions, codebook, mapped, seen, errors)
    errors.raise_if_any()


# ------------------------------------------------------------------ loading


def load_pax_crosswalk(
    path: str | os.PathLike[str] | None = None, *, max_bytes: int | None = None
) -> PaxCrosswalk:
    """The PA-X crosswalk: the one negpos ships (``path`` left out), or a file of your own in
    the same format. Raises ``CrosswalkError`` listing every problem with its file, line and
    field; ``max_bytes`` is the size limit (see ``negpos.documents.max_file_bytes``)."""
    if path is None:
        return _packaged_crosswalk()
    try:
        document = read_document(Path(path), max_bytes=max_bytes)
    except DocumentError as exc:
        raise CrosswalkError(exc.problems) from None
    return _crosswalk_from(document)


@functools.cache
def _packaged_crosswalk() -> PaxCrosswalk:
    text = resources.files("negpos").joinpath(PAX_CROSSWALK).read_text(encoding="utf-8")
    try:
        document = parse_document(text, name=f"negpos/{PAX_CROSSWALK}")
    except DocumentError as exc:
        raise CrosswalkError(exc.problems) from None
    return _crosswalk_from(document)


def as_pax_crosswalk(crosswalk: PaxCrosswalk | str | os.PathLike[str] | None) -> PaxCrosswalk:
    """``crosswalk`` itself, the crosswalk in the file it names, or the packaged one."""
    if crosswalk is None or isinstance(crosswalk, str | os.PathLike):
        return load_pax_crosswalk(crosswalk)
    if isinstance(crosswalk, PaxCrosswalk):
        return crosswalk
    raise TypeError(
        "crosswalk must be a PaxCrosswalk or the path of a crosswalk file, "
        f"not {type(crosswalk).__name__}"
    )


def _crosswalk_from(document: Document) -> PaxCrosswalk:
    data: Any = document.data
    if not isinstance(data, dict):
        raise CrosswalkError([Problem(document.name, None, None, "a crosswalk must be a mapping")])
    try:
        return PaxCrosswalk.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, document, model=PaxCrosswalk)
        raise CrosswalkError(problems) from None
