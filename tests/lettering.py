"""How large a figure's lettering is where a reader sees it, in CSS pixels.

A figure is an SVG shown at most as wide as the content column: a phone (390 px) gives it
358 px, a desktop (1280 px) 688 px, and a wider figure shrinks, its lettering with it. The
browser test (tests/test_browser.py) measures the width each figure is shown at and the file
each screen chose; `python -m tests.lettering [SCRIPT...]` draws figure scripts into a
temporary folder and says what a phone and a desktop would show, for whoever draws a figure.
"""
import dataclasses
import re
import sys
import tempfile
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Screen:
    name: str
    viewport: int  # CSS px
    column: int  # how wide a figure may be shown there, CSS px (measured in Chromium)
    smallest: float  # the smallest lettering a reader should not have to tap to read, CSS px


PHONE = Screen("phone", 390, 358, 9)
DESKTOP = Screen("desktop", 1280, 688, 11)
SCREENS = (PHONE, DESKTOP)


def natural_width(svg: str) -> float:
    """The SVG's own width in CSS px (matplotlib writes points)."""
    return float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)[1]) * 4 / 3


def smallest_lettering(svg: str, shown_width: float | None = None) -> float:
    """The smallest font size in `svg`, in CSS px, shown `shown_width` px wide (its own width
    if None)."""
    natural = natural_width(svg)
    view_width = float(re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"', svg)[1])
    sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
    if not sizes:
        raise ValueError("the SVG has no lettering as text")
    return min(sizes) * natural / view_width * (shown_width or natural) / natural


def shown_width(svg: str, screen: Screen) -> float:
    """The width `svg` is shown at on `screen`: its own, or the column's if it is wider."""
    return min(natural_width(svg), screen.column)


def words(svg: str) -> set[str]:
    """What the lettering says, word by word (a narrow layout may break lines elsewhere)."""
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return {word for text in texts for word in re.sub(r"<[^>]+>", " ", text).split()}


def report(scripts: list[Path]) -> int:
    """Draw each script as the engine would and print what each screen shows; 1 if too small."""
    from engine._runner import render_to
    from engine.products import narrow_of

    too_small = 0
    with tempfile.TemporaryDirectory() as folder:
        for script in scripts:
            wide = Path(folder) / f"{script.stem}.svg"
            result = render_to(script.resolve(), wide)
            if result.returncode:
                print(f"{script}: failed\n{result.stderr}")
                too_small += 1
                continue
            narrow = narrow_of(wide)
            served = {PHONE: narrow if narrow.exists() else wide, DESKTOP: wide}
            for screen, path in served.items():
                svg = path.read_text(encoding="utf-8")
                size = smallest_lettering(svg, shown_width(svg, screen))
                verdict = "ok" if size >= screen.smallest else f"TOO SMALL (at least {screen.smallest})"
                too_small += size < screen.smallest
                print(f"{script}: {screen.name}: {path.name}, {natural_width(svg):.0f} px wide, "
                      f"smallest lettering {size:.1f} px: {verdict}")
            if narrow.exists() and words(narrow.read_text()) != words(wide.read_text()):
                print(f"{script}: the narrow layout says other words than the wide one: "
                      f"{sorted(words(narrow.read_text()) ^ words(wide.read_text()))}")
                too_small += 1
    return 1 if too_small else 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    given = [Path(arg) for arg in sys.argv[1:]] or sorted((root / "diagrams").glob("*/fig_*.py"))
    sys.exit(report(given))
