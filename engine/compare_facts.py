"""`python -m engine.compare_facts PINNED NEWEST`: which computed facts differ between two runs.

Each argument is a cache folder (`WEIGHT_ATLAS_CACHE`) that `python -m engine` filled, one
with the pinned libraries and one with the newest releases. A fact that changed is a claim
on the site about to go stale; the scheduled workflow prints this report.
"""
import json
import sys
from pathlib import Path


def latest_facts(cache: Path) -> dict[str, dict]:
    """{"lstm/weights": {...}} from the most recent facts file of each page in a cache."""
    newest = {}
    for path in sorted((cache / "facts").rglob("*.json"), key=lambda p: p.stat().st_mtime):
        name = path.relative_to(cache / "facts").with_suffix("").as_posix().rsplit("-", 1)[0]
        newest[name] = json.loads(path.read_text())
    return newest


def changes(pinned: dict[str, dict], newest: dict[str, dict]) -> list[str]:
    lines = []
    for page in sorted(pinned.keys() | newest.keys()):
        before, after = pinned.get(page, {}), newest.get(page, {})
        for name in sorted(before.keys() | after.keys()):
            if before.get(name) != after.get(name):
                lines.append(f"{page}: {name}: {before.get(name)!r} -> {after.get(name)!r}")
    return lines


def main() -> int:
    pinned, newest = (latest_facts(Path(folder)) for folder in sys.argv[1:3])
    changed = changes(pinned, newest)
    print("\n".join(changed) if changed else "No computed fact changed.")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
