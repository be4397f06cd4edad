"""Checking provenance: quotes found in archived copies, hashes, dates, and recording archives.

The fixtures in tests/data/check are small hand-made proposals whose quotes are typed plainly
while the archived copies carry the typography of real sources (curly quotes, dashes, soft
hyphens, words hyphenated at line breaks, capitals, runs of spaces).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from negpos.errors import ProposalFileError
from negpos.files import is_proposal_file, load, load_dir, proposal_files
from negpos.provenance.archive import (
    ArchiveError,
    MissingExtraError,
    add_archive,
    archived_text,
    sha256_of,
)
from negpos.provenance.check import (
    CheckReport,
    Finding,
    FindingKind,
    check_paths,
    check_proposal,
    normalise,
)
from tests.conftest import ROOT, RUSSIA_2025

DATA = Path(__file__).resolve().parent / "data" / "check"
NORTH = DATA / "north.yaml"
SOUTH = DATA / "south.yaml"
QUOTE = "The Hills remain under Northland's control - pending a final settlement."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the fixtures that a test may change."""
    target = tmp_path / "check"
    shutil.copytree(DATA, target)
    return target


def _kinds(report: CheckReport) -> list[FindingKind]:
    return [f.kind for f in report.findings]


def _line_of(path: Path, text: str) -> int:
    """The line of the first line containing ``text``, counted from 1."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _only(report: CheckReport, kind: FindingKind) -> Finding:
    (finding,) = [f for f in report.findings if f.kind is kind]
    return finding


# --- quotes -------------------------------------------------------------------------------


def test_the_exact_quotes_verify_and_the_check_passes() -> None:
    report = check_paths([NORTH])
    verified = [f for f in report.findings if f.kind is FindingKind.QUOTE_VERIFIED]
    assert [f.field for f in verified] == [
        "territory[0].evidence[0].quote",
        "territory[0].control.evidence[0].quote",
        "territory[0].recognition.evidence[0].quote",
        "security[0].memberships.ALLY.evidence[0].quote",
    ]
    assert not report.failed
    assert all(f.severity != "error" for f in report.findings)
    (summary,) = report.summaries
    assert (summary.stances, summary.with_evidence, summary.quotes) == (5, 3, 3)
    assert summary.quotes_verified == 3 and summary.share_verified == pytest.approx(0.6)


def test_a_quote_changed_by_one_word_is_a_near_miss_with_the_closest_passage(
    folder: Path,
) -> None:
    north = folder / "north.yaml"
    text = north.read_text(encoding="utf-8")
    north.write_text(text.replace("Hills remain under", "Hills stay under"), encoding="utf-8")
    report = check_paths([north])
    assert report.failed
    miss = _only(report, FindingKind.QUOTE_NEAR_MISS)
    assert miss.severity == "error"
    assert miss.line == _line_of(north, "Hills stay under")
    assert miss.line_text().startswith(f"{north}:{miss.line}: territory[0].evidence[0].quote: ")
    assert "S1 (archive/offer.txt)" in miss.message
    # the closest passage, in the source's own typography, and its score
    assert "“The Hills remain under Northland’s control — pending a final settlement.”" in (
        miss.message
    )
    score = float(miss.message.split("score ")[1].split(")")[0])
    assert 90 <= score < 100
    # the error is printed even without --verbose; the verified quotes are not
    assert miss.line_text() in report.lines()
    assert not any("quote found" in line for line in report.lines())
    assert any("quote found" in line for line in report.lines(verbose=True))


def test_a_quote_from_elsewhere_is_not_found_and_still_gives_the_best_passage(
    folder: Path,
) -> None:
    north = folder / "north.yaml"
    text = north.read_text(encoding="utf-8")
    north.write_text(
        text.replace("SHALL NOT JOIN THE ALLIANCE", "will host foreign bases"), encoding="utf-8"
    )
    report = check_paths([north])
    missing = _only(report, FindingKind.QUOTE_NOT_FOUND)
    assert report.failed and missing.severity == "error"
    assert missing.field == "security[0].memberships.ALLY.evidence[0].quote"
    assert "closest passage (score " in missing.message


@pytest.mark.parametrize(
    ("archived", "quoted"),
    [
        (
            "the “de facto” control and Northland’s claim",
            'the "de facto" control and Northland\'s claim',
        ),
        ("pending — a settlement – soon", "pending - a settlement - soon"),
        ("a final settle\u00adment", "a final settlement"),
        ("the recog-\nnition of that control", "the recognition of that control"),
        ("the recog\u00ad\nnition of that control", "the recognition of that control"),
        ("and    SHALL NOT\n\n   join", "and shall not join"),
        ("The\u200b Alliance\u00a0joins", "the alliance joins"),
        ("ﬁnal Straße", "final strasse"),
    ],
    ids=[
        "quotes",
        "dashes",
        "soft-hyphen",
        "line-break",
        "soft-line-break",
        "space-case",
        "zero-width",
        "nfkc",
    ],
)
def test_normalising_finds_a_quote_typed_plainly(archived: str, quoted: str) -> None:
    assert normalise(quoted) in normalise(archived)


def test_normalise_keeps_words_apart_and_hyphens_inside_lines() -> None:
    assert normalise("  well-known\tterms \n") == "well-known terms"
    assert normalise("terms—\nfor both") == "terms- for both"  # a dash at a break is no hyphen
    assert normalise("10-\n20") == "10- 20"  # only letters either side make one word


def test_a_quote_of_a_source_without_archive_is_a_warning_once_per_source() -> None:
    report = check_paths([SOUTH])
    warning = _only(report, FindingKind.NO_ARCHIVE)
    assert warning.severity == "warning" and warning.field == "sources[2]"
    assert "R3" in warning.message and "1 quote" in warning.message
    assert not report.failed  # nothing is wrong, it just cannot be checked


# --- archives -----------------------------------------------------------------------------


def test_an_archive_edited_after_its_hash_was_recorded_is_reported(folder: Path) -> None:
    offer = folder / "archive" / "offer.txt"
    recorded = sha256_of(offer)
    offer.write_text(offer.read_text(encoding="utf-8") + "Point 4. Added later.\n", "utf-8")
    report = check_paths([folder / "north.yaml"])
    changed = _only(report, FindingKind.HASH_DIFFERS)
    assert report.failed and changed.severity == "error"
    assert changed.field == "sources[0].sha256"
    assert changed.line == _line_of(folder / "north.yaml", "sha256: f32ecd")
    assert recorded[:12] in changed.message and sha256_of(offer)[:12] in changed.message
    assert recorded not in changed.message  # shortened


def test_a_missing_archive_is_reported_as_missing(folder: Path) -> None:
    (folder / "archive" / "herald.html").unlink()
    report = check_paths([folder / "north.yaml"])
    missing = _only(report, FindingKind.ARCHIVE_MISSING)
    assert report.failed
    assert missing.field == "sources[1].archive"
    assert "archive/herald.html" in missing.message
    assert FindingKind.QUOTE_NOT_FOUND not in _kinds(report)  # not blamed on the quote


def test_html_copies_give_their_visible_text_only() -> None:
    text = archived_text(DATA / "archive" / "herald.html")
    assert "Officials said Northland would keep the Hills under its control." in text
    assert "script words" not in text and "style words" not in text and "color" not in text
    assert "Southland has not yet replied." in text


def _write_pdf(path: Path, lines: list[str]) -> None:
    """A one-page PDF in Helvetica, written by hand (the offsets in its xref are exact)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(pdf))


def test_pdf_copies_give_their_text_and_their_quotes_verify(folder: Path) -> None:
    pdf = folder / "archive" / "offer.pdf"
    _write_pdf(pdf, ["Point 3. Sanctions are to be lifted in sta-", "ges, as the parties agree."])
    assert "Sanctions are to be lifted" in archived_text(pdf)
    south = folder / "south.yaml"
    south.write_text(
        south.read_text(encoding="utf-8").replace("archive/offer.txt", "archive/offer.pdf"),
        encoding="utf-8",
    )
    report = check_paths([south])
    assert _only(report, FindingKind.QUOTE_VERIFIED).field == "sources[0].quote"


def test_an_unknown_kind_of_copy_names_the_file_and_the_kinds_accepted(tmp_path: Path) -> None:
    copy = tmp_path / "offer.docx"
    copy.write_bytes(b"PK")
    with pytest.raises(ArchiveError) as info:
        archived_text(copy)
    (problem,) = info.value.problems
    assert problem.file == str(copy)
    assert ".txt" in problem.message and ".html" in problem.message and ".pdf" in problem.message


def test_a_missing_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)
    with pytest.raises(MissingExtraError, match=r'pip install "negpos\[provenance\]"'):
        archived_text(DATA / "archive" / "herald.html")


# --- dates, evidence, judgements -----------------------------------------------------------


def test_a_source_dated_before_the_proposal_is_flagged(folder: Path) -> None:
    north = folder / "north.yaml"
    text = north.read_text(encoding="utf-8")
    north.write_text(text.replace("date: 2024-03-04", "date: 2024-02-20"), encoding="utf-8")
    report = check_paths([north])
    early = _only(report, FindingKind.SOURCE_BEFORE_PROPOSAL)
    assert early.severity == "warning" and early.field == "sources[1].date"
    assert early.line == _line_of(north, "date: 2024-02-20")
    assert "S2" in early.message and "10 days before" in early.message
    assert not report.failed


def test_a_source_dated_long_after_the_proposal_is_flagged(folder: Path) -> None:
    north = folder / "north.yaml"
    text = north.read_text(encoding="utf-8")
    north.write_text(text.replace("date: 2024-03-04", "date: 2025-06-01"), encoding="utf-8")
    assert FindingKind.SOURCE_LONG_AFTER in _kinds(check_paths([north]))
    assert FindingKind.SOURCE_LONG_AFTER not in _kinds(check_paths([north], long_after_days=1000))


def test_stances_without_evidence_and_inferred_judgements_are_counted() -> None:
    report = check_paths([NORTH, SOUTH])
    no_evidence = [f.field for f in report.findings if f.kind is FindingKind.NO_EVIDENCE]
    assert no_evidence == [
        "security[0].force_cap",
        "issues.sanctions.lifting",
        "territory[0].recognition",
    ]
    inferred = [f.field for f in report.findings if f.kind is FindingKind.INFERRED]
    assert inferred == ["security[0].memberships.ALLY.red_line", "issues.sanctions.lifting.basis"]
    north, south = report.summaries
    assert (north.inferred, south.inferred) == (1, 1)
    assert south.share_inferred == pytest.approx(0.5)
    assert "north-1" in str(north) and "60%" in str(north)


# --- reports ------------------------------------------------------------------------------


def test_a_folder_is_checked_file_by_file_in_file_order() -> None:
    by_folder = check_paths([DATA])
    assert by_folder == check_paths([NORTH, SOUTH])
    files = [f.file for f in by_folder.findings]
    assert files == sorted(files, key=lambda name: name != str(NORTH))
    for name in (str(NORTH), str(SOUTH)):
        lines = [f.line or 0 for f in by_folder.findings if f.file == name]
        assert lines == sorted(lines)
    assert [s.proposal_id for s in by_folder.summaries] == ["north-1", "south-1"]


def test_json_output_is_valid_and_deterministic(folder: Path) -> None:
    north = folder / "north.yaml"
    text = north.read_text(encoding="utf-8")
    north.write_text(text.replace("Hills remain under", "Hills stay under"), encoding="utf-8")
    first = check_paths([folder]).to_json()
    assert first == check_paths([folder]).to_json()
    data = json.loads(first)
    assert data["failed"] is True
    assert [s["proposal_id"] for s in data["summaries"]] == ["north-1", "south-1"]
    record = data["findings"][0]
    assert list(record) == sorted(record)
    assert {"file", "line", "field", "kind", "severity", "message"} <= set(record)
    kinds = {f["kind"] for f in data["findings"]}
    assert "quote_near_miss" in kinds


def test_a_file_that_does_not_load_raises_the_usual_error(folder: Path) -> None:
    broken = folder / "broken.yaml"
    broken.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProposalFileError) as info:
        check_paths([folder])
    assert any(p.file == str(broken) for p in info.value.problems)


def test_a_proposal_checked_without_its_file_has_no_lines(folder: Path) -> None:
    proposal = load(folder / "north.yaml")
    findings, summary = check_proposal(proposal, path=folder / "north.yaml")
    assert findings and all(f.line is not None for f in findings)
    assert summary.quotes_verified == 3
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        findings, _ = check_proposal(proposal, path=None)
    assert findings and all(f.line is None and f.file == "<input>" for f in findings)
    assert FindingKind.QUOTE_VERIFIED in [f.kind for f in findings]  # archives from the cwd


# --- recording an archive -----------------------------------------------------------------


def test_add_archive_records_the_path_and_hash_and_changes_nothing_else(folder: Path) -> None:
    south = folder / "south.yaml"
    copy = folder / "archive" / "wire.txt"
    copy.write_text("Southland will not recognise any change to the Hills.\n", "utf-8")
    before = south.read_text(encoding="utf-8")
    digest = add_archive(south, "R3", copy.resolve())  # an absolute path is stored relative
    assert digest == hashlib.sha256(copy.read_bytes()).hexdigest()
    id_line = "  - id: R3  # the wire report; archived later\n"
    expected = before.replace(
        id_line, f"{id_line}    archive: archive/wire.txt\n    sha256: {digest}\n"
    )
    assert south.read_text(encoding="utf-8") == expected
    source = load(south).source("R3")
    assert source is not None and (source.archive, source.sha256) == ("archive/wire.txt", digest)
    # and the quote it archives now verifies
    assert FindingKind.NO_ARCHIVE not in _kinds(check_paths([south]))
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_add_archive_replaces_the_fields_already_there(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    north = folder / "north.yaml"
    copy = folder / "archive" / "offer-v2.txt"
    copy.write_text("A second copy.\n", encoding="utf-8")
    before = north.read_text(encoding="utf-8")
    monkeypatch.chdir(folder.parent)
    digest = add_archive(north, "S1", Path("check/archive/offer-v2.txt"))
    after = north.read_text(encoding="utf-8")
    assert after == before.replace("archive/offer.txt", "archive/offer-v2.txt").replace(
        "f32ecd9ecc2fe813b92b1900f6020695a65077d34d995470f930388c1f7ba68c", digest
    )


def test_add_archive_keeps_windows_line_endings(folder: Path) -> None:
    south = folder / "south.yaml"
    south.write_bytes(south.read_bytes().replace(b"\n", b"\r\n"))
    add_archive(south, "R3", folder / "archive" / "offer.txt")
    data = south.read_bytes()
    assert b"    archive: archive/offer.txt\r\n    sha256: " in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_add_archive_refuses_a_copy_outside_the_proposals_folder(
    folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("text\n", encoding="utf-8")
    before = (folder / "south.yaml").read_bytes()
    with pytest.raises(ArchiveError, match="outside"):
        add_archive(folder / "south.yaml", "R3", outside)
    with pytest.raises(ArchiveError, match="outside"):
        add_archive(folder / "south.yaml", "R3", folder / "archive" / ".." / ".." / "elsewhere.txt")
    assert (folder / "south.yaml").read_bytes() == before


def test_add_archive_refuses_a_flow_style_source_and_gives_the_values(folder: Path) -> None:
    south = folder / "south.yaml"
    before = south.read_bytes()
    with pytest.raises(ArchiveError) as info:
        add_archive(south, "R2", folder / "archive" / "offer.txt")
    (problem,) = info.value.problems
    assert problem.line == _line_of(south, "{id: R2")
    assert "by hand" in problem.message
    assert "archive: archive/offer.txt" in problem.message
    assert sha256_of(folder / "archive" / "offer.txt") in problem.message
    assert south.read_bytes() == before


def test_add_archive_refuses_json_and_unknown_sources(folder: Path) -> None:
    as_json = folder / "north.json"
    as_json.write_text(json.dumps(load(folder / "north.yaml").model_dump(mode="json")), "utf-8")
    with pytest.raises(ArchiveError, match="by hand"):
        add_archive(as_json, "S1", folder / "archive" / "offer.txt")
    with pytest.raises(ArchiveError, match="no source with id 'S9'"):
        add_archive(folder / "north.yaml", "S9", folder / "archive" / "offer.txt")


def test_a_named_file_that_is_not_a_proposal_file_is_refused(tmp_path: Path) -> None:
    """The same suffix rule as ``load``: a .txt named on the command line is not checked."""
    text = tmp_path / "notes.txt"
    text.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(ProposalFileError) as caught:
        check_paths([text])
    assert [str(p) for p in caught.value.problems] == [
        f"{text}: not a proposal file: expected .yaml, .yml or .json"
    ]


def test_a_codebook_path_is_accepted() -> None:
    report = check_paths(
        [RUSSIA_2025], codebook=str(ROOT / "negpos" / "codebooks" / "default.yaml")
    )
    assert report.summaries


def test_add_archive_syncs_a_temporary_no_corpus_load_reads_as_a_proposal(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edited file is synced before it is renamed over the old one, under a name (``.tmp``)
    that a corpus loaded from the folder in the meantime passes by."""
    south = folder / "south.yaml"
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        temporary = Path(source)
        events.append(f"replace {temporary.name}")
        assert temporary.parent == folder and temporary.name.startswith(".south.yaml.")
        assert temporary.suffix == ".tmp" and not is_proposal_file(temporary)
        assert temporary not in proposal_files(folder)  # a concurrent load never sees it
        assert [p.id for p in load_dir(folder)] == [load(p).id for p in proposal_files(folder)]
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    digest = add_archive(south, "R3", folder / "archive" / "offer.txt")
    assert events[0] == "fsync" and events[1].startswith("replace .south.yaml.")
    source = load(south).source("R3")
    assert source is not None and source.sha256 == digest
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_add_archive_leaves_the_file_as_it_was_when_the_sync_fails(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    south = folder / "south.yaml"
    before = south.read_bytes()

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        add_archive(south, "R3", folder / "archive" / "offer.txt")
    assert south.read_bytes() == before
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_an_edit_that_would_not_load_is_refused_naming_the_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check on the edited text still runs, with problems about the proposal, not the
    temporary file."""
    from negpos.provenance import archive

    south = folder / "south.yaml"
    before = south.read_bytes()
    monkeypatch.setattr(archive, "_edit_source", lambda text, *args: text + "\nid: [oops\n")
    with pytest.raises(ArchiveError) as info:
        add_archive(south, "R3", folder / "archive" / "offer.txt")
    assert info.value.problems
    for problem in info.value.problems:
        assert problem.file == str(south) and problem.message.startswith("after the edit: ")
    assert south.read_bytes() == before
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
