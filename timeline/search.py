"""The search index: the words of every event, split into small JSON files that the search page loads on demand.

A browser searching loads the manifest, then for each word of the query the file of the words sharing its first
letter (two letters above ONE_LETTER_KEYS_UP_TO events), then the files of the events it shows. Filters (tag,
actor, side, claim status) are lists of events of their own. No WebAssembly and no eval: it runs under the
site's `script-src 'self'`.

Files, below `search/`:
- `index.json`: how many events, how many per file of events, which word files exist;
- `w/<key>.json`: {word: [event numbers as gaps from the previous one]} for the words starting with `key`;
- `f/<kind>-<value>.json`: the event numbers (as gaps) of one filter value;
- `e/<n>.json`: the events n * EVENTS_PER_FILE and on: [path, title, date, text, names].
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from timeline.eventmemo import remembered
from timeline.markdown import plain_text
from timeline.model import Event, Timeline

EVENTS_PER_FILE = 50
MIN_LETTERS = 2  # shorter words are not indexed
ONE_LETTER_KEYS_UP_TO = 5000  # events: up to this many, words are filed by their first letter (fewer, larger files)
# letters and digits, and the accents of Latin and Cyrillic; and the underscore, which one class (much quicker to
# match than an alternation) cannot leave out
_WORD = re.compile(r"[\w\u0300-\u036f\u0483-\u0489]+")


def normalise(word: str) -> str:
    """A word in lower case without accents, as search.js normalises the query: "Zaporizhzhia" and "zapórizhzhia"
    meet."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The distinct words of a text that the index holds (two characters or more), in the order they first come.
    Accents are taken off each distinct word (after composing the text, so that a letter and its accent stay one
    word), which is quicker than off the whole text."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    tokens = _WORD.findall(text.lower())
    if "_" in text:  # _WORD takes in the underscore, which separates words
        tokens = [part for token in tokens for part in token.split("_")]
    found = dict.fromkeys(w if w.isascii() else normalise(w) for w in dict.fromkeys(tokens))
    return [w for w in found if len(w) >= MIN_LETTERS]


def word_key(word: str, letters: int) -> str:
    """The file a word lives in: its first letters, spelled as code points so any script makes a safe file name."""
    return "-".join(f"{ord(c):x}" for c in word[:letters])


def event_body(event: Event) -> str:
    """The event's own text: summary, claims, quotes, status notes, date note and figure labels."""
    parts = [plain_text(event.summary), event.date_note]
    for claim in event.claims:
        parts += [claim.text, claim.status_note]
        parts += [cs.quote or cs.reported_as for cs in claim.sources]
    parts += [figure.label for figure in event.figures]
    return " ".join(p for p in parts if p)


def event_names(event: Event) -> str:
    """The names on the event: actors, places (with their other spellings), tags and sources."""
    names = [a.name for a in event.all_actors]
    names += [n for p in event.places for n in (p.name, *p.alt_names)]
    names += [t.label for t in event.tags]
    names += [f"{s.publisher}: {s.title}" for s in event.sources]
    return " · ".join(dict.fromkeys(names))


def _gaps(numbers: Iterable[int]) -> list[int]:
    """Sorted numbers as the gaps between them (shorter to write and to send)."""
    out, last = [], 0
    for n in numbers:
        out.append(n - last)
        last = n
    return out


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _indexed(event: Event) -> tuple[list[str], list[str], list[str]]:
    """What the index holds of one event: its words, its filter values (`tag-<id>`, …) and its record."""
    body, names = event_body(event), event_names(event)
    kinds = [f"tag-{t.id}" for t in event.tags] + [f"actor-{a.id}" for a in event.all_actors]
    kinds += [f"side-{side}" for side in event.sides] + [f"status-{status}" for status in event.statuses]
    return words(f"{event.title} {body} {names}"), kinds, [f"events/{event.id}/", event.title, event.date.human(), body, names]


def search_files(timeline: Timeline) -> dict[str, str]:
    """Every file of the search index, by its path below the site root."""
    postings: dict[str, list[int]] = defaultdict(list)
    filters: dict[str, list[int]] = defaultdict(list)
    records = []
    for number, event in enumerate(timeline.events):
        found, kinds, record = remembered("search", timeline, event, _indexed)
        for word in found:
            postings[word].append(number)
        for name in kinds:
            filters[name].append(number)
        records.append(record)
    letters = 1 if len(records) <= ONE_LETTER_KEYS_UP_TO else 2
    by_key: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word in sorted(postings):
        by_key[word_key(word, letters)][word] = _gaps(postings[word])
    files = {f"search/w/{key}.json": _dump(chunk) for key, chunk in by_key.items()}
    files.update({f"search/f/{name}.json": _dump(_gaps(numbers)) for name, numbers in sorted(filters.items())})
    for start in range(0, len(records), EVENTS_PER_FILE):
        files[f"search/e/{start // EVENTS_PER_FILE}.json"] = _dump(records[start : start + EVENTS_PER_FILE])
    manifest = {
        "events": len(records),
        "per_file": EVENTS_PER_FILE,
        "key_letters": letters,
        "words": sorted(by_key),
    }
    files["search/index.json"] = _dump(manifest)
    return files
