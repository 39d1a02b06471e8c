"""`timeline new`: a new event file with every key explained."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from timeline.calendarday import iso_year
from timeline.controls import VALUE_CONTROL, describe_control
from timeline.editor_schema import modeline
from timeline.edtf import EdtfError, parse_edtf
from timeline.safewrite import UnsafePath, write_new

MAX_SLUG_WORDS = 8

EVENT_TEMPLATE = """\
{modeline}
date: {date}
# date_note: Sunday evening     # optional, shown beside the date
title: {title}
# episode: episode-id          # optional when the date falls inside one episode (content/episodes.yaml)
tags: []                       # ids from content/tags.yaml; the first is the event's track in the overview
# places: [place-id]           # ids from content/places.yaml
# actors: [actor-id]           # ids from content/actors.yaml
importance: 2                  # 1 to 3: 3 for the key events
summary: |                     # Markdown, no HTML; link another event as [its title](/events/<its-id>/)
  What happened, in your own words.
# claims:                      # who said what, and how it stands
#   - by: actor-id
#     said_on: {date}
#     text: What was claimed, in your own words.
#     status: claimed          # claimed | unverified | disputed | denied | confirmed
#     status_note: Why it has this status, according to which source.
#     sources:
#       - source: source-id
#         quote: "the actor's own words, verbatim, at most 40 words"
# figures:                     # numbers as reported; the same label from two sources is compared
#   - label: people killed
#     value: 3
#     qualifier: at least
#     source: source-id
sources: []                    # at least one id from content/sources.yaml
# related: [other-event-id]
"""


class ScaffoldError(Exception):
    """A `new` request that cannot be carried out; the message says why."""


# Cyrillic, as the BGN/PCGN tables write Ukrainian and Russian in Latin letters (the names this project's
# sources use); any other script without a Latin spelling leaves the slug to the fallback word.
_CYRILLIC = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщъыьэюяё",
        "a b v h g d e ye zh z y i yi y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya yo".split(" "),
        strict=True,
    )
)
FALLBACK_SLUG = "event"


def slugify(title: str) -> str:
    """Lowercase Latin words joined by hyphens: accents dropped, Cyrillic transliterated."""
    latin = "".join(_CYRILLIC.get(char, char) for char in title.lower())
    ascii_title = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title)
    return "-".join(words[:MAX_SLUG_WORDS])


def _yaml_text(text: str) -> str:
    """The title as a YAML value, quoted only when it must be."""
    plain = re.fullmatch(r"[A-Za-z0-9][^:#\n]*", text) and not text.endswith(" ")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_event(content: Path, title: str, date: str) -> Path:
    """Write a new event file; refuse to overwrite one, or to write through a link."""
    try:
        parsed = parse_edtf(date)
    except EdtfError as exc:
        raise ScaffoldError(f"--date: {exc}") from None
    control = VALUE_CONTROL.search(title) or re.search("[\n\t]", title)
    if control:
        raise ScaffoldError(f"the title contains the control character {describe_control(control.group())}; write it on one line")
    if not title.strip() or not any(char.isalnum() for char in title):
        raise ScaffoldError("the title needs at least one letter or digit")
    slug = slugify(title) or FALLBACK_SLUG
    prefix = str(parsed.start).rstrip("~?%")
    relative = Path("events") / iso_year(parsed.start.year) / f"{prefix}-{slug}.yaml"
    path = content / relative
    text = EVENT_TEMPLATE.format(modeline=modeline(path, content), date=parsed, title=_yaml_text(title.strip()))
    try:
        return write_new(content, relative, text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; choose another title or edit that file") from None
    except UnsafePath as exc:
        raise ScaffoldError(str(exc)) from None
