"""The HTML report page: every section with its table, nothing that loads a resource, hostile
text escaped, the same bytes every time, and a real headless Chromium that renders it with no
errors and no requests beyond the file itself."""

from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import negpos
from negpos.corpus import Corpus
from negpos.errors import ComparisonError
from negpos.model import Proposal
from negpos.reports.figures import MISSING_MATPLOTLIB
from negpos.reports.page import SECTIONS, report_page, write_report
from tests.conftest import EXAMPLES, minimal_data

SECTION_IDS = [anchor for anchor, _ in SECTIONS]
TIMELINES = [("US", "RU"), ("RU", None)]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCRIPT = "<script>alert(1)</script>"
# Elements that fetch something by themselves, whatever their attributes say.
LOADING_TAGS = {"script", "link", "img", "iframe", "frame", "object", "embed", "base", "audio"}
LOADING_TAGS |= {"video", "source", "track", "input", "image", "feimage", "portal", "applet"}


class _Page(HTMLParser):
    """Every start tag with its attributes and the top-level section it sits in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], str | None]] = []
        self.styles: list[str] = []
        self.texts: list[tuple[str, str]] = []  # (tag, text) of elements holding text only
        self._sections: list[str] = []
        self._in_style = False
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values, self._sections[0] if self._sections else None))
        if tag == "section":
            self._sections.append(values.get("id", ""))
        if "style" in values:
            self.styles.append(values["style"])
        self._in_style = tag == "style"
        self._open = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._sections:
            self._sections.pop()
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        elif self._open is not None and data.strip():
            self.texts.append((self._open, data))
        self._open = None

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs, _ in self.tags if "id" in attrs]

    def within(self, section: str, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs, where in self.tags if name == tag and where == section]


def _parse(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_dir(EXAMPLES)


@pytest.fixture(scope="module")
def page(corpus: Corpus) -> str:
    return report_page(corpus, timelines=TIMELINES, title="Ukraine: five proposals")


@pytest.fixture(scope="module")
def parsed(page: str) -> _Page:
    return _parse(page)


def _hostile_corpus() -> Corpus:
    first = minimal_data(
        title=f"Plan {SCRIPT}",
        label='R&D 50% $x$ "><img src=x onerror=alert(1)>',
        note=f"note {SCRIPT} & more",
    )
    first["parties"][0]["name"] = f"North {SCRIPT}"
    first["sources"][0]["publisher"] = "Pub <b>&</b>"
    first["sources"][0]["url"] = 'https://example.org/?q="><script>alert(2)</script>'
    second = minimal_data(
        id="south-1", label="Second <i>offer</i>", date="2024-06-01", authors=["S"]
    )
    return Corpus.of([Proposal.model_validate(first), Proposal.model_validate(second)])


# --------------------------------------------------------------------------- structure


def test_every_section_has_its_id_heading_and_contents_link(page: str, parsed: _Page) -> None:
    sections = [attrs["id"] for name, attrs, _ in parsed.tags if name == "section"]
    top = [s for s in sections if s in SECTION_IDS]
    assert top == SECTION_IDS
    links = {attrs.get("href") for name, attrs, where in parsed.tags if name == "a" and not where}
    assert {f"#{anchor}" for anchor in SECTION_IDS} <= links
    for anchor, heading in SECTIONS:
        assert parsed.within(anchor, "h2"), anchor
        assert f'<h2 id="{anchor}-heading">{heading}</h2>' in page
    ids = parsed.ids()
    assert len(ids) == len(set(ids)), "element ids repeat"
    assert page.startswith("<!DOCTYPE html>\n") and "<title>Ukraine: five proposals</title>" in page


def test_each_section_holds_its_tables_and_figures(corpus: Corpus, parsed: _Page) -> None:
    def tables(section: str) -> list[str]:
        return [attrs.get("class", "") for attrs in parsed.within(section, "table")]

    articles = parsed.within("proposals", "article")
    assert len(articles) == len(corpus) == 6
    comparisons = [t for t in tables("comparisons") if "negpos-comparison" in t]
    assert len(comparisons) == 15  # every pair of six proposals
    details = [
        d for d in parsed.within("comparisons", "details") if d.get("class") == "negpos-pair"
    ]
    assert len(details) == 15 and "open" in details[0] and "open" not in details[1]
    quotes = [
        d for d in parsed.within("comparisons", "details") if d.get("class") == "negpos-quotes"
    ]
    assert quotes and all("open" not in d for d in quotes)  # verbatim quotes, on demand
    assert any("negpos-gridreport" in t for t in tables("grid"))
    assert any("negpos-matrixreport" in t for t in tables("matrix"))
    assert len([t for t in tables("timeline") if "negpos-timelinereport" in t]) == 2
    assert len(parsed.within("grid", "svg")) == 1
    assert len(parsed.within("matrix", "svg")) == 1
    assert len(parsed.within("timeline", "svg")) == 1  # only the timeline with a reference


def test_proposals_list_their_facts_and_link_their_sources(corpus: Corpus, parsed: _Page) -> None:
    anchors = parsed.within("proposals", "a")
    assert [a["href"] for a in anchors[:6]] == [f"#proposal-{p.id}" for p in corpus]
    links = [a["href"] for a in anchors[6:]]
    expected = [s.url for p in corpus for s in p.sources if s.url]
    assert links == expected and links
    assert all(a.get("rel") == "noopener noreferrer" for a in anchors[6:])
    times = [t["datetime"] for t in parsed.within("proposals", "time")]
    assert times == [p.date.isoformat() for p in corpus]


def test_default_timelines_follow_every_party_with_two_proposals(corpus: Corpus) -> None:
    parsed = _parse(report_page(corpus))
    timelines = [a["id"] for a in parsed.within("timeline", "section")]
    assert timelines == ["timeline-RU", "timeline-US"]  # in order of their first proposal
    assert parsed.within("timeline", "svg") == []  # no reference, no gap to plot


def test_one_proposal_and_bad_input(corpus: Corpus) -> None:
    single = Corpus.of([corpus.proposals[0]])
    html = report_page(single)
    assert "nothing to compare" in html and "no timeline" in html
    with pytest.raises(ComparisonError, match="at least one proposal"):
        report_page(Corpus.of([]))
    with pytest.raises(ComparisonError, match="baseline"):
        report_page(corpus, baseline="no-such-proposal")
    with pytest.raises(ComparisonError, match="XX"):
        report_page(corpus, timelines=[("XX", None)])


# --------------------------------------------------------------------------- safety


def test_nothing_on_the_page_loads_a_resource(page: str, parsed: _Page) -> None:
    for tag, attrs, _ in parsed.tags:
        assert tag not in LOADING_TAGS, tag
        assert "src" not in attrs and "srcset" not in attrs, tag
        assert not any(name.startswith("on") for name in attrs), tag
        for name in ("href", "xlink:href"):
            target = attrs.get(name)
            if target is None or target.startswith("#"):
                continue
            assert tag == "a" and re.match(r"https?://", target), (tag, target)
    for css in parsed.styles:
        assert "@import" not in css
        assert not re.search(r"url\(\s*['\"]?(?!#)", css), css
    policy = next(a["content"] for t, a, _ in parsed.tags if a.get("http-equiv"))
    assert policy.startswith("default-src 'none'")
    assert not re.search(r"(src|href)=\"(?!#|https?://)[a-z]+:", page)  # no javascript: etc.


def test_hostile_text_is_escaped_everywhere() -> None:
    html = report_page(_hostile_corpus(), timelines=[("N", "S")])
    parsed = _parse(html)
    assert not [tag for tag, _, _ in parsed.tags if tag in {"script", "img", "b", "i"}]
    assert not [attrs for _, attrs, _ in parsed.tags if any(n.startswith("on") for n in attrs)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "R&amp;D 50% $x$ &quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Pub &lt;b&gt;&amp;&lt;/b&gt;" in html
    link = next(a["href"] for a in parsed.within("proposals", "a") if a.get("rel"))
    assert link == 'https://example.org/?q="><script>alert(2)</script>'  # one attribute value


def test_same_corpus_gives_the_same_bytes(corpus: Corpus, page: str, tmp_path: Path) -> None:
    written = write_report(
        corpus, tmp_path / "a.html", timelines=TIMELINES, title="Ukraine: five proposals"
    )
    assert written == tmp_path / "a.html"
    assert written.read_bytes() == page.encode("utf-8")  # built twice, the same bytes


def test_without_matplotlib_the_page_says_how_to_get_figures(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    html = report_page(corpus, timelines=TIMELINES)
    notes = re.findall(r'<div class="negpos-nofigure" role="note">([^<]*)</div>', html)
    message = MISSING_MATPLOTLIB.replace('"', "&quot;")
    assert notes == [message] * 3  # grid, matrix, the timeline with a reference
    assert "<svg" not in html
    assert all(f'id="{anchor}"' in html for anchor in SECTION_IDS)


# --------------------------------------------------------------------------- a real browser


def test_page_renders_in_headless_chromium_without_errors_or_requests(
    corpus: Corpus, tmp_path: Path
) -> None:
    pytest.importorskip(
        "playwright.sync_api", reason="the browser test needs playwright: pip install playwright"
    )
    from playwright.sync_api import ConsoleMessage, Error, Request, sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no Chromium browser installed: apt-get install chromium")
    report = write_report(corpus, tmp_path / "report.html", timelines=TIMELINES)
    url = report.resolve().as_uri()
    screenshot = tmp_path / "report.png"
    errors: list[str] = []
    requests: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_page_error(error: Error) -> None:
        errors.append(str(error))

    def on_request(request: Request) -> None:
        requests.append(request.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 800})
            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("request", on_request)
            page.goto(url, wait_until="load")
            for anchor, heading in SECTIONS:
                section = page.locator(f"section#{anchor}")
                assert section.is_visible(), anchor
                assert section.locator("h2").first.inner_text() == heading
                table = section.locator("table.negpos-table").first
                assert table.is_visible(), anchor
                assert table.locator("tbody tr").count() > 0, anchor
            figures = page.locator("figure.negpos-figure svg")
            assert figures.count() == 3
            for index in range(3):
                box = figures.nth(index).bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 200
            # Fits a laptop screen: nothing but the wide tables' own boxes scrolls sideways.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            page.get_by_role("link", name="Gap matrix", exact=True).click()
            assert page.url.endswith("#matrix")
            assert page.locator("section#matrix h2").is_visible()
            # Printing shows every comparison, not only the open one.
            page.emulate_media(media="print")
            tables = page.locator("details.negpos-pair table")
            assert tables.count() == 15
            assert all(tables.nth(i).is_visible() for i in range(15))
            page.emulate_media(media="screen")
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert requests == [url]
    data = screenshot.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 50_000


def test_the_page_gives_each_proposals_provenance_and_marks_unverified_quotes(
    corpus: Corpus, tmp_path: Path
) -> None:
    from negpos.provenance.check import check_paths

    source = EXAMPLES / "russia-2025-05-16.yaml"
    copy = tmp_path / "russia-2025-05-16.yaml"
    archive = tmp_path / "archive"
    archive.mkdir()
    for item in (EXAMPLES / "archive").iterdir():
        (archive / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    text = source.read_text(encoding="utf-8")
    copy.write_text(
        text.replace("a commitment from Ukraine to remain neutral", "a promise of neutrality", 1),
        encoding="utf-8",
    )
    report = check_paths([copy])
    html = report_page(Corpus.of([negpos.load(copy)]), provenance=report)
    assert "<h4>Provenance</h4>" in html
    assert (
        html.count("<strong>Unverified:</strong>")
        == len([f for f in report.findings if f.severity == "error"])
        > 0
    )
    assert "quote" in html.split("<strong>Unverified:</strong>", 1)[1].split("</li>", 1)[0]


# --------------------------------------------------------------------------- titles and names


def test_the_title_comes_from_the_proposals(corpus: Corpus) -> None:
    russia, us = corpus["russia-2025-06-02"], corpus["us-2025-04-17"]
    pair = _parse(report_page(Corpus.of([russia, us])))
    headings = [text for tag, text in pair.texts if tag in {"title", "h1"}]
    assert headings == ["US, April 2025 vs Russia, June 2025"] * 2  # in date order
    assert "<title>Russia, June 2025</title>" in report_page(Corpus.of([russia]))
    assert _parse(report_page(corpus)).texts[0] == (
        "title",
        "6 proposals by Russia, United States, Ukraine and European states, "
        "June 2024 to November 2025",
    )
    assert "proposals compared issue by issue</h1>" not in report_page(corpus)


def test_headings_captions_and_figures_name_parties_not_ids(page: str, parsed: _Page) -> None:
    headings = [text for tag, text in parsed.texts if tag == "h3" and "Russia" in text]
    assert "United States, measured against Russia" in headings and "Russia" in headings
    captions = [text for tag, text in parsed.texts if tag in {"figcaption", "caption"}]
    assert (
        "Overall gap of each proposal by United States to the latest by Russia on or before its date."
        in captions
    )
    assert "Timeline of United States, measured against Russia: 2 proposals" in captions
    assert not [t for t in headings + captions if re.search(r"\((RU|US|UA)\)|\bof (RU|US)\b", t)]
    figure = page[page.index('id="timeline-US-RU"') :]
    figure = figure[: figure.index("</svg>")]
    assert "Overall gap of United States&#x27;s proposals to Russia&#x27;s" in figure or (
        "Overall gap of United States's proposals to Russia's" in figure
    )


def test_timeline_steps_cite_the_sources_of_both_proposals(corpus: Corpus, page: str) -> None:
    section = page[page.index('<section class="negpos-timeline" id="timeline-RU">') :]
    section = section[: section.index("</section>")]
    assert '<th scope="col">Sources (before → after)</th>' in section
    references = re.findall(r"<li>([^<]*)</li>", section.split('<ol class="negpos-sources">')[1])
    rows = re.findall(r"<tr[^>]*><td>([^<]*)</td><td>[^<]*</td>.*?<td>([^<]*)</td></tr>", section)
    both = [(step, cell) for step, cell in rows if re.fullmatch(r"\[\d+\] → \[\d+\]", cell)]
    assert both, "no step cites both proposals"
    labels = {p.display_label: p for p in corpus}
    for step, cell in both:
        before, after = (labels[label] for label in step.split(" → "))
        first, second = (int(n) for n in re.findall(r"\d+", cell))
        unescaped = [r.replace("&#x27;", "'").replace("&amp;", "&") for r in references]
        assert unescaped[first - 1] in {s.citation() for s in before.sources}
        assert unescaped[second - 1] in {s.citation() for s in after.sources}


def test_a_two_party_corpus_measures_each_timeline_against_the_other_party() -> None:
    north = minimal_data()
    later = minimal_data(id="north-2", label="Northland, later", date="2024-05-01")
    later["territory"][0]["recognition"] = "none"
    south = minimal_data(id="south-1", label="Southland", date="2024-04-01", authors=["S"])
    corpus = Corpus.of([Proposal.model_validate(d) for d in (north, later, south)])
    parsed = _parse(report_page(corpus))
    assert [a["id"] for a in parsed.within("timeline", "section")] == ["timeline-N-S"]
    texts = [text for _, text in parsed.texts]
    assert "Northland, measured against Southland" in texts
    assert (
        "Southland is the only other party in these proposals, so the timeline is measured against it."
        in texts
    )
    assert len(parsed.within("timeline", "svg")) == 1
