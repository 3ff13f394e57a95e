"""A report document (.pdf, .docx, .html, .md, .txt) → its text as lines, and what could not be read.

The text keeps the document's own line layout; the build normalises it when it reads it
(:func:`geo.reports.normalise_lines`). Headings become Markdown headings (``## 在建中``), so a
heading that files places under a status works as it does in the Markdown reports. Everything
that was lost (a page without a text layer, glyphs without a Unicode map, pictures, text boxes,
empty headings) is listed in ``unread``; what was reshaped (tables, running heads) in ``notes``.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import ReportError

#: The document formats ``add-report`` accepts, by file suffix.
SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".html", ".htm", ".md", ".txt")
#: Between the cells of a table row written as one line (``|`` ends a place-name candidate).
CELL_SEPARATOR = " | "
#: A PDF line whose characters are this much larger than the body text is a heading.
_HEADING_SIZE_RATIO = 1.15
_HEADING_MAX_CHARS = 60
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*\d{1,4})?[-—–\s]*$")
_CID = re.compile(r"\(cid:\d+\)")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\x0c\x0b"), None)


@dataclass
class DocumentText:
    """A document's text, one string per line, with what could not be read and what was reshaped."""

    lines: list[str]
    format_: str
    pages: int | None = None
    headings: int = 0
    tables: int = 0
    unread: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        """Return the suffix of the file the text is written to: ``.md`` when it has headings."""
        return ".md" if self.format_ == "md" or self.headings else ".txt"


def _tidy(lines: Iterable[str]) -> list[str]:
    """Return lines without invisible characters or trailing spaces, at most one blank in a row."""
    out: list[str] = []
    for raw in lines:
        line = unicodedata.normalize("NFC", raw.translate(_INVISIBLE)).rstrip()
        line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch) != "Cc")
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _decode(data: bytes, doc: DocumentText) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        msg = "the file is neither UTF-8 nor GB18030 text"
        raise ReportError(msg) from None
    doc.notes.append("decoded as GB18030 (the file is not UTF-8)")
    return text


def _missing(package: str, exc: ImportError) -> ReportError:
    return ReportError(f"reading this format needs {package}: pip install {package} ({exc})")


def text_from_txt(path: Path) -> DocumentText:
    """Read a plain-text report (UTF-8, or GB18030 as a fallback)."""
    doc = DocumentText(lines=[], format_="txt")
    doc.lines = _tidy(_decode(path.read_bytes(), doc).splitlines())
    return doc


_MD_PICTURE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def text_from_markdown(path: Path) -> DocumentText:
    """Read a Markdown report as it is; pictures (``![…](…)``) are listed as not read."""
    doc = DocumentText(lines=[], format_="md")
    doc.lines = _tidy(_decode(path.read_bytes(), doc).splitlines())
    for lineno, line in enumerate(doc.lines, start=1):
        if _MD_HEADING.match(line):
            doc.headings += 1
        for m in _MD_PICTURE.finditer(line):
            doc.unread.append(f"line {lineno}: picture {m.group(1)[:40]!r} (any text in it)")
        if line.lstrip().startswith("|") and line.count("|") >= 2:
            doc.tables += 1 if lineno == 1 or "|" not in doc.lines[lineno - 2] else 0
    return doc


_HTML_DROP = ("script", "style", "noscript", "template", "svg")
_HTML_BLOCKS = (
    "p", "div", "section", "article", "header", "footer", "li", "dt", "dd", "blockquote",
    "pre", "caption", "figcaption", "table", "ul", "ol", "dl", "main", "aside", "nav",
)  # fmt: skip


def text_from_html(path: Path) -> DocumentText:
    """Read an HTML report: one line per block, ``#`` headings, one line per table row."""
    try:
        from bs4 import BeautifulSoup
        from bs4.element import NavigableString, Tag
    except ImportError as exc:
        raise _missing("beautifulsoup4", exc) from None
    doc = DocumentText(lines=[], format_="html")
    soup = BeautifulSoup(_decode(path.read_bytes(), doc), "html.parser")
    for tag in soup(list(_HTML_DROP)):
        tag.decompose()
    # Source line wraps are not lines in HTML: collapse whitespace outside <pre> first.
    for s in soup.find_all(string=True):
        if isinstance(s, NavigableString) and not s.find_parent("pre"):
            s.replace_with(re.sub(r"\s+", " ", str(s)))
    for img in soup.find_all("img"):
        alt = str(img.get("alt") or "").strip()
        doc.unread.append(f"picture {alt[:40]!r} (any text in it)" if alt else "a picture")
        img.decompose()
    for table in soup.find_all("table"):
        doc.tables += 1
        for tr in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            tr.replace_with(NavigableString(CELL_SEPARATOR.join(cells) + "\n"))
    for level in range(1, 7):
        for h in soup.find_all(f"h{level}"):
            title = h.get_text(" ", strip=True)
            if not title:
                doc.unread.append(f"an empty h{level} heading (its text may be a picture)")
                h.decompose()
                continue
            doc.headings += 1
            h.replace_with(NavigableString(f"\n{'#' * level} {title}\n"))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for block in soup.find_all(list(_HTML_BLOCKS)):
        if isinstance(block, Tag):
            block.insert_before(NavigableString("\n"))
            block.insert_after(NavigableString("\n"))
    if doc.tables:
        doc.notes.append(f"{doc.tables} table(s) read row by row, cells separated by '|'")
    doc.lines = _tidy(line.strip() for line in soup.get_text().splitlines())
    return doc


_DOCX_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_heading_level(paragraph: Any) -> int:
    name = str(getattr(paragraph.style, "name", "") or "")
    if name.lower() == "title":
        return 1
    m = _DOCX_HEADING.match(name.strip())
    if m:
        return min(int(m.group(1)), 6)
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        level = int(outline.get(f"{_W}val", "9"))
        return level + 1 if level < 6 else 0
    return 0


def text_from_docx(path: Path) -> DocumentText:
    """Read a Word report: paragraphs in order, headings as ``#``, one line per table row."""
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:
        raise _missing("python-docx", exc) from None
    doc = DocumentText(lines=[], format_="docx")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise ReportError(f"{path.name} is not a readable .docx file: {exc}") from None
    lines: list[str] = []
    paragraphs = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            doc.tables += 1
            for row in block.rows:
                seen: list[Any] = []
                cells: list[str] = []
                for cell in row.cells:
                    if seen and cell._tc is seen[-1]:
                        continue  # a merged cell repeats itself
                    seen.append(cell._tc)
                    cells.append(cell.text.replace("\n", ""))
                    if cell.tables:
                        doc.unread.append(f"table {doc.tables}: a table inside a cell")
                lines.append(CELL_SEPARATOR.join(cells))
            lines.append("")
            continue
        element = block._p
        paragraphs += 1
        pictures = len(element.findall(f".//{_W}drawing")) + len(element.findall(f".//{_W}pict"))
        boxes = element.findall(f".//{_W}txbxContent")
        text = block.text
        level = _docx_heading_level(block)
        where = f"paragraph {paragraphs}"
        if level and not text.strip():
            doc.unread.append(f"{where}: an empty heading (its text may be a picture)")
        for box in boxes[:1] if boxes else ():
            snippet = "".join(t.text or "" for t in box.iter(f"{_W}t"))[:30]
            doc.unread.append(f"{where}: a text box ({snippet!r}…)")
        if pictures and not boxes:
            doc.unread.append(f"{where}: {pictures} picture(s) (any text in them)")
        if level and text.strip():
            doc.headings += 1
            lines += ["", f"{'#' * level} {text.strip()}", ""]
        else:
            lines += text.split("\n")
    if doc.tables:
        doc.notes.append(f"{doc.tables} table(s) read row by row, cells separated by '|'")
    doc.lines = _tidy(lines)
    return doc


def _pdf_line_size(line: dict[str, Any]) -> float:
    sizes = [float(c["size"]) for c in line.get("chars", ()) if str(c.get("text", "")).strip()]
    return statistics.median(sizes) if sizes else 0.0


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Return the texts that head or foot most pages (running titles), to be dropped."""
    if len(pages) < 3:
        return set()
    edges = Counter(t for lines in pages for t in {*lines[:1], *lines[-1:]})
    return {t for t, n in edges.items() if n >= max(3, len(pages) // 2)}


def _pdf_table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.extract():
        cells = [(c or "").replace("\n", "") for c in row]
        rows.append(CELL_SEPARATOR.join(cells))
    return rows


def text_from_pdf(path: Path) -> DocumentText:
    """Read a PDF report with pdfplumber: text lines, headings by font size, tables by rows."""
    try:
        import pdfplumber
    except ImportError as exc:
        raise _missing("pdfplumber", exc) from None
    doc = DocumentText(lines=[], format_="pdf")
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises several types for a broken file
        raise ReportError(f"{path.name} is not a readable PDF: {exc}") from None
    # Per page: (top, kind, text, size) items in reading order; headings are decided once the
    # body size of the whole document is known.
    pages: list[list[tuple[str, str, float]]] = []
    with pdf:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                return obj.get("object_type") != "char" or not any(
                    b[0] <= obj["x0"] and obj["x1"] <= b[2] and b[1] <= obj["top"] <= b[3]
                    for b in boxes
                )

            text_page = page.filter(outside) if boxes else page
            items: list[tuple[float, str, str, float]] = []
            for line in text_page.extract_text_lines(return_chars=True):
                items.append((float(line["top"]), "line", str(line["text"]), _pdf_line_size(line)))
            for t in tables:
                doc.tables += 1
                rows = _pdf_table_rows(t)
                if not any(r.replace("|", "").strip() for r in rows):
                    doc.unread.append(f"page {number}: a table with no readable text")
                items += [(float(t.bbox[1]) + i * 1e-3, "row", r, 0.0) for i, r in enumerate(rows)]
            items.sort(key=lambda it: it[0])
            if not items:
                what = "no text layer, only pictures (a scan?)" if page.images else "blank"
                (doc.unread if page.images else doc.notes).append(f"page {number}: {what}")
            elif page.images:
                doc.unread.append(
                    f"page {number}: {len(page.images)} picture(s) (any text in them)"
                )
            undecoded = sum(len(_CID.findall(it[2])) + it[2].count("\ufffd") for it in items)
            if undecoded:
                doc.unread.append(
                    f"page {number}: {undecoded} character(s) without a Unicode map (shown as �)"
                )
            pages.append([(kind, _CID.sub("\ufffd", text), size) for _, kind, text, size in items])
    if doc.tables:
        doc.notes.append(f"{doc.tables} table(s) read row by row, cells separated by '|'")
    return _pdf_lines(pages, doc)


def _pdf_lines(pages: list[list[tuple[str, str, float]]], doc: DocumentText) -> DocumentText:
    """Join the pages' items into lines: headings by size, page numbers and running heads out."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for kind, text, size in page:
            if kind == "line" and size:
                sizes[round(size * 2) / 2] += len(text)  # the body size has the most characters
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    heading_sizes = sorted(
        (s for s in sizes if body and s >= body * _HEADING_SIZE_RATIO), reverse=True
    )
    level_of = {s: min(i + 1, 6) for i, s in enumerate(heading_sizes)}
    running = _running_lines([[t.strip() for k, t, _ in page if k == "line"] for page in pages])
    dropped: Counter[str] = Counter()
    lines: list[str] = []
    for page in pages:
        for i, (kind, text, size) in enumerate(page):
            stripped = text.strip()
            if kind == "line" and i in (0, len(page) - 1):
                what = "page number" if _PAGE_NUMBER.match(stripped) else ""
                what = what or ("running head" if stripped in running else "")
                if what:
                    dropped[what] += 1
                    continue
            level = level_of.get(round(size * 2) / 2, 0) if kind == "line" else 0
            if level and len(stripped) <= _HEADING_MAX_CHARS:
                if not stripped.replace("\ufffd", ""):
                    doc.unread.append(f"a heading whose characters have no Unicode map: {text!r}")
                    continue
                doc.headings += 1
                lines += ["", f"{'#' * level} {stripped}", ""]
            else:
                lines.append(text)
    for what, n in dropped.items():
        doc.notes.append(f"{n} {what} line(s) dropped")
    doc.lines = _tidy(lines)
    return doc


_READERS: dict[str, Callable[[Path], DocumentText]] = {
    ".pdf": text_from_pdf,
    ".docx": text_from_docx,
    ".html": text_from_html,
    ".htm": text_from_html,
    ".md": text_from_markdown,
    ".txt": text_from_txt,
}


def text_from_document(path: Path) -> DocumentText:
    """Read a report document by its suffix; raise ReportError for an unknown or unreadable one."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        msg = f"cannot read {path.name!r}: the suffix must be one of {', '.join(SUFFIXES)}"
        raise ReportError(msg)
    if not path.is_file():
        raise ReportError(f"report document not found: {path}")
    doc = reader(path)
    if not any(line.strip() for line in doc.lines):
        raise ReportError(f"no text could be read from {path.name}: " + "; ".join(doc.unread))
    return doc
