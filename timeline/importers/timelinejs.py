"""TimelineJS3: its JSON format and its spreadsheet template (as CSV), read into events, tags and episodes.

Both are read into the same slide shape: a JSON slide's fields, or the template's columns named as in
ConfigFactory.js. A slide's `group` becomes a tag, an era an episode, the title slide names the import
source; `display_date` becomes the event's `date_note`; HTML text becomes Markdown.

Years: TimelineJS shows a negative `year` as that many years BCE (`-44` is "44 BCE": TLDate.js hands the year
to a JavaScript Date, and Language.js `formatDate` writes a negative year as its absolute value with the era
suffix "BCE"), so it counts without a year 0. Its -44 is read as our -0043 (44 BCE), and a year 0 is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline.calendarday import MAX_YEAR, MIN_YEAR, astronomical_year
from timeline.fields import EVENT_ID_PATTERN, ID_PATTERN
from timeline.importers.htmltext import escape_markdown, html_to_markdown, html_to_text
from timeline.importers.jsonpos import JsonDocument, MalformedJson
from timeline.importers.ownexport import ExportedSource, exported_date, read_exported_slide
from timeline.importers.problems import START, Report, Unmappable, Where
from timeline.importers.records import Batch, ImportedEvent, make_id
from timeline.importers.tables import Row, read_table, read_text
from timeline.importers.values import edtf, one_line, parse_int, point_text

# JSON path within a slide -> the template column it comes from
COLUMNS = {
    "start_date.year": "Year",
    "start_date.month": "Month",
    "start_date.day": "Day",
    "start_date.time": "Time",
    "end_date.year": "End Year",
    "end_date.month": "End Month",
    "end_date.day": "End Day",
    "end_date.time": "End Time",
    "display_date": "Display Date",
    "text.headline": "Headline",
    "text.text": "Text",
    "media.url": "Media",
    "media.credit": "Media Credit",
    "media.caption": "Media Caption",
    "media.thumbnail": "Media Thumbnail",
    "type": "Type",
    "group": "Group",
    "background": "Background",
    "media.alt": "Alt Text",
}
_KNOWN_COLUMNS = {*COLUMNS.values(), "Tag"}
ID = re.compile(ID_PATTERN)
EVENT_ID = re.compile(EVENT_ID_PATTERN)
_SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink", "unique_id", "type"}
_NOT_CARRIED = {
    "background": "slide backgrounds are not carried: the site has no per-event backgrounds",
    "media.thumbnail": "media thumbnails are not carried: the summary links to the media itself",
    "media.alt": "media alt text is not carried: the summary links to the media itself",
}


@dataclass
class Slide:
    """One slide from either layout; `get` returns a value by JSON path, `where` its position."""

    get: Callable[[str], Any]
    where: Callable[[str], Where]
    start: Where


def _json_slide(doc: JsonDocument, base: str, value: Any) -> Slide:
    def get(path: str) -> Any:
        current = value
        for part in path.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return current

    return Slide(get, lambda path: doc.where(f"{base}.{path}"), doc.where(base))


def _csv_slide(row: Row) -> Slide:
    def get(path: str) -> Any:
        if path == "group":
            return row.get("Group") or row.get("Tag")
        column = COLUMNS.get(path)
        return (row.get(column) or None) if column else None

    def where(path: str) -> Where:
        column = "Tag" if path == "group" and not row.get("Group") and row.get("Tag") else COLUMNS.get(path, "")
        return row.where(column) if column in row.columns else Where(row.number, 1, column)

    return Slide(get, where, row.start)


def _time(text: Any, where: Where) -> str:
    value = one_line(str(text or ""))
    if value and not all(part.isdigit() for part in value.replace(":", " ").replace(".", " ").split()[:3]):
        raise Unmappable(f"'{value}' is not a time", "write hours and minutes, e.g. 14:30")
    return value


def _point(slide: Slide, which: str) -> tuple[str, str] | None:
    """The date of `start_date` or `end_date` in our subset, and its time of day when one is given."""
    parts = {k: slide.get(f"{which}.{k}") for k in ("year", "month", "day", "hour", "minute")}
    if parts["year"] in (None, ""):
        if any(parts[k] not in (None, "") for k in ("month", "day")):
            raise _At(slide.where(f"{which}.year"), Unmappable("the date has a month or day but no year"))
        return None
    values: dict[str, int | None] = {}
    for key, low, high in (("year", None, None), ("month", 1, 12), ("day", 1, 31), ("hour", 0, 23), ("minute", 0, 59)):
        raw = parts[key]
        try:
            values[key] = None if raw in (None, "") else parse_int(raw, f"the {key}", low, high)
        except Unmappable as problem:
            raise _At(slide.where(f"{which}.{key}"), problem) from None
    if values["year"] == 0:
        hint = "TimelineJS shows -1 as 1 BCE and 1 as 1 CE; write one of them"
        raise _At(slide.where(f"{which}.year"), Unmappable("the year is 0, which TimelineJS's count of years has not", hint))
    try:
        year = astronomical_year(values["year"])  # type: ignore[arg-type]
        text = point_text(year, values["month"], values["day"])
        edtf(text)
    except Unmappable as problem:
        key = "day" if values["day"] and MIN_YEAR <= year <= MAX_YEAR else "year"
        raise _At(slide.where(f"{which}.{key}"), problem) from None
    time = ""
    if values["hour"] is not None:
        time = f"{values['hour']:02d}:{values['minute'] or 0:02d}"
    else:
        try:
            time = _time(slide.get(f"{which}.time"), slide.where(f"{which}.time"))
        except Unmappable as problem:
            raise _At(slide.where(f"{which}.time"), problem) from None
    return text, time


class _At(Exception):
    def __init__(self, where: Where, problem: Unmappable) -> None:
        super().__init__(str(problem))
        self.where, self.problem = where, problem


def _date(slide: Slide) -> tuple[str, str]:
    """The slide's date (a point, or an interval when it has an end) and its date note."""
    start = _point(slide, "start_date")
    if start is None:
        raise _At(slide.where("start_date"), Unmappable("the slide has no start date", "give it at least a year"))
    end = _point(slide, "end_date")
    text = start[0] if end is None or end[0] == start[0] else f"{start[0]}/{end[0]}"
    try:
        edtf(text)
    except Unmappable as problem:
        raise _At(slide.where("end_date"), problem) from None
    note = one_line(str(slide.get("display_date") or slide.get("start_date.display_date") or ""))
    own = exported_date(note, text)
    if own:  # written by our own export: the date's qualifiers, then the date note
        return own
    shown = edtf(text).human()
    if note == shown or note.startswith(shown + ", "):  # the display date repeats the date: only the rest is a note
        note = note[len(shown) + 2 :]
    if not note and start[1]:
        note = start[1] + (f" to {end[1]}" if end and end[1] else "")
    return text, note


def _markdown(slide: Slide, path: str, report: Report, html: str | None = None) -> str:
    text, dropped = html_to_markdown(str(slide.get(path) or "") if html is None else html)
    for item in dropped:
        report.warning(slide.where(path), item, "check the imported summary")
    return text


def _title(slide: Slide, report: Report) -> str:
    title, dropped = html_to_text(str(slide.get("text.headline") or ""))
    for item in dropped:
        report.warning(slide.where("text.headline"), item)
    return title


def _media(slide: Slide, report: Report) -> str:
    """A line for the summary linking the slide's media, which the site cannot show itself."""
    url = one_line(str(slide.get("media.url") or ""))
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")):
        report.warning(slide.where("media.url"), "media that is not a web address is not carried", "link it in the text")
        return ""
    caption = html_to_text(str(slide.get("media.caption") or ""))[0]
    credit = html_to_text(str(slide.get("media.credit") or ""))[0]
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"Media: [{escape_markdown(caption or 'media')}]({target})" + (f" ({escape_markdown(credit)})" if credit else "")


def _event(slide: Slide, index: int, batch: Batch, report: Report) -> None:
    try:
        date, note = _date(slide)
    except _At as at:
        report.unmappable(at.where, at.problem)
        return
    title = _title(slide, report)
    if not title:
        report.error(slide.where("text.headline"), "the slide has no headline; an event needs a title", "write a headline")
        return
    own = read_exported_slide(str(slide.get("text.text") or ""))
    text = _markdown(slide, "text.text", report, own.summary_html if own else None)
    summary = "\n\n".join(part for part in (text, _media(slide, report)) if part)
    for path, why in _NOT_CARRIED.items():
        if slide.get(path):
            report.warning(slide.where(path), why)
    fields: dict[str, Any] = {"date_note": note, "title": title}
    group = one_line(str(slide.get("group") or ""))
    if group:
        description = f"The group '{group}' of the imported timeline."
        fields["tags"] = [batch.add("tags", make_id(group, fallback="group"), {"label": group, "description": description})]
    fields["summary"] = summary or escape_markdown(title)
    fields["sources"] = [_source(s, batch) for s in own.sources] if own and own.sources else [batch.import_source]
    unique = one_line(str(slide.get("unique_id") or ""))
    key = f"id:{unique}" if unique else f"slide:{date}:{title}"
    prefix = str(edtf(date).start).rstrip("~?%") + "-"
    if unique.startswith(prefix) and EVENT_ID.fullmatch(unique):  # already an event id, as our own export writes them
        slug = unique.removeprefix(prefix)
    else:
        slug = make_id(unique or title, fallback=f"slide-{index + 1}")
    batch.add_event(ImportedEvent(key, slug, edtf(date), fields, slide.start))


def _source(source: ExportedSource, batch: Batch) -> str:
    """A source our own export listed on the slide, under its own id."""
    fields = {"title": source.title, "publisher": source.publisher, "published": source.published, "language": batch.language}
    if source.url.lower().startswith(("http://", "https://")):
        fields["url"] = source.url
    if ID.fullmatch(source.republishes):
        fields["republishes"] = source.republishes  # kept only if that source comes in too: see _keep_known_originals
    return batch.add("sources", source.id if ID.fullmatch(source.id) else make_id(source.id, fallback="source"), fields)


def _era(slide: Slide, batch: Batch, report: Report) -> None:
    try:
        start, end = _point(slide, "start_date"), _point(slide, "end_date")
    except _At as at:
        report.unmappable(at.where, at.problem)
        return
    if start is None or end is None:
        which = "start_date" if start is None else "end_date"
        report.error(slide.where(which), f"the era has no {which.replace('_', ' ')}", "an era needs a start and an end")
        return
    title = _title(slide, report)
    if not title:
        report.error(slide.where("text.headline"), "the era has no headline; an episode needs a title", "write a headline")
        return
    if edtf(end[0]).last_day < edtf(start[0]).first_day:
        report.error(slide.where("end_date"), f"the era ends ({end[0]}) before it starts ({start[0]})", "swap the dates")
        return
    summary = _markdown(slide, "text.text", report) or escape_markdown(title)
    fields = {"title": title, "start": start[0], "end": end[0], "summary": summary}
    batch.add("episodes", make_id(title, fallback="era"), fields, slide.start)


def _title_slide(slide: Slide, batch: Batch, report: Report) -> None:
    title = _title(slide, report) or batch.input_name
    note = html_to_text(str(slide.get("text.text") or ""))[0]
    text = f"Imported with `timeline import timelinejs` from {batch.input_name}." + (f" Its title slide: {note}" if note else "")
    batch.add_import_source(title, "TimelineJS timeline", text)


def _read_json(file: Path, batch: Batch, report: Report) -> None:
    text = read_text(file, report)
    if text is None:
        return
    try:
        doc = JsonDocument(text)
    except MalformedJson as exc:
        report.error(exc.where, str(exc), "check the file with a JSON validator")
        return
    root = doc.value
    if not isinstance(root, dict) or not isinstance(root.get("events"), list):
        report.error(
            doc.where("events"), "a TimelineJS file is an object with a list of `events`", "see TimelineJS's JSON format"
        )
        return
    for key in root:
        if key not in ("title", "events", "eras", "scale"):
            report.warning(doc.where(key), f"'{key}' is not part of the TimelineJS format; it is not imported")
    if root.get("scale", "human") != "human":
        report.error(doc.where("scale"), "the cosmological scale is not supported: dates run from the year 1 to 9999")
        return
    title = root.get("title")
    _title_slide(_json_slide(doc, "title", title if isinstance(title, dict) else {}), batch, report)
    for index, slide in enumerate(root["events"]):
        base = f"events[{index}]"
        if not isinstance(slide, dict):
            report.error(doc.where(base), "a slide is an object", "see TimelineJS's JSON format")
            continue
        for key in slide:
            if key not in _SLIDE_KEYS:
                report.warning(doc.where(f"{base}.{key}"), f"'{key}' is not a slide field; it is not imported")
        _event(_json_slide(doc, base, slide), index, batch, report)
    for index, era in enumerate(root.get("eras") or []):
        if isinstance(era, dict):
            _era(_json_slide(doc, f"eras[{index}]", era), batch, report)
    _keep_known_originals(batch)


def _keep_known_originals(batch: Batch) -> None:
    """A source says which source it republishes only when that source is in the project or comes in with it."""
    known = {entry_id for registry, entry_id in batch.entries if registry == "sources"} | set(batch.existing.get("sources", {}))
    for (registry, _), entry in batch.entries.items():
        if registry == "sources" and entry.fields.get("republishes") not in known:
            entry.fields.pop("republishes", None)


def _read_csv(file: Path, batch: Batch, report: Report) -> None:
    table = read_table(file, report)
    if table is None:
        return
    missing = [c for c in ("Year", "Headline") if not table.has(c)]
    for name in missing:
        report.error(Where(1, len(table.header) + 1, name), f"the column '{name}' is missing from the header", _CSV_HINT)
    if missing:
        return
    for index, name in enumerate(table.header, start=1):
        if name and name not in _KNOWN_COLUMNS:
            report.warning(Where(1, index, name), f"'{name}' is not a column of the TimelineJS template; it is not imported")
    title_rows = [row for row in table.rows if row.get("Type").lower() == "title"]
    _title_slide(_csv_slide(title_rows[0]) if title_rows else Slide(lambda p: None, lambda p: START, START), batch, report)
    for index, row in enumerate(table.rows):
        kind = row.get("Type").lower()
        if kind == "era":
            _era(_csv_slide(row), batch, report)
        elif kind not in ("title", ""):
            report.error(
                row.where("Type"),
                f"the type '{row.get('Type')}' is not one TimelineJS knows",
                "leave it empty, or write title or era",
            )
        elif kind == "" or row is not title_rows[0]:
            _event(_csv_slide(row), index, batch, report)


_CSV_HINT = "use the columns of TimelineJS's spreadsheet template: Year, Month, Day, Time, ..., Headline, Text, Media, ..."


def read(file: Path, batch: Batch, report: Report, options: dict[str, str]) -> None:
    """A TimelineJS JSON file, or the spreadsheet template saved as CSV (told apart by the first character)."""
    try:
        head = file.read_bytes()[:64].decode("utf-8-sig", "replace").lstrip()
    except OSError:
        head = ""
    (_read_json if head.startswith(("{", "[")) else _read_csv)(file, batch, report)
