"""Synthetic content in the real format, for benchmarks: `python -m benchmarks.generate N OUT`.

N events with realistic fields (Markdown summaries with links, claims with quotes, figures, several
sources, related events) and registries of actors, places, sources and tags in proportion. The
same N always gives the same files.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

WORDS = (
    "forces city region claim control report statement attack border strike defence ministry governor "
    "village river bridge talks envoy summit missile drone artillery civilians damage officials said "
    "confirmed denied frontline advance withdrawal negotiation deadline sanctions aid shelling"
).split()
STATUSES = ("claimed", "unverified", "disputed", "denied", "confirmed")
SIDES = ("russia", "ukraine", "belarus", "united-states", "nato", "other")


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(count: int, out: Path) -> None:
    rng = random.Random(count)
    content = out / "content"
    (content / "events").mkdir(parents=True, exist_ok=True)
    (content / "pages").mkdir(exist_ok=True)
    actors = [f"actor-{i}" for i in range(max(20, count // 50))]
    places = [f"place-{i}" for i in range(max(10, count // 100))]
    sources = [f"source-{i}" for i in range(max(10, count // 3))]
    tags = [f"tag-{i}" for i in range(20)]
    start = dt.date(2022, 2, 24)
    days = max(30, count // 10)
    episodes = max(2, count // 500)
    span = days // episodes
    (content / "site.yaml").write_text(
        "title: Benchmark timeline\ndescription: Synthetic content for benchmarks.\n"
        "base_url: https://example.org/bench/\nlanguage: en\ntimezone: Europe/Kyiv\n",
        encoding="utf-8",
    )
    with (content / "episodes.yaml").open("w", encoding="utf-8") as f:
        for i in range(episodes):
            first, last = start + dt.timedelta(days=i * span), start + dt.timedelta(days=(i + 1) * span - 1)
            f.write(f"episode-{i}:\n  title: Episode {i}\n  start: {first}\n  end: {last}\n  summary: {sentence(rng, 20)}\n")
    with (content / "actors.yaml").open("w", encoding="utf-8") as f:
        for i, actor in enumerate(actors):
            f.write(f"{actor}:\n  name: Actor {i}\n  kind: person\n  side: {SIDES[i % len(SIDES)]}\n  role: {sentence(rng, 4)}\n")
    with (content / "places.yaml").open("w", encoding="utf-8") as f:
        for i, place in enumerate(places):
            latitude, longitude = 45 + rng.random() * 7, 30 + rng.random() * 10
            f.write(f"{place}:\n  name: Place {i}\n  latitude: {latitude:.4f}\n  longitude: {longitude:.4f}\n")
    with (content / "sources.yaml").open("w", encoding="utf-8") as f:
        for i, source in enumerate(sources):
            published = start + dt.timedelta(days=rng.randrange(days))
            f.write(f"{source}:\n  title: {sentence(rng, 7)}\n  publisher: Publisher {i % 40}\n")
            f.write(f"  published: {published}\n  language: en\n")
            if i % 4 == 3:
                f.write(f"  republishes: source-{i - 1}\n")
            if i % 2:
                f.write(f"  url: https://example.org/articles/{i}\n")
    with (content / "tags.yaml").open("w", encoding="utf-8") as f:
        for i, tag in enumerate(tags):
            f.write(f"{tag}:\n  label: Tag {i}\n  description: {sentence(rng, 6)}\n")
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\nSynthetic content.\n", encoding="utf-8")
    ids = []
    for i in range(count):
        day = start + dt.timedelta(days=min(days - 1, i * days // count))
        ids.append(f"{day}-event-{i}")
    for i, event_id in enumerate(ids):
        stem = event_id[:10]
        cited = sorted(rng.sample(sources, 3))
        who = rng.sample(actors, 2)
        related = sorted({rng.choice(ids) for _ in range(2)} - {event_id})
        link = ids[max(0, i - 1)] if i else ids[-1]
        lines = [
            f"date: {stem}",
            f"title: {sentence(rng, 8)[:-1]}",
            f"tags: [{', '.join(sorted(rng.sample(tags, 2)))}]",
            f"places: [{rng.choice(places)}]",
            f"actors: [{', '.join(who)}]",
            f"importance: {rng.randint(1, 3)}",
            "summary: |",
            f"  {sentence(rng, 25)} See [the previous event](/events/{link}/).",
            f"  {sentence(rng, 20)}",
            "claims:",
            f"  - by: {who[0]}",
            f"    text: {sentence(rng, 12)}",
            f"    status: {rng.choice(STATUSES)}",
            "    sources:",
            f"      - source: {cited[0]}",
            f'        quote: "{sentence(rng, 10)}"',
            f"      - source: {cited[1]}",
            "figures:",
            "  - label: people affected",
            f"    value: {rng.randint(1, 500)}",
            f"    source: {cited[2]}",
            f"sources: [{', '.join(cited)}]",
        ]
        if related:
            lines.append(f"related: [{', '.join(related)}]")
        folder = content / "events" / stem[:4]
        folder.mkdir(exist_ok=True)
        (folder / f"{event_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
