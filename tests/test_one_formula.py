"""One formula per rule: the matrix, ``gap_between`` and ``compare`` give the same gaps.

The law runs on random proposals over a codebook with every kind of issue, arbitrary text
(not a fixed word list), and every form a stance takes besides a plain value: unspecified,
``{not}``, ``{including}``, ``{all_except}``, bounds, units, conditions, parts of a region
and alternatives. It runs twice: with the matrix's usual tables and tiles, and with tiny
ones, so that every path of the matrix (tables, counted lists and texts, several tiles,
alternatives across tiles) is held to the scalar rule.

Beside the law: the cases that a mutation of a rule would otherwise survive (the universal
item in ``gap_between``, a codebook mismatch), figures at the edge of a float, and the
engine's caches, which must follow a ``model_copy`` of a definition or a codebook.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negpos.codebook import Codebook, IssueDefinition, IssueKind, default_codebook
from negpos.engine import matrix as matrix_module
from negpos.engine.diff import diff, issue_weight
from negpos.engine.grid import build_grid
from negpos.engine.matrix import gap_matrix
from negpos.engine.rules import (
    Relation,
    clear_judgement_memo,
    gap_between,
    jaccard_gap,
    judge,
    judge_values,
    number_gap,
)
from negpos.engine.timeline import build_timeline
from negpos.errors import ComparisonError
from negpos.model import Proposal
from negpos.positions import UNSTATED, AtLeast, EveryoneBut, Position, PositionSet, positions_of

PARTIES = ("A", "B", "C")
WORDS = ("line", "zone", "talks", "border", "joint", "council")

CODEBOOK = Codebook.model_validate(
    {
        "name": "one formula codebook",
        "categories": [
            {"id": "land", "label": "Land"},
            {"id": "t", "label": "Terms"},
            {"id": "f", "label": "Figures"},
        ],
        "issues": [
            {
                "key": "land.{region}.control",
                "label": "{region}: control",
                "category": "land",
                "kind": "categorical",
                "values_from": "parties",
            },
            {
                "key": "land.{region}.pullback",
                "label": "{region}: pull-back",
                "category": "land",
                "kind": "ordinal",
                "values": ["none", "freeze", "partial", "border"],
                "positions": [0, 0, 1, 2],
                "poles": [["none", "freeze"], ["border"]],
            },
            {
                "key": "t.colour",
                "label": "Colour",
                "category": "t",
                "kind": "categorical",
                "values": ["red", "green", "blue"],
            },
            {
                "key": "t.level",
                "label": "Level",
                "category": "t",
                "kind": "ordinal",
                "values": ["none", "low", "mid", "high", "full"],
                "poles": [["none"], ["high", "full"]],
            },
            {"key": "t.flag", "label": "Flag", "category": "t", "kind": "boolean"},
            {
                "key": "t.items",
                "label": "Items",
                "category": "t",
                "kind": "set",
                "values": ["w", "x", "y", "z"],
            },
            {
                "key": "t.who",
                "label": "Who",
                "category": "t",
                "kind": "set",
                "values_from": "parties",
                "universal": "everyone",
            },
            {"key": "t.words", "label": "Words", "category": "t", "kind": "text"},
            {
                "key": "f.cap",
                "label": "Cap",
                "category": "f",
                "kind": "number",
                "unit": "troops",
                "bound": "max",
            },
            {"key": "f.money", "label": "Money", "category": "f", "kind": "number"},
            {
                "key": "f.share",
                "label": "Share",
                "category": "f",
                "kind": "number",
                "unit": "percent",
            },
            {
                "key": "f.days",
                "label": "Days",
                "category": "f",
                "kind": "number",
                "unit": "days",
                "range": {"min": 0, "max": 730},
            },
            {
                "key": "f.wide",
                "label": "Wide",
                "category": "f",
                "kind": "number",
                "range": {"min": -1e308, "max": 1e308},
            },
        ],
    }
)
DEFINITIONS = {d.key: d for d in CODEBOOK.issues}
ISSUES = [
    ("land.north.control", DEFINITIONS["land.{region}.control"]),
    ("land.north.pullback", DEFINITIONS["land.{region}.pullback"]),
    *((d.key, d) for d in CODEBOOK.issues if not d.placeholders),
]
EXTREME = (0.0, -0.0, 1.0, -1.0, 5e-324, 1e308, -1e308, 1.7976931348623157e308)

# Text as people write it, and as hypothesis invents it: any characters, a few shared words.
TEXTS = st.one_of(
    st.text(min_size=1).filter(str.strip),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.tuples(st.sampled_from(WORDS), st.text(min_size=1)).map(" ".join),
)


def _figures(definition: IssueDefinition) -> st.SearchStrategy[float]:
    span = definition.range
    if span is None or span.min is None or span.max is None:
        return st.one_of(st.sampled_from(EXTREME), st.floats(allow_nan=False, allow_infinity=False))
    low, high = span.min, span.max
    return st.one_of(
        st.sampled_from([x for x in (*EXTREME, low, high) if low <= x <= high]),
        st.floats(min_value=low, max_value=high, allow_nan=False),
    )


def _plain(definition: IssueDefinition) -> st.SearchStrategy[Any]:
    kind = definition.kind
    options = PARTIES if definition.values_from == "parties" else definition.values
    if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
        return st.sampled_from(options)
    if kind is IssueKind.BOOLEAN:
        return st.booleans()
    if kind is IssueKind.SET:
        items = options + ((definition.universal,) if definition.universal else ())
        return st.lists(st.sampled_from(items), unique=True, max_size=len(items))
    if kind is IssueKind.TEXT:
        return TEXTS
    figures = _figures(definition)
    if definition.unit is None and definition.range is None:  # a unit of the stance's own
        units = st.sampled_from([None, "USD", "EUR", "percent"])
        return st.tuples(figures, units).map(
            lambda pair: pair[0] if pair[1] is None else {"amount": pair[0], "unit": pair[1]}
        )
    return figures


def _form(definition: IssueDefinition) -> st.SearchStrategy[Any]:
    """unspecified, {not}, {including}, {all_except}: every form the issue takes."""
    kind = definition.kind
    options = PARTIES if definition.values_from == "parties" else definition.values
    forms: list[st.SearchStrategy[Any]] = [st.just("unspecified")]
    if kind in (IssueKind.CATEGORICAL, IssueKind.ORDINAL):
        most = max(1, len(options) - 1)
        excluded = st.lists(st.sampled_from(options), min_size=1, max_size=most, unique=True)
        forms.append(excluded.map(lambda items: {"not": items}))
    if kind is IssueKind.SET:
        named = st.lists(st.sampled_from(options), min_size=1, max_size=len(options), unique=True)
        forms.append(named.map(lambda items: {"including": items}))
        if definition.universal:
            forms.append(named.map(lambda items: {"all_except": items}))
    return st.one_of(forms)


@st.composite
def _stance(draw: st.DrawFn, key: str, definition: IssueDefinition) -> dict[str, Any]:
    plain = draw(st.integers(0, 3)) > 0
    stance: dict[str, Any] = {
        "value": draw(_plain(definition) if plain else _form(definition)),
        "sources": ["S"],
    }
    if draw(st.booleans()):
        stance["salience"] = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 1.0, 5e-324]))
    if draw(st.integers(0, 4)) == 0:
        stance["condition"] = draw(
            st.one_of(
                TEXTS,
                st.builds(lambda text: {"text": text, "kind": "referendum"}, TEXTS),
            )
        )
    if key.startswith("land.") and draw(st.integers(0, 3)) == 0:
        extent = draw(st.sampled_from(["whole", "held", "area"]))
        stance["extent"] = extent
        if extent == "area":
            stance["area"] = draw(TEXTS)
    if definition.kind is IssueKind.NUMBER:
        if draw(st.booleans()):
            stance["bound"] = draw(st.sampled_from(["max", "min", "exact"]))
        if draw(st.integers(0, 3)) == 0:
            low, high = sorted((draw(_figures(definition)), draw(_figures(definition))))
            stance["acceptable"] = {"min": low, "max": high}
    elif draw(st.integers(0, 3)) == 0 and definition.kind is not IssueKind.TEXT:
        stance["acceptable"] = draw(st.lists(_plain(definition), min_size=1, max_size=2))
    return stance


@st.composite
def _proposal(draw: st.DrawFn, proposal_id: str) -> Proposal:
    chosen = draw(st.lists(st.sampled_from(ISSUES), unique_by=lambda item: item[0], max_size=9))
    data: dict[str, Any] = {
        "id": proposal_id,
        "title": proposal_id,
        "date": "2025-01-01",
        "status": "draft",
        "authors": ["A"],
        "parties": [{"id": p, "name": f"Party {p}", "kind": "state"} for p in PARTIES],
        "regions": [{"id": "north", "name": "North"}],
        "sources": [{"id": "S", "publisher": "P", "title": "T"}],
        "issues": {key: draw(_stance(key, definition)) for key, definition in chosen},
    }
    spare = [item for item in ISSUES if item[0] not in data["issues"]]
    if spare and draw(st.integers(0, 2)) == 0:  # two or three packages on other issues
        packages = []
        for index in range(draw(st.integers(2, 3))):
            picked = draw(
                st.lists(st.sampled_from(spare), min_size=1, max_size=3, unique_by=lambda i: i[0])
            )
            packages.append(
                {
                    "id": f"option-{index + 1}",
                    "label": f"package {index + 1}",
                    "sources": ["S"],
                    "issues": {key: draw(_stance(key, definition)) for key, definition in picked},
                }
            )
        data["alternatives"] = packages
    return Proposal.model_validate(data, context={"codebook": CODEBOOK})


@st.composite
def _corpora(draw: st.DrawFn) -> list[PositionSet]:
    count = draw(st.integers(2, 5))
    return [positions_of(draw(_proposal(f"p{index}"))) for index in range(count)]


@pytest.fixture(params=["as shipped", "tiny tables and tiles in three threads"])
def matrix_paths(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matrix as shipped, and with every list and text counted tile by tile in tiles of
    two proposals (so that one corpus crosses several tiles), filled by three threads (one
    thread against several: ``test_the_matrix_is_the_same_in_any_number_of_threads``)."""
    if request.param != "as shipped":
        monkeypatch.setattr(matrix_module, "TABLE_LIMIT", 0)
        monkeypatch.setattr(matrix_module, "TILE", 2)
        monkeypatch.setattr(matrix_module, "default_workers", lambda: 3)


LAW = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _same(a: float | None, b: float) -> bool:
    return math.isnan(b) if a is None else a == b


@LAW
@given(_corpora())
def test_matrix_equals_gap_between_equals_compare(
    matrix_paths: None, position_sets: list[PositionSet]
) -> None:
    matrix = gap_matrix(position_sets)
    by_category = gap_matrix(position_sets, weighting="category")
    for i, a in enumerate(position_sets):
        for j, b in enumerate(position_sets):
            comparison = diff(a, b)
            summary = comparison.summary
            assert _same(summary.overall_gap, matrix.gaps[i, j]), (i, j)
            assert _same(summary.category_weighted_gap, by_category.gaps[i, j]), (i, j)
            assert matrix.shared[i, j] == summary.shared_issues
            assert matrix.unclear is not None
            assert matrix.unclear[i, j] == summary.counts[Relation.UNCLEAR]
            for row in comparison.issues:
                if row.a is None or row.b is None:
                    continue
                assert row.gap == gap_between(
                    row.a.definition,
                    row.a.value,
                    row.b.value,
                    row.a.unit,
                    row.b.unit,
                    row.a.bound,
                    row.b.bound,
                ), row.key


@LAW
@given(_corpora())
def test_each_issue_of_the_matrix_equals_gap_between(
    matrix_paths: None, position_sets: list[PositionSet]
) -> None:
    """Issue by issue, every cell the matrix weighs in is the scalar rule's gap."""
    count = len(position_sets)
    for issue in matrix_module._gather(position_sets, None):
        tile = matrix_module._Tile(slice(0, count), slice(0, count))
        work = matrix_module._Strip().workspace(tile.shape)
        issue.terms(tile, work)
        gaps, weights = work.gaps, work.weight
        for i, a in enumerate(position_sets):
            for j, b in enumerate(position_sets):
                left, right = a.candidates(issue.key), b.candidates(issue.key)
                if len(left) != 1 or len(right) != 1:
                    continue  # alternatives: judged by closest, checked by the law above
                x, y = left[0], right[0]
                expected = gap_between(
                    x.definition, x.value, y.value, x.unit, y.unit, x.bound, y.bound
                )
                if expected is None:
                    assert weights[i, j] == 0.0
                else:
                    assert gaps[i, j] == expected, (issue.key, x.value, y.value)
                    assert weights[i, j] == issue_weight(x, y)


# ----------------------------------------------------------------------------- rules


def _recognised_by() -> IssueDefinition:
    resolved = default_codebook().resolve("territory.crimea.recognised_by")
    assert resolved is not None
    return resolved.definition


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ({"international"}, {"US"}, 0.5),  # {US, everyone else} against {US}
        ({"international"}, {"US", "GB"}, 1 - 2 / 3),
        ({"international", "US"}, {"international"}, 0.0),  # the universal item absorbs US
        ({"international"}, set(), 1.0),
        ({"US"}, {"GB"}, 1.0),
    ],
)
def test_gap_between_reads_the_universal_item(a: set[str], b: set[str], gap: float) -> None:
    definition = _recognised_by()
    assert gap_between(definition, frozenset(a), frozenset(b)) == pytest.approx(gap)
    assert gap_between(definition, frozenset(b), frozenset(a)) == pytest.approx(gap)


def test_gap_between_reads_open_and_relative_lists() -> None:
    definition = DEFINITIONS["t.who"]
    assert gap_between(definition, AtLeast(frozenset({"A"})), frozenset({"A", "B"})) == 0.0
    assert gap_between(definition, EveryoneBut(frozenset({"A"})), frozenset({"A"})) == 1.0
    assert gap_between(definition, EveryoneBut(frozenset({"A"})), frozenset({"B"})) == 0.5
    assert gap_between(definition, UNSTATED, frozenset({"B"})) is None


def test_the_set_and_text_gaps_are_one_formula() -> None:
    assert jaccard_gap(0, 0) == 0.0
    assert jaccard_gap(1, 3) == 1.0 - 1 / 3
    items, words = DEFINITIONS["t.items"], DEFINITIONS["t.words"]
    assert gap_between(items, frozenset("wx"), frozenset("xy")) == jaccard_gap(1, 3)
    assert gap_between(words, "Joint council", "joint commission") == jaccard_gap(1, 3)


def test_figures_at_a_range_too_wide_for_a_float_keep_their_gap() -> None:
    definition = DEFINITIONS["f.wide"]
    assert definition.difference_scale(None) == (1e308, 0.5)
    assert gap_between(definition, 1e308, 0.0) == 0.5
    assert gap_between(definition, 1e308, -1e308) == 1.0
    assert gap_between(definition, -1e308, 0.0) == 0.5
    assert number_gap(1.0, 1.0, (1e308, 0.5)) == 0.0
    days = DEFINITIONS["f.days"]
    assert days.difference_scale("days") == (730.0, 1.0)
    assert gap_between(days, 180.0, 365.0) == 185 / 730


def _figure_corpus(figures: list[float], key: str = "f.wide") -> list[PositionSet]:
    sets = []
    for index, figure in enumerate(figures):
        data: dict[str, Any] = {
            "id": f"p{index}",
            "title": "p",
            "date": "2025-01-01",
            "status": "draft",
            "authors": ["A"],
            "parties": [{"id": "A", "name": "A", "kind": "state"}],
            "sources": [{"id": "S", "publisher": "P", "title": "T"}],
            "issues": {key: {"value": figure, "sources": ["S"]}},
        }
        sets.append(positions_of(Proposal.model_validate(data, context={"codebook": CODEBOOK})))
    return sets


def test_compare_and_the_matrix_agree_at_extreme_ranges() -> None:
    sets = _figure_corpus([1e308, 0.0, -1e308])
    matrix = gap_matrix(sets)
    assert diff(sets[0], sets[1]).summary.overall_gap == 0.5 == matrix.gaps[0, 1]
    assert diff(sets[0], sets[2]).summary.overall_gap == 1.0 == matrix.gaps[0, 2]
    assert matrix.gaps[2, 1] == 0.5


def test_a_codebook_mismatch_is_refused_everywhere() -> None:
    other = CODEBOOK.model_copy(
        update={
            "issues": tuple(
                d.model_copy(update={"values": ("red", "green", "blue", "black")})
                if d.key == "t.colour"
                else d
                for d in CODEBOOK.issues
            )
        }
    )

    def proposal(pid: str, codebook: Codebook, key: str = "t.colour") -> PositionSet:
        value = "red" if key == "t.colour" else True
        data: dict[str, Any] = {
            "id": pid,
            "title": pid,
            "date": "2025-01-01",
            "status": "draft",
            "authors": ["A"],
            "parties": [{"id": "A", "name": "A", "kind": "state"}],
            "sources": [{"id": "S", "publisher": "P", "title": "T"}],
            "issues": {key: {"value": value, "sources": ["S"]}},
        }
        return positions_of(Proposal.model_validate(data, context={"codebook": codebook}))

    a, b = proposal("a", CODEBOOK), proposal("b", other)
    with pytest.raises(ComparisonError, match="defined differently"):
        diff(a, b)
    with pytest.raises(ComparisonError, match="defined differently"):
        gap_matrix([a, b])
    with pytest.raises(ComparisonError, match="defined differently"):
        build_grid([a, b])
    silent = proposal("silent", CODEBOOK, "t.flag")  # a baseline silent on the colour
    with pytest.raises(ComparisonError, match="defined differently"):
        build_grid([silent, a, b])
    with pytest.raises(ComparisonError, match="defined differently"):
        build_timeline("A", [a, b], [])
    with pytest.raises(ComparisonError, match="defined differently"):
        build_timeline("A", [a, proposal("a2", CODEBOOK)], [b])  # the reference's stance
    same = proposal("c", CODEBOOK.model_copy())  # equal definitions, other objects: fine
    assert diff(a, same).summary.overall_gap == 0.0


# ----------------------------------------------------------------------------- no hidden state


def test_a_copied_definition_is_judged_by_its_own_rule() -> None:
    sets = [
        positions_of(
            Proposal.model_validate(
                {
                    "id": f"p{value}",
                    "title": "p",
                    "date": "2025-01-01",
                    "status": "draft",
                    "authors": ["A"],
                    "parties": [{"id": "A", "name": "A", "kind": "state"}],
                    "sources": [{"id": "S", "publisher": "P", "title": "T"}],
                    "issues": {"t.level": {"value": value, "sources": ["S"]}},
                },
                context={"codebook": CODEBOOK},
            )
        )
        for value in ("none", "mid")
    ]
    a, b = sets[0]["t.level"], sets[1]["t.level"]
    assert judge(a, b).gap == 0.5  # warms the engine's memo for this definition
    for positions in ((0.0, 1.0, 1.0, 3.0, 4.0), (0.0, 0.0, 3.0, 3.0, 4.0)):
        copied = a.definition.model_copy(update={"positions": positions})
        assert copied.place("mid") == positions[2]
        assert copied.scale_span == 4.0
        left = dataclasses.replace(a, definition=copied)
        right = dataclasses.replace(b, definition=copied)
        assert judge(left, right).gap == positions[2] / 4.0
    poles = a.definition.model_copy(update={"poles": (("none", "low"), ("mid",))})
    assert poles.pole_of("low") == 0 and poles.pole_of("mid") == 1
    opposed = judge(
        dataclasses.replace(a, definition=poles), dataclasses.replace(b, definition=poles)
    )
    assert opposed.relation is Relation.CONFLICT
    assert judge(a, b).relation is Relation.PARTIAL  # the original keeps its own rule


def test_copies_made_and_dropped_in_a_loop_never_share_a_memo() -> None:
    """A dropped definition's address may be reused by the next copy: the memo holds the
    definition it judged, so no copy can find another's table."""
    base = DEFINITIONS["t.level"]
    for round_ in range(50):
        positions = (0.0, float(round_ % 3 + 1), 5.0, 6.0, 8.0)
        copied = base.model_copy(update={"positions": positions})
        pair = _pair_on(copied, "none", "low")
        assert judge(*pair).gap == positions[1] / 8.0
        del copied, pair
    clear_judgement_memo()


def _pair_on(definition: IssueDefinition, a: str, b: str) -> tuple[Position, Position]:
    sets = [
        positions_of(
            Proposal.model_validate(
                {
                    "id": f"q{value}",
                    "title": "q",
                    "date": "2025-01-01",
                    "status": "draft",
                    "authors": ["A"],
                    "parties": [{"id": "A", "name": "A", "kind": "state"}],
                    "sources": [{"id": "S", "publisher": "P", "title": "T"}],
                    "issues": {"t.level": {"value": value, "sources": ["S"]}},
                },
                context={"codebook": CODEBOOK},
            )
        )["t.level"]
        for value in (a, b)
    ]
    left, right = (dataclasses.replace(p, definition=definition) for p in sets)
    return left, right


def test_a_copied_codebook_resolves_its_new_issues() -> None:
    codebook = default_codebook()
    assert codebook.resolve("territory.crimea.control") is not None  # builds its index
    assert codebook.resolve("custom.extra") is None
    extra = IssueDefinition(key="custom.extra", label="Extra", category="custom", kind="boolean")
    copied = codebook.model_copy(
        update={
            "issues": (*codebook.issues, extra),
            "categories": (
                *codebook.categories,
                *Codebook.model_validate(
                    {"name": "c", "categories": [{"id": "custom", "label": "Custom"}]}
                ).categories,
            ),
        }
    )
    resolved = copied.resolve("custom.extra")
    assert resolved is not None and resolved.definition is extra
    assert copied.category_order["custom"] == len(codebook.categories)
    assert "custom.extra" in copied.literal_keys()
    assert codebook.resolve("custom.extra") is None  # the original keeps its own issues
    assert "custom" not in codebook.category_order
    universal = IssueDefinition(
        key="custom.who", label="Who", category="custom", kind="set", universal="anyone"
    )
    assert (
        "anyone"
        in codebook.model_copy(update={"issues": (*codebook.issues, universal)}).reserved_words
    )
    assert "anyone" not in codebook.reserved_words


def test_a_definition_keeps_no_engine_state() -> None:
    definition = DEFINITIONS["t.level"]
    judge_values(definition, "none", "low")
    state = set(definition.__dict__) - set(IssueDefinition.model_fields)
    assert state == set()


# ----------------------------------------------------------------------------- the matrix


def test_counts_are_small_integers() -> None:
    sets = _figure_corpus([1.0, 2.0, 3.0], key="f.days")
    matrix = gap_matrix(sets)
    assert matrix.shared.dtype == np.uint8
    assert matrix.unclear is not None and matrix.unclear.dtype == np.uint8
    assert matrix_module._count_type(255) is np.uint8
    assert matrix_module._count_type(256) is np.uint16
    assert matrix_module._count_type(70_000) is np.uint32


def _one_party_set(pid: str, issues: dict[str, Any]) -> PositionSet:
    """A proposal of party A citing source S, with these stances, compiled."""
    data: dict[str, Any] = {
        "id": pid,
        "title": pid,
        "date": "2025-01-01",
        "status": "draft",
        "authors": ["A"],
        "parties": [{"id": "A", "name": "A", "kind": "state"}],
        "sources": [{"id": "S", "publisher": "P", "title": "T"}],
        "issues": issues,
    }
    return positions_of(Proposal.model_validate(data, context={"codebook": CODEBOOK}))


def test_long_texts_with_words_of_their_own_compare_as_compare_does() -> None:
    """More words than one 64-bit mask holds, most of them in one text only."""
    texts = [
        " ".join(f"word{index}x{n}" for n in range(40)) + " shared common" for index in range(4)
    ] + ["shared", "common shared"]
    sets = [
        _one_party_set(f"t{index}", {"t.words": {"value": text, "sources": ["S"]}})
        for index, text in enumerate(texts)
    ]
    for limit in (matrix_module.TABLE_LIMIT, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(matrix_module, "TABLE_LIMIT", limit)
            matrix = gap_matrix(sets)
        for i, a in enumerate(sets):
            for j, b in enumerate(sets):
                assert matrix.gaps[i, j] == diff(a, b).summary.overall_gap


def test_categories_that_interleave_count_once_each() -> None:
    """Issues of categories the codebook does not list come in reading order by subject, so
    their categories interleave; each category still counts once, as in compare."""
    loose = Codebook.model_validate(
        {
            "name": "loose",
            "extends": "default",  # used as it is: its categories are not listed
            "issues": [
                {"key": "x.{party}.first", "label": "{party}: first", "category": "one", "kind": "boolean"},
                {"key": "x.{party}.second", "label": "{party}: second", "category": "two", "kind": "boolean"},
            ],
        }
    )  # fmt: skip
    sets = []
    for index, (flag, other) in enumerate([(True, True), (False, True), (True, False)]):
        issues = {
            "x.A.first": {"value": flag, "sources": ["S"], "salience": 0.3},
            "x.A.second": {"value": other, "sources": ["S"]},
            "x.B.first": {"value": other, "sources": ["S"], "salience": 1.0},
            "x.B.second": {"value": flag, "sources": ["S"]},
        }
        data: dict[str, Any] = {
            "id": f"p{index}",
            "title": "p",
            "date": "2025-01-01",
            "status": "draft",
            "authors": ["A"],
            "parties": [
                {"id": "A", "name": "A", "kind": "state"},
                {"id": "B", "name": "B", "kind": "state"},
            ],
            "sources": [{"id": "S", "publisher": "P", "title": "T"}],
            "issues": issues,
        }
        sets.append(positions_of(Proposal.model_validate(data, context={"codebook": loose})))
    assert [p.category for p in sets[0].positions.values()] == ["one", "two", "one", "two"]
    matrix = gap_matrix(sets, weighting="category")
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            assert _same(diff(a, b).summary.category_weighted_gap, matrix.gaps[i, j])


def test_the_matrix_reads_texts_by_their_words() -> None:
    """Case, punctuation, spacing and order do not make texts differ, in the matrix too."""
    texts = ["Joint Council.", "joint  council", "council, JOINT!", "joint commission", "Joint"]
    sets = [
        _one_party_set(f"w{index}", {"t.words": {"value": text, "sources": ["S"]}})
        for index, text in enumerate(texts)
    ]
    matrix = gap_matrix(sets)
    assert matrix.gaps[0, 1] == matrix.gaps[0, 2] == 0.0
    assert matrix.gaps[0, 3] == jaccard_gap(1, 3) and matrix.gaps[0, 4] == jaccard_gap(1, 2)
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            assert matrix.gaps[i, j] == diff(a, b).summary.overall_gap


@st.composite
def _bigger_corpora(draw: st.DrawFn) -> list[PositionSet]:
    count = draw(st.integers(6, 14))
    return [positions_of(draw(_proposal(f"p{index}"))) for index in range(count)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bigger_corpora(), st.integers(2, 6))
def test_the_matrix_is_the_same_in_any_number_of_threads(
    position_sets: list[PositionSet], workers: int
) -> None:
    """Threads fill disjoint strips of tiles: cells, counts and NaNs are the same bit for bit
    in one thread and in several (tiles of three proposals: up to five strips)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matrix_module, "TILE", 3)
        for weighting in ("issue", "category"):
            one = gap_matrix(position_sets, workers=1, weighting=weighting)
            many = gap_matrix(position_sets, workers=workers, weighting=weighting)
            assert np.array_equal(one.gaps, many.gaps, equal_nan=True)
            assert np.array_equal(one.shared, many.shared)
            assert one.unclear is not None and many.unclear is not None
            assert np.array_equal(one.unclear, many.unclear)


@pytest.mark.parametrize("workers", [0, -1, True, 1.5, "2"])
def test_a_matrix_needs_at_least_one_worker(workers: Any) -> None:
    sets = [_one_party_set("a", {}), _one_party_set("b", {})]
    with pytest.raises(ComparisonError, match="workers must be a whole number of at least 1"):
        gap_matrix(sets, workers=workers)
