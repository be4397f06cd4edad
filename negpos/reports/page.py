"""One self-contained HTML page on a corpus: proposals, every pairwise comparison, the grid,
the gap matrix and the parties' timelines, with figures.

The page is meant to be mailed, archived and opened offline, often from someone else's
files, so it loads nothing: no scripts, fonts, stylesheets or images from anywhere (figures
are inline SVG, the stylesheet is inline), and a Content-Security-Policy forbids any load
that might slip in. All user text is escaped, and the same corpus gives the same bytes, so
a report under version control changes only when its data does. The file is written
atomically: a failed write leaves the previous report as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from negpos._version import __version__
from negpos.corpus import Corpus
from negpos.engine import Relation
from negpos.engine.timeline import Change, Timeline
from negpos.errors import ComparisonError
from negpos.model import Source
from negpos.provenance.check import CheckReport
from negpos.reports.comparison import compare
from negpos.reports.corpus_reports import (
    GridReport,
    TimelineReport,
    grid_report,
    matrix_report,
    timeline_report,
)
from negpos.reports.escaping import escape_html
from negpos.reports.figures import (
    MissingExtraError,
    figure_svg,
    gap_heatmap,
    gap_over_time,
    relation_grid,
)
from negpos.reports.render import HTML_STYLE, render_html
from negpos.reports.table import Bibliography
from negpos.reports.writing import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from negpos.bargaining import Bargaining

__all__ = [
    "PAGE_STYLE",
    "SECTIONS",
    "default_title",
    "other_party",
    "party_names",
    "report_page",
    "write_report",
]

# Section ids and headings, in page order; the ids are a stable interface (links, tests).
SECTIONS = (
    ("proposals", "Proposals"),
    ("comparisons", "Comparisons"),
    ("grid", "Issue grid"),
    ("matrix", "Gap matrix"),
    ("timeline", "Timelines"),
)
BARGAINING_SECTION = ("bargaining", "Where they could meet")

# Nothing may load: not even an image, font or stylesheet. Inline <style> and style=""
# attributes (the SVG figures use them) are the only things allowed.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

PAGE_STYLE = """
:root { color-scheme: light; }
body { max-width: 82rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; line-height: 1.45; }
header h1 { font-size: 1.7rem; margin: 0 0 0.3rem; }
header p { margin: 0.2rem 0; color: #444; }
h2 { font-size: 1.35rem; margin: 0 0 0.8rem; padding-top: 0.4rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
h4 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
main > section { border-top: 2px solid #1a1a1a; margin-top: 2.2rem; padding-top: 0.6rem; }
nav.negpos-toc { background: #f5f5f2; border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1.2rem; margin: 1.2rem 0; }
nav.negpos-toc h2 { font-size: 1rem; margin: 0 0 0.3rem; padding: 0; }
nav.negpos-toc ol { display: flex; flex-wrap: wrap; gap: 0.2rem 2.2rem; margin: 0; padding-left: 1.2rem; }
nav.negpos-toc li { margin: 0; padding-left: 0.2rem; }
a { color: #0b5cad; }
.negpos-lead { color: #333; max-width: 60rem; }
.negpos-proposals { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: 1rem; }
article.negpos-proposal { border: 1px solid #ddd; border-left: 4px solid #0072b2; border-radius: 4px; padding: 0.4rem 1rem 0.6rem; }
article.negpos-proposal h3 { margin-top: 0.4rem; }
dl.negpos-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.8rem; margin: 0.4rem 0; font-size: 0.92rem; }
dl.negpos-facts dt { font-weight: 600; color: #444; }
dl.negpos-facts dd { margin: 0; }
p.negpos-note { font-size: 0.88rem; color: #444; }
ol.negpos-sources { font-size: 0.85rem; padding-left: 1.4rem; margin: 0.2rem 0; }
ol.negpos-sources li { margin: 0.2rem 0; overflow-wrap: anywhere; }
table.negpos-table td.num { white-space: nowrap; }
table.negpos-table td { overflow-wrap: break-word; }
table.negpos-table thead th { background: #f5f5f2; border-bottom: 2px solid #bbb; }
table.negpos-table tbody tr:nth-child(even) { background: #fafafa; }
table.negpos-timelinereport tr.concession td:nth-child(5) { color: #1b7a3d; font-weight: 600; }
table.negpos-timelinereport tr.hardening td:nth-child(5) { color: #b3261e; font-weight: 600; }
.negpos-scroll { overflow-x: auto; margin: 0.6rem 0 1.2rem; }
table.negpos-pairs, table.negpos-proposal-list { width: auto; }
details.negpos-pair { border: 1px solid #ddd; border-radius: 4px; margin: 0.5rem 0; padding: 0 0.8rem; }
details.negpos-pair > summary { cursor: pointer; padding: 0.5rem 0; font-weight: 600; }
details.negpos-pair > summary span { font-weight: 400; color: #444; }
figure.negpos-figure { margin: 1rem 0 1.5rem; }
figure.negpos-figure svg { display: block; max-width: 100%; height: auto; }
figure.negpos-figure figcaption { font-size: 0.88rem; color: #444; margin-top: 0.4rem; max-width: 60rem; }
.negpos-nofigure { border: 1px dashed #999; border-radius: 4px; padding: 1rem; color: #444; background: #fafafa; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #666; border-top: 1px solid #ddd; padding-top: 0.5rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav.negpos-toc { background: none; }
  main > section { break-before: page; border-top: none; }
  details.negpos-pair { border: none; padding: 0; }
  details.negpos-pair::details-content { content-visibility: visible; display: block; }
  details.negpos-pair > summary { list-style: none; }
  .negpos-scroll { overflow: visible; }
  figure.negpos-figure, tr { break-inside: avoid; }
  h2, h3, h4, caption { break-after: avoid; }
  a { color: inherit; }
}
"""


def report_page(
    corpus: Corpus,
    *,
    baseline: str | None = None,
    timelines: Sequence[tuple[str, str | None]] = (),
    title: str | None = None,
    provenance: CheckReport | None = None,
    bargaining: Bargaining | None = None,
) -> str:
    """The whole report as one static HTML5 page.

    ``baseline``: the grid's reference proposal (the earliest by default). ``timelines``:
    (party, reference party or None) pairs; when empty, every author party with two or more
    proposals, measured against the other party when the proposals have only two authors
    (``other_party``) and unmeasured otherwise. ``title``: the page's heading, by default
    ``default_title(corpus)``. ``provenance``: what ``negpos check`` found for the same files,
    shown beside each proposal with its unverified quotes marked. ``bargaining``: the answers
    of ``negpos.bargain`` for profiles of the same parties, shown in a last section with
    their caveats. Raises ``ComparisonError``
    for an empty corpus, an unknown baseline or a timeline party with no proposal.
    """
    if len(corpus) == 0:
        raise ComparisonError("a report needs at least one proposal")
    tracks = [(party, reference, False) for party, reference in timelines] or [
        (party, other, other is not None)
        for party in _parties_with_several(corpus)
        for other in [_other_author(corpus, _track_authors(corpus, party))]
    ]
    # Reports that can reject their arguments come first: a bad baseline or party fails fast.
    grid = grid_report(corpus, baseline)
    timeline_reports = [
        (party, reference, defaulted, timeline_report(corpus, party=party, reference=reference))
        for party, reference, defaulted in tracks
    ]
    names = party_names(corpus)
    heading = title or default_title(corpus)
    ids = _Ids()
    sections = [
        _proposals_section(corpus, names, ids, provenance),
        _comparisons_section(corpus, ids),
        _grid_section(corpus, grid),
        _matrix_section(corpus),
        _timeline_section(timeline_reports, names, ids),
    ]
    shown: tuple[tuple[str, str], ...] = SECTIONS
    if bargaining is not None:
        sections.append(_bargaining_section(bargaining))
        shown = (*SECTIONS, BARGAINING_SECTION)
    first, last = corpus.proposals[0].date, corpus.proposals[-1].date
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    contents = "".join(
        f'<li><a href="#{anchor}">{escape_html(name)}</a></li>' for anchor, name in shown
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="negpos {escape_html(__version__)}">\n'
        f"<title>{escape_html(heading)}</title>\n"
        f"<style>{HTML_STYLE}{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{escape_html(heading)}</h1>\n"
        f"<p>{len(corpus)} proposal{'s' if len(corpus) != 1 else ''}, {escape_html(span)}. "
        "Every cell names its sources; gaps run from 0 (same stance) to 1 "
        "(as far apart as the issue allows).</p>\n</header>\n"
        '<nav class="negpos-toc" aria-labelledby="contents-heading">\n'
        f'<h2 id="contents-heading">Contents</h2>\n<ol>{contents}</ol>\n</nav>\n'
        "<main>\n" + "".join(sections) + "</main>\n"
        f"<footer>Made with negpos {escape_html(__version__)}. This page is self-contained: "
        "it loads no scripts, fonts, stylesheets or images.</footer>\n"
        "</body>\n</html>\n"
    )


def write_report(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    baseline: str | None = None,
    timelines: Sequence[tuple[str, str | None]] = (),
    title: str | None = None,
    provenance: CheckReport | None = None,
    bargaining: Bargaining | None = None,
) -> Path:
    """Write ``report_page(...)`` to ``path`` as UTF-8 and return the path.

    The page is built in full first, then written atomically (``write_atomically``): on any
    failure the file at ``path`` is left as it was and the ``OSError`` names ``path``.
    """
    target = Path(path)
    page = report_page(
        corpus,
        baseline=baseline,
        timelines=timelines,
        title=title,
        provenance=provenance,
        bargaining=bargaining,
    )
    write_atomically(target, page)
    return target


def default_title(corpus: Corpus) -> str:
    """A heading from the proposals themselves: one proposal's label; two or three labels
    joined by "vs" ("Russia, June 2025 vs US, April 2025"); for more, the count, the authors'
    names and the months spanned ("6 proposals by Russia, United States, Ukraine and European
    states, June 2024 to November 2025")."""
    proposals = corpus.proposals
    if not proposals:
        return "No proposals"
    if len(proposals) <= 3:
        return " vs ".join(p.display_label for p in proposals)
    names = party_names(corpus)
    authors = list(dict.fromkeys(a for p in proposals for a in p.authors))
    shown = [names.get(a, a) for a in authors[:4]]
    if len(authors) > 4:
        shown.append(f"{len(authors) - 4} more")
    by = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    first, last = _month(proposals[0].date), _month(proposals[-1].date)
    span = first if first == last else f"{first} to {last}"
    return f"{len(proposals)} proposals by {by}, {span}"


def party_names(corpus: Corpus) -> dict[str, str]:
    """Party id -> name, as the earliest proposal naming the party spells it."""
    names: dict[str, str] = {}
    for proposal in corpus:
        for party in proposal.parties:
            names.setdefault(party.id, party.name)
    return names


def other_party(corpus: Corpus, timeline: Timeline) -> str | None:
    """The party to measure ``timeline`` against when none is given: the one author of the
    corpus's proposals who authored none of the timeline's; None when there are several
    (or none), as there is then no one obvious reference."""
    on_track = {a for point in timeline.track for a in corpus[point.proposal_id].authors}
    return _other_author(corpus, on_track)


def _other_author(corpus: Corpus, on_track: Iterable[str]) -> str | None:
    others = {a for p in corpus for a in p.authors} - set(on_track)
    return next(iter(others)) if len(others) == 1 else None


def _track_authors(corpus: Corpus, party: str) -> set[str]:
    """The party and its co-authors on the proposals it made."""
    return {a for p in corpus if party in p.authors for a in p.authors}


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _month(date: dt.date) -> str:
    return f"{_MONTHS[date.month - 1]} {date.year}"


# --------------------------------------------------------------------------- sections


def _section(anchor: str, body: str) -> str:
    heading = dict((*SECTIONS, BARGAINING_SECTION))[anchor]
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-heading">\n'
        f'<h2 id="{anchor}-heading">{escape_html(heading)}</h2>\n{body}</section>\n'
    )


def _provenance_block(proposal_id: str, provenance: CheckReport | None) -> str:
    """The proposal's provenance summary, with every quote that failed its check marked."""
    if provenance is None:
        return ""
    summary = next((s for s in provenance.summaries if s.proposal_id == proposal_id), None)
    if summary is None:
        return ""
    problems = [f for f in provenance.findings if f.file == summary.file and f.severity != "info"]
    items = "".join(
        f'<li class="negpos-{escape_html(f.severity)}"><strong>'
        f"{'Unverified' if f.severity == 'error' else 'Note'}:</strong> "
        f"{escape_html(f.line_text())}</li>"
        for f in problems
    )
    facts = (
        f"{summary.stances} stances; {summary.with_evidence} with evidence; "
        f"{summary.quotes_verified} of {summary.quotes} quoted stances verified in an archived "
        f"copy ({summary.share_verified:.0%} of all stances); {summary.inferred} resting in "
        f"part on the coder's inference ({summary.share_inferred:.0%})."
    )
    listed = f'<ul class="negpos-findings">{items}</ul>\n' if items else ""
    return f"<h4>Provenance</h4>\n<p>{escape_html(facts)}</p>\n{listed}"


def _proposals_section(
    corpus: Corpus, names: dict[str, str], ids: _Ids, provenance: CheckReport | None
) -> str:
    overview = []
    articles = []
    for proposal in corpus:
        anchor = ids.make("proposal", proposal.id)
        date = f'<time datetime="{proposal.date.isoformat()}">{proposal.date.isoformat()}</time>'
        overview.append(
            f'<tr><td><a href="#{anchor}">{escape_html(proposal.display_label)}</a></td>'
            f"<td>{proposal.date.isoformat()}</td><td>{escape_html(proposal.status.value)}</td>"
            f"<td>{_parties(proposal.authors, names)}</td>"
            f'<td class="num">{len(corpus.positions(proposal.id))}</td>'
            f'<td class="num">{len(proposal.sources)}</td></tr>'
        )
        facts = [
            ("Title", escape_html(proposal.title)),
            ("Date", date),
            ("Status", escape_html(proposal.status.value)),
            ("Authors", _parties(proposal.authors, names)),
        ]
        if proposal.addressees:
            facts.append(("Addressed to", _parties(proposal.addressees, names)))
        if proposal.revises:
            facts.append(("Revises", f"<code>{escape_html(proposal.revises)}</code>"))
        facts.append(("Id", f"<code>{escape_html(proposal.id)}</code>"))
        rows = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
        note = f'<p class="negpos-note">{escape_html(proposal.note)}</p>\n' if proposal.note else ""
        sources = "".join(f"<li>{_source(source)}</li>" for source in proposal.sources)
        articles.append(
            f'<article class="negpos-proposal" id="{anchor}">\n'
            f"<h3>{escape_html(proposal.display_label)}</h3>\n"
            f'<dl class="negpos-facts">{rows}</dl>\n{note}'
            f"{_provenance_block(proposal.id, provenance)}"
            f'<h4>Sources</h4>\n<ol class="negpos-sources">{sources}</ol>\n</article>\n'
        )
    lead = (
        '<p class="negpos-lead">Each proposal as the files give it, in date order, with '
        "every source its stances cite.</p>\n"
    )
    table = (
        '<table class="negpos-table negpos-proposal-list">\n'
        f"<caption>{len(corpus)} proposal{'s' if len(corpus) != 1 else ''}, in date order</caption>\n"
        '<thead><tr><th scope="col">Proposal</th><th scope="col">Date</th>'
        '<th scope="col">Status</th><th scope="col">Authors</th>'
        '<th scope="col">Issues addressed</th><th scope="col">Sources</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(overview) + "\n</tbody>\n</table>\n"
    )
    return _section(
        "proposals",
        lead + _scroll(table) + '<div class="negpos-proposals">\n' + "".join(articles) + "</div>\n",
    )


def _comparisons_section(corpus: Corpus, ids: _Ids) -> str:
    pairs = list(combinations(corpus.proposals, 2))
    if not pairs:
        return _section(
            "comparisons", '<p class="negpos-lead">Only one proposal: nothing to compare.</p>\n'
        )
    overview = []
    blocks = []
    for index, (a, b) in enumerate(pairs):
        comparison = compare(a, b)
        summary = comparison.summary
        anchor = ids.make("compare", f"{a.id}--{b.id}")
        pair = f"{a.display_label} vs. {b.display_label}"
        gap = "n/a" if summary.overall_gap is None else f"{summary.overall_gap:.2f}"
        counts = "".join(f'<td class="num">{summary.counts.get(r, 0)}</td>' for r in Relation)
        overview.append(
            f'<tr><td><a href="#{anchor}">{escape_html(pair)}</a></td>{counts}'
            f'<td class="num">{summary.shared_issues}</td><td class="num">{gap}</td></tr>'
        )
        opened = " open" if index == 0 else ""
        blocks.append(
            f'<details class="negpos-pair" id="{anchor}"{opened}>\n'
            f"<summary>{escape_html(pair)} <span>({escape_html(str(summary))})</span></summary>\n"
            f'<div class="negpos-scroll">\n{comparison.to_html()}</div>\n</details>\n'
        )
    relation_heads = "".join(f'<th scope="col">{escape_html(r.value)}</th>' for r in Relation)
    table = (
        '<div class="negpos-scroll">\n<table class="negpos-table negpos-pairs">\n'
        f"<caption>All {len(pairs)} pairs of proposals, earlier first</caption>\n"
        f'<thead><tr><th scope="col">Pair</th>{relation_heads}'
        '<th scope="col">Shared issues</th><th scope="col">Overall gap</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(overview) + "\n</tbody>\n</table>\n</div>\n"
    )
    lead = (
        '<p class="negpos-lead">Every pair issue by issue: how the two stances relate, how far '
        "apart they are, why, and on whose evidence. Open a pair to read its table.</p>\n"
    )
    return _section("comparisons", lead + table + "".join(blocks))


def _grid_section(corpus: Corpus, report: GridReport) -> str:
    base = corpus[report.grid.baseline].display_label
    figure = _figure(
        lambda: relation_grid(report.grid),
        "grid",
        f"Each cell: how a proposal's stance on an issue relates to the baseline's ({base}); "
        "the grey column is the baseline itself.",
    )
    lead = (
        '<p class="negpos-lead">Every issue any proposal addresses, against one baseline '
        f"proposal ({escape_html(base)}), with how far the proposals agree on it.</p>\n"
    )
    return _section("grid", lead + figure + _scroll(report.to_html()))


def _matrix_section(corpus: Corpus) -> str:
    report = matrix_report(corpus)
    figure = _figure(
        lambda: gap_heatmap(report.matrix),
        "matrix",
        "Overall gap of every pair: the salience-weighted mean gap over the issues both "
        "address; blank where two proposals share no issue.",
    )
    lead = '<p class="negpos-lead">How far apart each pair of proposals is overall.</p>\n'
    return _section("matrix", lead + figure + _scroll(report.to_html()))


def _bargaining_section(result: Bargaining) -> str:
    """The bargaining answers, their caveats first: every number here is a judgement."""
    from negpos.reports.bargaining_figures import forecast_bars, utility_plane
    from negpos.reports.bargaining_report import bargaining_report

    report = bargaining_report(result)
    caveats = "".join(f"<li>{escape_html(note)}</li>" for note in result.notes)
    lead = (
        '<p class="negpos-lead">Zones of possible agreement, the Pareto frontier, bargaining '
        "solutions, trades and a compromise forecast, from preference profiles. They rest on "
        "saliences and utilities the texts do not state:</p>\n"
        f"<ul>{caveats}</ul>\n"
    )
    plane = _figure(
        lambda: utility_plane(result),
        "bargaining",
        "Every package by the first two parties' utilities; the frontier joined; the "
        "solutions and the proposals marked; dotted lines at the walk-away points.",
    )
    bars = _figure(
        lambda: forecast_bars(result),
        "forecast",
        "Compromise forecast per issue on a scale: bar = weighted mean, | = weighted median, "
        "line = 5–95 % of the mean over the sensitivity draws.",
    )
    tables = "".join(
        _scroll(report.section(name).to_html())
        for name in ("solutions", "zones", "trades", "forecast", "sensitivity", "profiles")
    )
    return _section("bargaining", lead + plane + bars + tables)


def _timeline_section(
    reports: list[tuple[str, str | None, bool, TimelineReport]], names: dict[str, str], ids: _Ids
) -> str:
    if not reports:
        return _section(
            "timeline",
            '<p class="negpos-lead">No party made two or more of these proposals, '
            "so there is no timeline to show.</p>\n",
        )
    blocks = []
    for party, reference, defaulted, report in reports:
        name = _party_name(party, names)
        heading = name
        # Names, not ids, in the table's title and the figure's title and axis.
        shown = TimelineReport(
            dataclasses.replace(
                report.timeline,
                subject=name,
                reference_party=None if reference is None else _party_name(reference, names),
            ),
            report.changes_only,
        )
        if reference is not None:
            other = _party_name(reference, names)
            heading += f", measured against {other}"
            note = (
                f'<p class="negpos-note">{escape_html(other)} is the only other party in these '
                "proposals, so the timeline is measured against it.</p>\n"
                if defaulted
                else ""
            )
            figure = note + _figure(
                partial(gap_over_time, shown.timeline),
                f"timeline-{party}-{reference}",
                f"Overall gap of each proposal by {name} to the latest by {other} on or "
                "before its date.",
            )
        else:
            figure = (
                '<p class="negpos-note">No reference party is given, so changes are listed '
                "but not measured as concessions or hardenings, and no gap is plotted.</p>\n"
            )
        anchor = ids.make("timeline", f"{party}-{reference or ''}")
        blocks.append(
            f'<section class="negpos-timeline" id="{anchor}">\n'
            f"<h3>{escape_html(heading)}</h3>\n{figure}{_scroll(_timeline_table(shown))}"
            "</section>\n"
        )
    lead = (
        '<p class="negpos-lead">How a party\'s stances moved from one of its proposals to the '
        "next: added, dropped, unchanged, or (against a reference party) a concession or a "
        "hardening.</p>\n"
    )
    return _section("timeline", lead + "".join(blocks))


# --------------------------------------------------------------------------- pieces


def _figure(draw: Callable[[], Figure], name: str, caption: str) -> str:
    """An inline-SVG figure, or, without matplotlib, a note in its place: the page is
    still worth having without the plot extra."""
    try:
        svg = figure_svg(draw(), id_prefix=f"fig-{name}")
    except MissingExtraError as exc:
        return f'<div class="negpos-nofigure" role="note">{escape_html(str(exc))}</div>\n'
    return (
        f'<figure class="negpos-figure">\n{svg}'
        f"<figcaption>{escape_html(caption)}</figcaption>\n</figure>\n"
    )


def _scroll(table_html: str) -> str:
    return f'<div class="negpos-scroll">\n{table_html}</div>\n'


def _source(source: Source) -> str:
    """A citation with its address as a link; only http(s) addresses become links."""
    parts = [escape_html(source.publisher), f"“{escape_html(source.title)}”"]
    if source.date is not None:
        parts.append(source.date.isoformat())
    text = ", ".join(parts)
    url = source.url
    if url and re.match(r"https?://", url, flags=re.IGNORECASE):
        link = escape_html(url)
        text += f', <a href="{link}" rel="noopener noreferrer">{link}</a>'
    elif url:
        text += f", {escape_html(url)}"
    if source.note:
        text += f' <span class="negpos-note">({escape_html(source.note)})</span>'
    return text


def _timeline_table(report: TimelineReport) -> str:
    """The timeline's table, each step citing the sources of both stances, before and
    after (the library's table cites the later one only)."""
    table = report.table()
    steps = [
        s for s in report.timeline.steps if not report.changes_only or s.change != Change.UNCHANGED
    ]
    if table.headers[-1:] != ("Sources",) or len(steps) != len(table.rows):
        return report.to_html()
    bibliography = Bibliography()
    cells = [
        f"{bibliography.cite_position(s.old) or '–'} → {bibliography.cite_position(s.new) or '–'}"
        for s in steps
    ]
    table = dataclasses.replace(
        table,
        headers=(*table.headers[:-1], "Sources (before → after)"),
        rows=tuple((*row[:-1], cell) for row, cell in zip(table.rows, cells, strict=True)),
        references=bibliography.references,
        quotes=bibliography.quotes,
    )
    return render_html(table, css_class=f"negpos-table {report.css_class}")


def _parties(party_ids: Sequence[str], names: dict[str, str]) -> str:
    """Party names with their ids, for the facts of a proposal (ids are what options take)."""
    return escape_html(
        ", ".join(f"{names[p]} ({p})" if names.get(p, p) != p else p for p in party_ids)
    )


def _party_name(party: str, names: dict[str, str]) -> str:
    """A party's name for headings and captions; its id too only when another party has
    the same name."""
    name = names.get(party) or party
    if name != party and sum(1 for other in names.values() if other == name) > 1:
        return f"{name} ({party})"
    return name


def _parties_with_several(corpus: Corpus) -> list[str]:
    """Author parties with at least two proposals, in order of their first proposal."""
    counts: dict[str, int] = {}
    for proposal in corpus:
        for party in proposal.authors:
            counts[party] = counts.get(party, 0) + 1
    return [party for party, count in counts.items() if count >= 2]


class _Ids:
    """Unique, safe element ids from user ids: the section ids are reserved."""

    def __init__(self) -> None:
        self._used = {anchor for anchor, _ in SECTIONS} | {f"{a}-heading" for a, _ in SECTIONS}
        self._used.add("contents-heading")

    def make(self, kind: str, text: str) -> str:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"
        anchor, number = f"{kind}-{slug}", 2
        while anchor in self._used:
            anchor, number = f"{kind}-{slug}-{number}", number + 1
        self._used.add(anchor)
        return anchor
