"""The report corpus: manifest, integrity checks and text normalisation with a line map."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from geo import settings
from geo.errors import ReportError, problems_message

SectionLayout = Literal["clauses", "paragraphs", "headings"]
_REQUIRED_KEYS = ("id", "file", "title_zh", "title_en", "year", "publisher", "kind", "sha256")
#: What a report may be. A plan (``five_year_plan``) is read in the future tense
#: (``geo.extract``); the caption groups progress reports and plans by kind.
REPORT_KINDS: tuple[str, ...] = (
    "progress_report",
    "progress_report_chapter",
    "progress_report_summary",
    "five_year_plan",
)


@dataclass(frozen=True)
class DistrictSection:
    """Where a report profiles the districts, and how its paragraphs are laid out."""

    start_line: int
    end_line: int
    layout: SectionLayout


@dataclass(frozen=True)
class Report:
    """One manifest entry: a source report and its metadata."""

    id: str
    file: str
    path: Path
    title_zh: str
    title_en: str
    year: int
    publisher: str
    kind: str
    sha256: str
    licence: str
    district_section: DistrictSection | None = None


@dataclass
class ReportText:
    """A report's normalised text, each character mapped back to its original line and column.

    ``text`` joins all lines with no separator (names broken by a line wrap become whole),
    folds full-width forms (NFKC) and drops spaces except between two ASCII letters or digits.
    """

    report: Report
    lines: list[str]
    text: str
    line_of: list[int] = field(repr=False)  # 1-based original line per character of text
    col_of: list[int] = field(repr=False)  # 0-based column in that original line

    def line_at(self, pos: int) -> int:
        """Return the 1-based original line of the character at ``pos`` in ``text``."""
        return self.line_of[min(pos, len(self.line_of) - 1)]

    def quote_at(self, pos: int, length: int, max_chars: int = settings.QUOTE_MAX_CHARS) -> str:
        """Return a verbatim quote (at most ``max_chars``) from the original line at ``pos``."""
        line = self.lines[self.line_at(pos) - 1]
        col = self.col_of[min(pos, len(self.col_of) - 1)]
        stripped = line.strip()
        if len(stripped) <= max_chars:
            return stripped
        # Centre the window on the name, then keep it inside the line.
        start = max(0, col - (max_chars - min(length, max_chars)) // 2)
        start = min(start, len(line) - max_chars)
        return line[start : start + max_chars].strip()

    def original_span(self, start: int, end: int) -> str:
        """Return the original (verbatim) text of ``text[start:end]``, its line breaks removed."""
        if end <= start:
            return ""
        first, last = self.line_at(start), self.line_at(end - 1)
        col_a, col_b = self.col_of[start], self.col_of[end - 1] + 1
        if first == last:
            return self.lines[first - 1][col_a:col_b].strip()
        parts = [self.lines[first - 1][col_a:].strip()]
        parts += [ln.strip() for ln in self.lines[first : last - 1]]
        parts.append(self.lines[last - 1][:col_b].strip())
        return "".join(parts)

    def span_lines(self, start: int, end: int) -> tuple[int, int]:
        """Return the first and last original line of ``text[start:end]``."""
        return self.line_at(start), self.line_at(max(start, end - 1))


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def normalise_lines(lines: Sequence[str]) -> tuple[str, list[int], list[int]]:
    """Join and normalise lines; return the text and, per character, its 1-based line and column."""
    chars: list[str] = []
    line_of: list[int] = []
    col_of: list[int] = []
    for lineno, line in enumerate(lines, start=1):
        for col, ch in enumerate(line):
            folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
            for out in folded:
                chars.append(out)
                line_of.append(lineno)
                col_of.append(col)
        # A line break between two ASCII words is a space; elsewhere it is nothing.
        chars.append(" ")
        line_of.append(lineno)
        col_of.append(len(line))
    keep_chars: list[str] = []
    keep_line: list[int] = []
    keep_col: list[int] = []
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch.isspace():
            prev = keep_chars[-1] if keep_chars else ""
            nxt = (
                next((c for c in chars[i + 1 : i + 4] if not c.isspace()), "") if i + 1 < n else ""
            )
            if not (prev and nxt and _is_ascii_alnum(prev) and _is_ascii_alnum(nxt)):
                continue
            if keep_chars and keep_chars[-1] == " ":
                continue
            ch = " "
        keep_chars.append(ch)
        keep_line.append(line_of[i])
        keep_col.append(col_of[i])
    return "".join(keep_chars), keep_line, keep_col


def normalise(text: str) -> str:
    """Normalise a short string the same way report text is normalised (for aliases, queries)."""
    return normalise_lines(text.splitlines() or [""])[0].strip()


def _report_from_entry(entry: dict[str, Any], reports_dir: Path) -> Report:
    section = entry.get("district_section")
    return Report(
        id=str(entry["id"]),
        file=str(entry["file"]),
        path=reports_dir / str(entry["file"]),
        title_zh=str(entry["title_zh"]),
        title_en=str(entry["title_en"]),
        year=int(entry["year"]),
        publisher=str(entry["publisher"]),
        kind=str(entry["kind"]),
        sha256=str(entry["sha256"]).lower(),
        licence=str(entry.get("licence", "public government publication; quoted for reference")),
        district_section=DistrictSection(
            start_line=int(section["start_line"]),
            end_line=int(section["end_line"]),
            layout=section["layout"],
        )
        if section
        else None,
    )


def load_manifest(reports_dir: Path = settings.REPORTS_DIR) -> list[Report]:
    """Read the manifest and check every entry's fields; raise ReportError listing all problems."""
    manifest_path = reports_dir / settings.MANIFEST_FILE
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"report manifest not found: {manifest_path}"
        raise ReportError(msg) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"report manifest {manifest_path} is unreadable: {exc}"
        raise ReportError(msg) from None
    entries = raw.get("reports") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        msg = f"report manifest {manifest_path} has no 'reports' list"
        raise ReportError(msg)
    problems: list[str] = []
    reports: list[Report] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        missing = [k for k in _REQUIRED_KEYS if not isinstance(entry, dict) or k not in entry]
        if missing:
            problems.append(f"entry {i}: missing {', '.join(missing)}")
            continue
        if entry["id"] != Path(str(entry["file"])).stem:
            problems.append(
                f"entry {i}: id {entry['id']!r} must be the file name without extension"
            )
        if entry["id"] in seen:
            problems.append(f"entry {i}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        if entry["kind"] not in REPORT_KINDS:
            problems.append(
                f"entry {i}: kind {entry['kind']!r} is not one of {', '.join(REPORT_KINDS)}"
            )
        section = entry.get("district_section")
        if section is not None and section.get("layout") not in (
            "clauses",
            "paragraphs",
            "headings",
        ):
            problems.append(
                f"entry {i}: district_section.layout must be clauses, paragraphs or headings"
            )
        try:
            reports.append(_report_from_entry(entry, reports_dir))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"entry {i}: {exc!r}")
    if problems:
        raise ReportError(problems_message(f"report manifest {manifest_path} is invalid", problems))
    return reports


def verify_reports(reports: Sequence[Report]) -> None:
    """Check every report file exists, is UTF-8 and matches its sha256; list all failures."""
    problems: list[str] = []
    for r in reports:
        try:
            data = r.path.read_bytes()
        except OSError as exc:
            problems.append(f"{r.id}: cannot read {r.path}: {exc.strerror or exc}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != r.sha256:
            problems.append(
                f"{r.id}: sha256 mismatch for {r.path.name}: manifest {r.sha256}, file {digest}"
            )
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                f"{r.id}: {r.path.name} is not UTF-8 ({exc.reason} at byte {exc.start})"
            )
    if problems:
        raise ReportError(problems_message("report corpus check failed", problems))


def read_report(report: Report) -> ReportText:
    """Read and normalise one (already verified) report."""
    lines = report.path.read_text(encoding="utf-8").splitlines()
    text, line_of, col_of = normalise_lines(lines)
    return ReportText(report=report, lines=lines, text=text, line_of=line_of, col_of=col_of)


def load_corpus(reports_dir: Path = settings.REPORTS_DIR) -> list[ReportText]:
    """Load the manifest, verify every file, and return the normalised reports."""
    reports = load_manifest(reports_dir)
    verify_reports(reports)
    return [read_report(r) for r in reports]


# Writing the manifest (``innovation-map add-report``).

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
#: Report years the manifest accepts (a typo such as 20026 is refused).
YEAR_RANGE: tuple[int, int] = (1990, 2100)


def manifest_entry(
    report_id: str,
    file: str,
    data: bytes,
    *,
    year: int,
    title_zh: str,
    title_en: str,
    publisher: str,
    kind: str,
    source: dict[str, Any],
) -> dict[str, Any]:
    """Return a manifest entry for a report file holding ``data`` (its sha256 computed here).

    ``source`` records where the text came from: the original document, its URL and sha256,
    and what could not be read.
    """
    return {
        "id": report_id,
        "file": file,
        "title_zh": title_zh,
        "title_en": title_en,
        "year": year,
        "publisher": publisher,
        "kind": kind,
        "sha256": hashlib.sha256(data).hexdigest(),
        "licence": "public government publication; quoted for reference",
        "source": source,
    }


def entry_problems(entry: dict[str, Any], existing: Sequence[Report]) -> list[str]:
    """Return every reason ``entry`` cannot join a manifest holding ``existing`` (empty if none)."""
    problems: list[str] = []
    report_id = str(entry.get("id", ""))
    if not _ID_PATTERN.match(report_id):
        problems.append(f"id {report_id!r} must be lower-case ASCII words joined by '_'")
    if report_id in {r.id for r in existing}:
        problems.append(f"id {report_id!r} is already in the manifest")
    if str(entry.get("file", "")) in {r.file for r in existing}:
        problems.append(f"file {entry.get('file')!r} is already in the manifest")
    year = entry.get("year")
    if not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        problems.append(f"year {year!r} must be a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}")
    for key in ("title_zh", "title_en", "publisher", "kind"):
        if not str(entry.get(key, "")).strip():
            problems.append(f"{key} is empty")
    kind = entry.get("kind")
    if kind and kind not in REPORT_KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(REPORT_KINDS)}")
    same_year = [r.id for r in existing if r.year == year and r.kind == kind]
    if same_year:
        problems.append(
            f"a {kind} of {year} is already in the manifest ({', '.join(same_year)}); "
            "check --year and --kind"
        )
    same_text = [r.id for r in existing if r.sha256 == str(entry.get("sha256", "")).lower()]
    if same_text:
        problems.append(f"the same text is already in the manifest as {', '.join(same_text)}")
    return problems


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def add_report_file(reports_dir: Path, entry: dict[str, Any], text: str) -> Path:
    """Write a report's text and append its entry to the manifest; return the text file's path.

    Checks first (the manifest is valid, the entry fits, the file is new, ``text`` matches the
    entry's sha256) and raises ReportError listing every problem, writing nothing.
    """
    existing = load_manifest(reports_dir)
    path = reports_dir / str(entry.get("file", ""))
    problems = entry_problems(entry, existing)
    if path.exists():
        problems.append(f"{path} already exists")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry.get("sha256"):
        problems.append("the entry's sha256 does not match the text")
    if problems:
        raise ReportError(problems_message(f"cannot add report {entry.get('id')!r}", problems))
    manifest_path = reports_dir / settings.MANIFEST_FILE
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw["reports"].append(entry)
    _write_atomically(path, text)
    try:
        _write_atomically(manifest_path, json.dumps(raw, ensure_ascii=False, indent=2) + "\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
