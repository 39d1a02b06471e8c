"""What this project's own TimelineJS export (timeline/exports/timelinejs.py) writes beyond what TimelineJS reads,
read back so that exporting a timeline and importing it again gives the same events, dates, titles and sources.

The export marks the parts of a slide's text by class (`tl-summary`, `tl-claims`, `tl-sources`, `tl-page`); each
source is an `<li>` with `data-id`, `data-published` (EDTF) and `data-republishes`, its title in `<cite>`, its publisher in
`.tl-publisher`. A qualified date is written as `about 25 June 2022 (2022-06-25~)` in `display_date`. Any other
TimelineJS file has none of these and is read as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from timeline.edtf import EdtfError, parse_edtf

PARTS = ("tl-summary", "tl-claims", "tl-sources", "tl-page")


@dataclass
class ExportedSource:
    id: str
    published: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    republishes: str = ""


@dataclass
class ExportedSlide:
    summary_html: str
    sources: list[ExportedSource] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        starts = [0]
        for line in text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        self._offsets = starts
        self.depth = 0
        self.part: tuple[str, int, int] | None = None  # name, depth, offset where its content starts
        self.spans: dict[str, tuple[int, int]] = {}
        self.sources: list[ExportedSource] = []
        self.field: str | None = None  # which text of the current source is being read

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._offsets[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.depth += 1
        classes = attributes.get("class", "").split()
        part = next((c for c in classes if c in PARTS), None)
        if part and self.part is None:
            self.part = (part, self.depth, self._offset() + len(self.get_starttag_text() or ""))
        if self.part and self.part[0] == "tl-sources":
            if tag == "li" and "data-id" in attributes:
                published, republishes = attributes.get("data-published", ""), attributes.get("data-republishes", "")
                self.sources.append(ExportedSource(attributes["data-id"], published, republishes=republishes))
            elif self.sources and tag == "a":
                self.sources[-1].url = attributes.get("href", "")
            elif self.sources and tag == "cite":
                self.field = "title"
            elif self.sources and "tl-publisher" in classes:
                self.field = "publisher"

    def handle_endtag(self, tag: str) -> None:
        if self.part and self.depth == self.part[1]:
            self.spans[self.part[0]] = (self.part[2], self._offset())
            self.part = None
        if tag in ("cite", "span"):
            self.field = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.field and self.sources:
            source = self.sources[-1]
            setattr(source, self.field, getattr(source, self.field) + data)


def read_exported_slide(text: str) -> ExportedSlide | None:
    """The summary and sources of a slide this project exported, or None for any other slide."""
    reader = _Reader(text)
    reader.feed(text)
    reader.close()
    if "tl-summary" not in reader.spans or "tl-sources" not in reader.spans:
        return None
    start, end = reader.spans["tl-summary"]
    sources = [s for s in reader.sources if s.id and s.title and s.publisher and _is_date(s.published)]
    return ExportedSlide(text[start:end], sources)


_QUALIFIED = re.compile(r"^(?P<label>.*?) \((?P<edtf>-?[0-9][0-9X/~?%-]*)\)(?:, (?P<note>.*))?$", re.DOTALL)


def exported_date(display_date: str, plain: str) -> tuple[str, str] | None:
    """(the date with its qualifiers, the rest of the note) when `display_date` carries the EDTF string of a date
    whose plain form the slide's date objects give; None otherwise."""
    match = _QUALIFIED.match(display_date)
    if match is None or not _is_date(match["edtf"]):
        return None
    if re.sub(r"[~?%]", "", match["edtf"]) != plain:
        return None
    return match["edtf"], match["note"] or ""


def _is_date(text: str) -> bool:
    try:
        parse_edtf(text)
    except EdtfError:
        return False
    return True
