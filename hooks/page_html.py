"""Small rewrites of every page's HTML, each for the reader: figures that do not make the page
jump, headings that can be cited and keep their old anchors, code in tables that wraps
where it reads well.
"""
import posixpath
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import questions  # noqa: E402  (needs the path above)
from engine.products import narrow_of  # noqa: E402

# Where a figure's narrow layout is served: Material's phone layout (extra.css uses the same breakpoint).
PHONES = "(max-width: 44.9375em)"


def on_page_content(html, page, config, files):
    html = sized_figures(html, page, files)
    html = citable(html, page.file.content_string)
    html = with_anchor_aliases(html)
    return re.sub(r"<td>.*?</td>", breakable_code, html, flags=re.DOTALL)


def sized_figures(html: str, page, files) -> str:
    """Figures carry their width and height, so the page does not jump as they load; a figure
    drawn in a narrow layout too is a <picture> that serves phones that one."""
    figures_seen = 0

    def sized(match: re.Match) -> str:
        nonlocal figures_seen
        # By now src is a URL relative to the page's URL, not to its source file.
        figure = files.get_file_from_path(posixpath.normpath(posixpath.join(page.url, match["src"])))
        if figure is None or not figure.src_uri.startswith("diagrams/"):
            return match.group()
        width, height = figure_size(Path(figure.abs_src_path))
        figures_seen += 1
        # The first figure is often in the first screen, where lazy loading delays the largest
        # paint (Lighthouse flags it); the rest load as the reader scrolls to them.
        loading = "" if figures_seen == 1 else 'loading="lazy" '
        img = (f'{match.group()[:-1].rstrip("/ ")} width="{width}" height="{height}" '
               f'{loading}decoding="async">')
        narrow = files.get_file_from_path(narrow_of(Path(figure.src_uri)).as_posix())
        if narrow is None:
            return img
        # A phone fetches only the layout drawn for it; the others only the wide one.
        narrow_width, narrow_height = figure_size(Path(narrow.abs_src_path))
        narrow_src = narrow_of(Path(match["src"])).as_posix()
        return (f'<picture><source media="{PHONES}" srcset="{narrow_src}" width="{narrow_width}" '
                f'height="{narrow_height}">{img}</picture>')

    return re.sub(r'<img\b[^>]*?\bsrc="(?P<src>[^"]+\.svg)"[^>]*>', sized, html)


def figure_size(svg: Path) -> tuple[int, int]:
    """The SVG's own width and height in CSS pixels (matplotlib writes points)."""
    head = svg.read_text(encoding="utf-8")[:2000]
    width, height = (float(re.search(rf'{side}="([\d.]+)pt"', head)[1]) for side in ("width", "height"))
    return round(width * 4 / 3), round(height * 4 / 3)


def citable(html: str, source: str) -> str:
    """Mark the headings whose id is written in the page (`## Gate order { #gate-order }`):
    ids that never change, so the page offers a copy-citation control beside them."""
    for heading_id in questions.HEADING_ID.findall(source):
        html = re.sub(rf'(<h[2-6] id="{re.escape(heading_id)}")', r"\1 data-citable", html, count=1)
    return html


def with_anchor_aliases(html: str) -> str:
    """A heading written `## New { #new-id data-was="old-id" }` keeps old links working:
    an empty element with the old id sits just before it."""
    def aliased(match: re.Match) -> str:
        spans = "".join(f'<span id="{old}"></span>' for old in match["was"].split())
        return spans + match.group()
    return re.sub(r'<h[2-6] [^>]*data-was="(?P<was>[^"]+)"[^>]*>', aliased, html)


def breakable_code(cell: re.Match) -> str:
    """Code in a table cell may wrap after `_`, `,`, `.`, `(` or `[` (`recurrent_<wbr>kernel`),
    never mid-word: extra.css turns other breaks off, so narrow tables stay readable."""

    def with_breaks(code: re.Match) -> str:
        return re.sub(r"(?<=[_,.(\[])(?=[^\s<])", "<wbr>", code.group())

    return re.sub(r"(?<=<code>)[^<]+(?=</code>)", with_breaks, cell.group())
