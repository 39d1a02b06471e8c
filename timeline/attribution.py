"""A summary or note that names a publisher must rest on that publisher's article.

"Overtaken the next day (ITV)" says what ITV reported, so the event has to cite an ITV article, or an article
that republishes one; otherwise the statement has no source a reader can follow. The names looked for come
from the `publisher` of every source (see `publisher_names`). A claim source's `reported_as` is not checked:
it says how that (cited) source puts it, even when it credits someone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline.content import RawContent
from timeline.diagnostics import Diagnostics

# Words that do not tell one publisher from another ("ITV News" is named "ITV", "Fox News Digital" "Fox").
_GENERIC = {
    "agency",
    "attributed",
    "by",
    "digital",
    "media",
    "news",
    "of",
    "online",
    "the",
    "to",
    "unattributed",
    "unconfirmed",
    "unknown",
    "via",
    "web",
    "website",
}
_WORD = re.compile(r"[^\W\d_][\w.&'-]*")
_DOMAIN = re.compile(r"^([a-z0-9-]+)\.[a-z]{2,}$", re.IGNORECASE)


def publisher_names(publisher: str) -> list[tuple[str, bool]]:
    """The ways a text may name `publisher`, each with whether it is matched ignoring case.

    The name as written; a web address without its ending ("internewscast.com": "internewscast", any case);
    the one distinctive capitalised word of a longer name ("ITV News": "ITV"; "Unconfirmed (attributed to
    Newsweek)": "Newsweek"). Initials are not looked for: "AP" is also how photographs are credited
    ("Pool Photo via AP"), and a credit is not a statement of what the agency reported.
    """
    names = [(publisher.strip(), False)]
    words = _WORD.findall(publisher)
    for word in words:
        domain = _DOMAIN.match(word)
        if domain:
            names.append((domain.group(1), True))
    distinctive = [w for w in words if w[0].isupper() and w.lower() not in _GENERIC and not _DOMAIN.match(w)]
    if len(distinctive) == 1:
        names.append((distinctive[0], False))
    return [(name, fold) for name, fold in dict.fromkeys(names) if len(name) > 1]


_TOKEN = re.compile(r"\w+(?:[.&-]\w+)*")


def _pattern(name: str) -> str:
    """A regular expression for `name` as whole words, however the lines of its text were broken."""
    return r"(?<![\w.-])" + r"\s+".join(re.escape(part) for part in name.split()) + r"(?![\w-]|\.\w)"


class PublisherIndex:
    """Finds publisher names in text: each match gives the publishers (their `publisher` strings) it names.

    Text is read word by word and names are looked up by their first word, so the time it takes does not
    grow with the number of publishers.
    """

    def __init__(self, sources: dict[str, dict[str, Any]]) -> None:
        self.sources_of: dict[str, list[str]] = {}  # publisher -> ids of its sources
        for source_id, source in sorted(sources.items()):
            if isinstance(source.get("publisher"), str):
                self.sources_of.setdefault(source["publisher"], []).append(source_id)
        named: dict[tuple[tuple[str, ...], bool], set[str]] = {}
        for publisher in self.sources_of:
            for name, fold in publisher_names(publisher):
                words = tuple(w.casefold() if fold else w for w in _TOKEN.findall(name))
                if words:
                    named.setdefault((words, fold), set()).add(publisher)
        # by first word; the longest name wins, so that "Fox News Digital" is one mention, not also "Fox"
        self._by_first: dict[tuple[str, bool], list[tuple[tuple[tuple[str, ...], bool], set[str]]]] = {}
        for (words, fold), publishers in named.items():
            self._by_first.setdefault((words[0], fold), []).append(((words, fold), publishers))
        self._longest = max((len(words) for words, _ in named), default=1)
        self._exact_first = {first for first, fold in self._by_first if not fold}
        self._folded_first = {first for first, fold in self._by_first if fold}

    def mentions(self, text: str) -> Iterator[tuple[int, str, set[str]]]:
        """(offset, the words as written, publishers named) of every mention, in order."""
        words = _TOKEN.findall(text)
        exact, folded = self._exact_first, self._folded_first
        if exact.isdisjoint(words) and folded.isdisjoint(map(str.casefold, words)):
            return  # no word starts a name: most texts are passed over here
        tokens = list(_TOKEN.finditer(text))
        i = 0
        while i < len(tokens):
            word = words[i]
            # most words start no name: tell so without building the window of words ahead
            found = self._match(words[i : i + self._longest]) if word in exact or word.casefold() in folded else None
            if found is None:
                i += 1
                continue
            length, publishers = found
            yield tokens[i].start(), text[tokens[i].start() : tokens[i + length - 1].end()], publishers
            i += length

    def _match(self, ahead: list[str]) -> tuple[int, set[str]] | None:
        """The longest name the words `ahead` start with: (its number of words, its publishers)."""
        folded = [w.casefold() for w in ahead]
        candidates = self._by_first.get((ahead[0], False), []) + self._by_first.get((folded[0], True), [])
        for (words, fold), publishers in sorted(candidates, key=lambda c: -len(c[0][0])):
            if tuple((folded if fold else ahead)[: len(words)]) == words:
                return len(words), publishers
        return None


def cited_publishers(source_ids: list[str], sources: dict[str, dict[str, Any]]) -> set[str]:
    """Publishers of the sources, and of every source those republish, however far back."""
    found: set[str] = set()
    for source_id in source_ids:
        seen: set[str] = set()
        current: Any = source_id
        while isinstance(current, str) and current in sources and current not in seen:
            seen.add(current)
            if isinstance(sources[current].get("publisher"), str):
                found.add(sources[current]["publisher"])
            current = sources[current].get("republishes")
    return found


def _attributed_texts(event: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, text) of every text on the event that states what a source reported."""
    for where in ("summary", "date_note"):
        if isinstance(event.get(where), str):
            yield where, event[where]
    for i, claim in enumerate(event.get("claims", [])):
        if isinstance(claim, dict) and isinstance(claim.get("status_note"), str):
            yield f"claims[{i}].status_note", claim["status_note"]


def publisher_index(raw: RawContent) -> PublisherIndex | None:
    """The index of the publishers of `raw`'s sources; None when there is nothing to check against."""
    sources = raw.registries.get("sources", {})
    if "sources" in raw.unreadable or not sources:
        return None
    return PublisherIndex(sources)


def check_attribution(raw: RawContent, diagnostics: Diagnostics) -> None:
    """Report every summary, date note and status note that names a publisher the event does not cite."""
    index = publisher_index(raw)
    if index is None:
        return
    for event_id, event in raw.events.items():
        check_event_attribution(event, raw.paths[f"events/{event_id}"], raw, index, diagnostics)


def check_event_attribution(
    event: dict[str, Any], path: str, raw: RawContent, index: PublisherIndex, diagnostics: Diagnostics
) -> None:
    """Report the texts of one event (in file `path`) that name a publisher it does not cite."""
    sources = raw.registries.get("sources", {})
    cited: set[str] | None = None  # worked out at the first mention: most texts name no publisher
    for where, text in _attributed_texts(event):
        for offset, written, publishers in index.mentions(text):
            if cited is None:
                cited = cited_publishers([s for s in event.get("sources", []) if isinstance(s, str)], sources)
            if publishers & cited:
                continue
            nth = len(re.findall(_pattern(written), text[:offset])) + 1
            line, column = _locate(raw, path, where, written, nth)
            candidates = sorted(s for p in publishers for s in index.sources_of[p])
            which = candidates[0] if len(candidates) == 1 else "one of " + ", ".join(candidates)
            publisher = " or ".join(f"'{p}'" for p in sorted(publishers))
            as_written = "" if {written} == publishers else f" as '{written}'"
            diagnostics.error(
                path,
                line,
                column,
                f"names the publisher {publisher}{as_written}, but the event cites none of its articles",
                f"add {which} (or an article that republishes it) to the event's `sources` if it reports this; "
                "otherwise do not name it here",
                where,
            )


def _locate(raw: RawContent, path: str, where: str, written: str, nth: int) -> tuple[int, int]:
    """Line and column of the `nth` occurrence of `written` in the field's text, read from the file itself
    (quotes, block scalars and folded lines shift the text from where its value starts)."""
    line, column = raw.position(path, where)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return line, column
    if not 0 < line <= len(lines):
        return line, column
    start = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    pattern = re.compile(_pattern(written))
    body = "\n".join(lines)
    match = None
    for _ in range(nth):
        match = pattern.search(body, match.end() if match else start)
        if match is None:
            return line, column
    assert match is not None
    before = body[: match.start()]
    return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
