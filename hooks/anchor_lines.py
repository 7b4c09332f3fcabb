"""A link to an anchor that does not exist fails the build, naming the page and line.

MkDocs' own check (`validation: anchors` in mkdocs.yml) fails a strict build too, but its
warning names only the page; this one adds the line in the page's source, so the link can
be found at once. It runs once every page is rendered and all anchors are known.
"""
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import build_state  # noqa: E402  (needs the path above)


def on_env(env, config, files):
    if build_state.PENDING:  # a preview with stand-ins: anchors made from facts are not there yet
        return env
    broken = []
    for file in files.documentation_pages():
        page = file.page
        for target, links in (page.links_to_anchors or {}).items():
            anchors = target.page.present_anchor_ids if target.page else None
            for anchor, link in links.items():
                if anchors is not None and anchor not in anchors:
                    source = file.content_string  # a generated page has no file on disk
                    line = source.count("\n", 0, max(source.find(link), 0)) + 1
                    broken.append(f"docs/{file.src_uri}:{line}: link {link!r}, but "
                                  f"{target.src_uri} has no anchor {anchor!r}")
    if broken:
        raise PluginError("\n".join(broken))
    return env
