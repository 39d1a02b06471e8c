"""A fresh build of the small fixture site equals the golden copy, byte for byte."""

from pathlib import Path

from tests.golden import GOLDEN, ROOT, build_small, snapshot, write_tree


def test_small_site_matches_golden_copy(tmp_path: Path) -> None:
    actual = build_small(tmp_path / "site")
    expected = snapshot(GOLDEN)
    changed = sorted(name for name in actual.keys() | expected.keys() if actual.get(name) != expected.get(name))
    if changed:
        write_tree({k: v for k, v in actual.items() if k in changed}, ROOT / "tests" / "artifacts" / "golden-changed")
    assert not changed, (
        f"{len(changed)} file(s) differ from tests/golden/site-small (actual copies in tests/artifacts/golden-changed/); "
        f"if the change is intended, run `make golden` and review the diff: {changed[:10]}"
    )
