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
from bisect import insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from timeline.eventmemo import remembered_all
from timeline.markdown import plain_text
from timeline.model import Event, Timeline

FORMAT = 1  # of the kept index (kept_state): a change to the index's files or their making must change this
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


def _indexed(event: Event) -> tuple[list[str], list[str], str]:
    """What the index holds of one event: its words, its filter values (`tag-<id>`, …) and its record (as JSON)."""
    body, names = event_body(event), event_names(event)
    kinds = [f"tag-{t.id}" for t in event.tags] + [f"actor-{a.id}" for a in event.all_actors]
    kinds += [f"side-{side}" for side in event.sides] + [f"status-{status}" for status in event.statuses]
    record = [f"events/{event.id}/", event.title, event.date.human(), body, names]
    return words(f"{event.title} {body} {names}"), kinds, _dump(record)


Piece = tuple[list[str], list[str], str]  # what _indexed gives


@dataclass
class _Index:
    """The last index made, as plain data, to be brought up to date by an edit (see search_files)."""

    shared: str  # Timeline.shared_digest
    events: list[tuple[str, str]]  # (id, file digest) by event number
    pieces: list[Piece]  # by event number
    postings: dict[str, list[int]]  # word -> its events' numbers, in order
    filters: dict[str, list[int]]  # filter value -> its events' numbers, in order
    by_key: dict[str, set[str]]  # word file key -> its words
    files: dict[str, str]


_STATE: dict[str, _Index] = {}


def search_files(timeline: Timeline) -> dict[str, str]:
    """Every file of the search index, by its path below the site root.

    The index of the last call is kept: when the same events (by id, in the same order, among the same shared
    content) come again and some were edited, only their words move and only the files they touch are written
    again. Anything else (an event added, removed or moved, a registry changed) makes it all again."""
    events = [(e.id, e.digest) for e in timeline.events]
    pieces = remembered_all("search", timeline, timeline.events, _indexed)
    index = _STATE.get("index")
    edited = _edited(index, timeline, events, pieces) if index is not None else None
    if index is None or edited is None:
        index = _whole_index(timeline.shared_digest, events, pieces)
        if timeline.shared_digest and all(digest for _, digest in events):  # else it cannot be found again
            _STATE["index"] = index
    else:
        _update(index, edited, pieces)
        index.events = events
    return dict(index.files)


def _edited(index: _Index, timeline: Timeline, events: list[tuple[str, str]], pieces: list[Piece]) -> list[int] | None:
    """The numbers of the events edited since `index` was made, or None when it is not worth bringing it up to
    date or it cannot be: another number of events or shared content, an event moved or without a digest, or
    one that has a filter value twice (which the sets of _moved would lose)."""
    if index.shared != timeline.shared_digest or len(index.events) != len(events):
        return None
    edited = [n for n, (old, new) in enumerate(zip(index.events, events, strict=True)) if old != new]
    if len(edited) > len(events) // 4:
        return None
    for n in edited:
        old, new = index.pieces[n][1], pieces[n][1]
        if not events[n][1] or index.events[n][0] != events[n][0] or len(set(old)) < len(old) or len(set(new)) < len(new):
            return None
    return edited


def _whole_index(shared: str, events: list[tuple[str, str]], pieces: list[Piece]) -> _Index:
    postings: dict[str, list[int]] = defaultdict(list)
    filters: dict[str, list[int]] = defaultdict(list)
    for number, (found, kinds, _) in enumerate(pieces):
        for word in found:
            postings[word].append(number)
        for name in kinds:
            filters[name].append(number)
    letters = _letters(len(pieces))
    by_key: dict[str, set[str]] = defaultdict(set)
    for word in postings:
        by_key[word_key(word, letters)].add(word)
    index = _Index(shared, events, pieces, dict(postings), dict(filters), dict(by_key), {})
    for key in sorted(by_key):
        index.files[_word_file(key)] = _word_text(index, key)
    for name in sorted(filters):
        index.files[_filter_file(name)] = _dump(_gaps(filters[name]))
    for start in range(0, len(pieces), EVENTS_PER_FILE):
        index.files[_events_file(start)] = _events_text(index, start)
    index.files["search/index.json"] = _manifest(index)
    return index


def _update(index: _Index, edited: list[int], pieces: list[Piece]) -> None:
    """Bring `index` up to date with the edited events (by number): their words, filters and records."""
    letters = _letters(len(index.events))
    keys, names, starts = set(), set(), set()
    for number in edited:
        (old_words, old_kinds, _), (found, kinds, _) = index.pieces[number], pieces[number]
        for word in _moved(index.postings, number, old_words, found):
            key = word_key(word, letters)
            keys.add(key)
            if word in index.postings:
                index.by_key.setdefault(key, set()).add(word)
            else:
                index.by_key[key].discard(word)
        names.update(_moved(index.filters, number, old_kinds, kinds))
        starts.add(number - number % EVENTS_PER_FILE)
    index.pieces = pieces
    for key in keys:
        if index.by_key[key]:
            index.files[_word_file(key)] = _word_text(index, key)
        else:
            del index.by_key[key]
            del index.files[_word_file(key)]
    for name in names:
        if name in index.filters:
            index.files[_filter_file(name)] = _dump(_gaps(index.filters[name]))
        else:
            del index.files[_filter_file(name)]
    for start in starts:
        index.files[_events_file(start)] = _events_text(index, start)
    if keys:  # a word file made or gone
        index.files["search/index.json"] = _manifest(index)


def _moved(postings: dict[str, list[int]], number: int, old: list[str], new: list[str]) -> set[str]:
    """Move event `number` from the postings of the words (or filter values) it had to those it has; those moved."""
    was, now = set(old), set(new)
    for name in was - now:
        numbers = postings[name]
        numbers.remove(number)
        if not numbers:
            del postings[name]
    for name in now - was:
        insort(postings.setdefault(name, []), number)
    return was ^ now


def _letters(events: int) -> int:
    return 1 if events <= ONE_LETTER_KEYS_UP_TO else 2


def _word_file(key: str) -> str:
    return f"search/w/{key}.json"


def _filter_file(name: str) -> str:
    return f"search/f/{name}.json"


def _events_file(start: int) -> str:
    return f"search/e/{start // EVENTS_PER_FILE}.json"


def _word_text(index: _Index, key: str) -> str:
    return _dump({word: _gaps(index.postings[word]) for word in sorted(index.by_key[key])})


def _events_text(index: _Index, start: int) -> str:
    return "[" + ",".join(piece[2] for piece in index.pieces[start : start + EVENTS_PER_FILE]) + "]"


def _manifest(index: _Index) -> str:
    return _dump(
        {
            "events": len(index.events),
            "per_file": EVENTS_PER_FILE,
            "key_letters": _letters(len(index.events)),
            "words": sorted(index.by_key),
        }
    )


def kept_state() -> object:
    """The last index made, as picklable plain data for `restore_state` (pickle it before the next build)."""
    return {"format": FORMAT, "index": _STATE.get("index")}


def restore_state(state: object) -> None:
    """Take back an index that `kept_state` gave; anything else keeps none."""
    _STATE.clear()
    if isinstance(state, dict) and state.get("format") == FORMAT and isinstance(state.get("index"), _Index):
        _STATE["index"] = state["index"]
