"""A stance: what one side says on one issue, with its evidence and weight.

A stance can be written in full (``{value: de_jure, sources: [S6], red_line: true}``) or as
its bare value (``de_jure``), which then takes its sources and weights from the section
it stands in (a region, a party's security terms, the reparations terms). Silence is the
absence of a stance: an explicit "no restriction" is a value and is compared as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, NamedTuple, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from negpos.model.evidence import Basis, Evidence, JudgedFlag, JudgedWeight
from negpos.model.value_forms import (
    UNSPECIFIED,
    AllExcept,
    Bound,
    Condition,
    Excluding,
    Extent,
    Including,
)
from negpos.values import FiniteFloat, NumberRange, Quantity

__all__ = [
    "EntriesKeyed",
    "IssueStance",
    "IssueValue",
    "ItemsStance",
    "NumberStance",
    "Stance",
    "StanceMeta",
    "TextStance",
    "YesNoStance",
    "entries_keyed",
]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"


class StanceMeta(BaseModel):
    """Evidence and weight, on a stance or on a section whose bare stances inherit them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[str, ...] = Field(
        default=(),
        description="Ids of the proposal's sources that report this stance. Every stance needs at "
        "least one, its own or its section's.",
    )
    evidence: tuple[Evidence, ...] = Field(
        default=(),
        description="Where the stance is found: {source, locator, quote} per source; its "
        "sources count as the stance's sources.",
    )
    basis: Basis | None = Field(
        default=None,
        description="stated (the document's words), reported (a source relays it) or inferred "
        "(the coder's reading). Default: stated where the evidence quotes it, else reported.",
    )
    salience: Annotated[FiniteFloat, Field(ge=0, le=1)] | JudgedWeight | None = Field(
        default=None,
        description="How much the issue matters to the side, 0 to 1; or {value, basis}.",
    )
    red_line: StrictBool | JudgedFlag | None = Field(
        default=None,
        description="True if the side will not concede it; or {value, basis} "
        "(e.g. {value: true, basis: inferred}).",
    )
    condition: Annotated[str, Field(min_length=1)] | Condition | None = Field(
        default=None,
        description="What the stance depends on: text, or {text, kind, on} with a kind from the "
        "codebook (referendum, ratification, sequence, trigger, other) and the issue key it "
        "refers to.",
    )
    extent: Extent | None = Field(
        default=None,
        description="Stances about a region only: whole (the default), held (the part a party "
        "holds now) or area (the part named in `area`).",
    )
    area: str | None = Field(
        default=None,
        min_length=1,
        description="The part of the region the stance is about, in the document's words "
        "(implies extent: area unless extent says held).",
    )
    note: str | None = Field(default=None, description="Anything a reader should know.")

    @field_validator("condition", mode="wrap")
    @classmethod
    def _one_condition_error(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_form_error(value, handler, Condition, "text or {text, kind, on}")

    @field_validator("salience", mode="wrap")
    @classmethod
    def _one_salience_error(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_form_error(
            value, handler, JudgedWeight, "a number from 0 to 1, or {value, basis}"
        )

    @field_validator("red_line", mode="wrap")
    @classmethod
    def _one_red_line_error(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_form_error(value, handler, JudgedFlag, "true, false or {value, basis}")


def _one_form_error(
    value: Any, handler: ValidatorFunctionWrapHandler, form: type[BaseModel], expected: str
) -> Any:
    """One error for a field that takes a plain value or a mapping, not one per alternative."""
    try:
        return handler(value)
    except ValidationError:
        if isinstance(value, dict):
            form.model_validate(value)  # the mapping is meant as the form: say what is wrong
        raise PydanticCustomError(
            "value_or_form",
            "expected {expected}, got {got}",
            {"expected": expected, "got": repr(value)},
        ) from None


class _Shorthand(StanceMeta):
    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema accepts the bare value too, as the loader does."""
        full = handler(core_schema)
        value = handler.resolve_ref_schema(full).get("properties", {}).get("value")
        if value is None:
            return full
        return {"anyOf": [value, full]}

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, data: Any) -> Any:
        """Accept a bare value as ``{value: ...}``."""
        if isinstance(data, dict) and (
            "value" in data or (data and set(data) <= set(cls.model_fields))
        ):
            return data
        return {"value": data}


V = TypeVar("V")


class Stance(_Shorthand, Generic[V]):
    """A stance whose value is a category, a scale level, a yes/no or a list of items."""

    value: V = Field(description="The stance itself.")
    acceptable: tuple[V, ...] | None = Field(
        default=None,
        description="Other values the side would settle for (what bargaining analysis uses).",
    )


_FORMS: dict[str, type[BaseModel]] = {
    "not": Excluding,
    "including": Including,
    "all_except": AllExcept,
    "amount": Quantity,
}


def _one_error(value: Any, handler: ValidatorFunctionWrapHandler, expected: str) -> Any:
    """One clear error for a value that fits none of a union's types, not one per type."""
    try:
        return handler(value)
    except ValidationError:
        if isinstance(value, dict):
            for key, form in _FORMS.items():
                if key in value:  # the mapping is meant as this form: say what is wrong with it
                    form.model_validate(value)
        raise PydanticCustomError(
            "stance_value",
            "expected {expected}, got {got}",
            {"expected": expected, "got": repr(value)},
        ) from None


Unspecified = Literal["unspecified"]


class TextStance(Stance[str | Excluding]):
    """A stance whose value is a category, a scale level, a party id or free text; or
    ``{not: ...}`` (any value but these) or ``unspecified`` (addressed, level not stated)."""

    @field_validator("value", mode="wrap")
    @classmethod
    def _text(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_error(value, handler, "a value of the issue, {not: ...} or unspecified")


class YesNoStance(Stance[StrictBool | Unspecified]):
    """A stance whose value is true or false (only those: `no` or `0` are not booleans), or
    ``unspecified``."""

    @field_validator("value", mode="wrap")
    @classmethod
    def _yes_no(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_error(value, handler, "true, false or unspecified")


class ItemsStance(Stance[tuple[str, ...] | Including | AllExcept | Unspecified]):
    """A stance whose value is a list of items or party ids (one item may stand alone); an open
    list ``{including: [...]}``; everyone but some ``{all_except: [...]}``; or ``unspecified``."""

    @field_validator(
        "value",
        mode="wrap",
        json_schema_input_type=tuple[str, ...] | str | Including | AllExcept,
    )
    @classmethod
    def _items(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, str) and value != UNSPECIFIED:
            value = (value,)  # "withdrawing_party: UA" is the one-item list [UA]
        return _one_error(
            value,
            handler,
            "a list of items, {including: [...]}, {all_except: [...]} or unspecified",
        )


class NumberStance(_Shorthand):
    """A stance whose value is a figure, with its unit where the issue has none."""

    value: FiniteFloat | Quantity | Unspecified = Field(
        description="A figure, {amount, unit}, or unspecified (addressed, figure not stated)."
    )
    bound: Bound | None = Field(
        default=None,
        description="max (a ceiling), min (a floor) or exact (a level); default: the codebook's.",
    )
    acceptable: NumberRange | None = Field(
        default=None, description="The range of figures the side would settle for."
    )

    @field_validator("value", mode="wrap")
    @classmethod
    def _figure(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_error(value, handler, "a finite number, {amount, unit} or unspecified")

    @property
    def amount(self) -> float | None:
        if isinstance(self.value, Quantity):
            return self.value.amount
        return None if isinstance(self.value, str) else self.value

    @property
    def unit(self) -> str | None:
        return self.value.unit if isinstance(self.value, Quantity) else None


IssueValue = (
    bool | str | FiniteFloat | tuple[str, ...] | Quantity | Excluding | Including | AllExcept
)


class IssueStance(_Shorthand):
    """A stance on an issue of the codebook; the codebook says which values it may take."""

    value: IssueValue = Field(
        description="A category or scale level (text), a yes/no, a figure or {amount, unit}, "
        "a list of items, {not: ...}, {including: [...]}, {all_except: [...]}, or unspecified, "
        "as the issue's kind allows."
    )
    bound: Bound | None = Field(
        default=None,
        description="Number issues: max (a ceiling), min (a floor) or exact (a level).",
    )
    acceptable: tuple[bool | str | FiniteFloat | tuple[str, ...], ...] | NumberRange | None = Field(
        default=None,
        description="Values the side would settle for: a list, or {min, max} for figures.",
    )

    @field_validator("acceptable", mode="wrap")
    @classmethod
    def _plain_acceptable(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            if isinstance(value, dict):
                NumberRange.model_validate(value)  # a mapping is meant as {min, max}
            raise PydanticCustomError(
                "acceptable",
                "expected a list of plain values of the issue, or {{min, max}} for figures; "
                "got {got}",
                {"got": repr(value)},
            ) from None

    @field_validator("value", mode="wrap")
    @classmethod
    def _any_value(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return _one_error(
            value,
            handler,
            "text, a finite number, true or false, a list of items, {amount, unit}, "
            "{not: ...}, {including: [...]}, {all_except: [...]} or unspecified",
        )


AnyStance = TextStance | YesNoStance | ItemsStance | NumberStance | IssueStance


class Inherited(NamedTuple):
    """Everything a stance takes from itself or its section, as ``KeyedStance``'s properties
    give it one by one (see ``KeyedStance.inherited``)."""

    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    basis: Basis
    salience: float | None
    salience_basis: Basis | None
    red_line: bool
    red_line_basis: Basis | None
    condition: Condition | None
    extent: Extent | None
    area: str | None


@dataclass(frozen=True, slots=True)
class KeyedStance:
    """A stance located by its issue key, with the section it inherits evidence from.

    The typed sections of a proposal are a convenient way to write issue keys; this is the
    flat view the codebook validates and the position core compiles.
    """

    key: str
    stance: AnyStance
    section: StanceMeta | None
    loc: tuple[str | int, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The stance's sources and its evidence's (in that order), else its section's."""
        own = _unique((*self.stance.sources, *(e.source for e in self.stance.evidence)))
        if own:
            return own
        if self.section is None:
            return ()
        return _unique((*self.section.sources, *(e.source for e in self.section.evidence)))

    @property
    def cites_any(self) -> bool:
        """Whether ``sources`` is non-empty, without building it (validation asks this of
        every stance)."""
        stance, section = self.stance, self.section
        if stance.sources or stance.evidence:
            return True
        return section is not None and bool(section.sources or section.evidence)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The stance's evidence; its section's only where the stance cites nothing itself
        (a stance with its own sources does not take evidence from other sources)."""
        if self.stance.evidence or self.stance.sources or self.section is None:
            return self.stance.evidence
        return self.section.evidence

    @property
    def basis(self) -> Basis:
        """As written on the stance or its section; else stated where evidence quotes it."""
        written = _inherit(self.stance.basis, self.section.basis if self.section else None)
        return written if written is not None else _quoted_or_reported(self.evidence)

    @property
    def salience(self) -> float | None:
        written: float | JudgedWeight | None = self.stance.salience
        if written is None and self.section is not None:
            written = self.section.salience
        return written.value if isinstance(written, JudgedWeight) else written

    @property
    def salience_basis(self) -> Basis | None:
        """The basis of the salience: its own, else reported at most (a quote of the stance
        is not evidence that it matters): inferred where the stance is. None where none is
        given."""
        written = _inherit(self.stance.salience, self.section.salience if self.section else None)
        return None if written is None else _judged_basis(written, JudgedWeight, self.basis)

    @property
    def red_line(self) -> bool:
        written = _inherit(self.stance.red_line, self.section.red_line if self.section else None)
        return bool(written.value if isinstance(written, JudgedFlag) else written)

    @property
    def red_line_basis(self) -> Basis | None:
        """The basis of the red line: its own, else reported at most (a quote of the stance is
        not evidence that it is a red line): inferred where the stance is. None where it is no
        red line."""
        written = _inherit(self.stance.red_line, self.section.red_line if self.section else None)
        if written is None or not self.red_line:
            return None
        return _judged_basis(written, JudgedFlag, self.basis)

    def inherited(self) -> Inherited:
        """Every property above at once, each rule applied once (the properties call one
        another: ``red_line_basis`` reads ``basis``, which reads ``evidence``). Compiling
        positions reads them all for every stance."""
        stance, section = self.stance, self.section
        evidence = self.evidence
        basis = _inherit(stance.basis, section.basis if section else None)
        if basis is None:
            basis = _quoted_or_reported(evidence)
        salience: float | JudgedWeight | None = stance.salience
        if salience is None and section is not None:
            salience = section.salience
        red_line = _inherit(stance.red_line, section.red_line if section else None)
        is_red_line = bool(red_line.value if isinstance(red_line, JudgedFlag) else red_line)
        meta = self._part_level()
        return Inherited(
            sources=self.sources,
            evidence=evidence,
            basis=basis,
            salience=salience.value if isinstance(salience, JudgedWeight) else salience,
            salience_basis=_judged_basis(salience, JudgedWeight, basis),
            red_line=is_red_line,
            red_line_basis=_judged_basis(red_line, JudgedFlag, basis) if is_red_line else None,
            condition=self.condition,
            extent=_extent_of(meta),
            area=None if meta is None else meta.area,
        )

    @property
    def condition(self) -> Condition | None:
        """The stance's condition or its section's, bare text read as kind ``other``."""
        written: str | Condition | None = self.stance.condition
        if written is None and self.section is not None:
            written = self.section.condition
        return Condition(text=written) if isinstance(written, str) else written

    def _part_level(self) -> StanceMeta | None:
        """The stance, or else its section, whichever says which part it is about."""
        for meta in (self.stance, self.section):
            if meta is not None and (meta.extent is not None or meta.area is not None):
                return meta
        return None

    @property
    def extent(self) -> Extent | None:
        """The stance's extent or its section's; ``area`` alone implies ``area``."""
        return _extent_of(self._part_level())

    @property
    def area(self) -> str | None:
        """The area named with that extent (a stance's own extent never takes its section's
        area)."""
        meta = self._part_level()
        return None if meta is None else meta.area

    @property
    def note(self) -> str | None:
        return self.stance.note


T = TypeVar("T")


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _quoted_or_reported(evidence: tuple[Evidence, ...]) -> Basis:
    """The basis where none is written: stated where the evidence quotes the text."""
    return Basis.STATED if any(e.quote for e in evidence) else Basis.REPORTED


def _extent_of(meta: StanceMeta | None) -> Extent | None:
    """The extent of the level that names a part (``area`` alone implies ``area``)."""
    if meta is None:
        return None
    return meta.extent if meta.extent is not None else Extent.AREA


def _judged_basis(
    written: object, form: type[JudgedWeight | JudgedFlag], basis: Basis
) -> Basis | None:
    """The basis of a judgement (salience, red line): its own where written as ``{value,
    basis}``; else inferred where the stance is, reported otherwise (a quote of the stance is
    not evidence that it matters)."""
    if written is None:
        return None
    if isinstance(written, form):
        return written.basis
    return Basis.INFERRED if basis is Basis.INFERRED else Basis.REPORTED


def _inherit(own: T | None, section: T | None) -> T | None:
    return own if own is not None else section


@dataclass(frozen=True, slots=True)
class EntriesKeyed:
    """Field metadata of a typed section's mapping of stances: entry ``sub`` is the issue
    ``prefix.segment.sub``, ``sub`` naming a ``what`` (``memberships: {NATO: …}`` is
    ``security.UA.membership.NATO``, an organisation). The model states it once; the stances,
    the codebook keys and the docs' tables all read it here."""

    segment: str
    what: str


def entries_keyed(field: FieldInfo) -> EntriesKeyed | None:
    """How a section field's entries are keyed, if it is a mapping of stances."""
    return next((m for m in field.metadata if isinstance(m, EntriesKeyed)), None)


def section_stances(
    section: StanceMeta, prefix: str, loc: tuple[str | int, ...], skip: frozenset[str]
) -> list[KeyedStance]:
    """The stances a typed section holds, keyed ``prefix.field`` in field order (a mapping's
    entries ``prefix.segment.entry``: see ``EntriesKeyed``)."""
    found = []
    for name, field in type(section).model_fields.items():
        if name in skip or name in StanceMeta.model_fields:
            continue
        value = getattr(section, name)
        if value is None:
            continue
        if isinstance(value, dict):  # e.g. memberships: organisation -> stance
            keyed = entries_keyed(field)
            segment = name if keyed is None else keyed.segment
            for sub, stance in value.items():
                found.append(
                    KeyedStance(
                        key=f"{prefix}.{segment}.{sub}",
                        stance=stance,
                        section=section,
                        loc=(*loc, name, sub),
                    )
                )
        else:
            found.append(
                KeyedStance(key=f"{prefix}.{name}", stance=value, section=section, loc=(*loc, name))
            )
    return found
