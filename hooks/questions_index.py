"""The "Questions this site answers" page, gathered from the questions every page says it answers.

A thin adapter over `engine/questions.py`: the pages in mkdocs.yml's nav order go in, one
generated page (`questions.md`) comes out. Its answers may use facts, so it needs this build's.
"""
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import build_state, facts as engine_facts, questions  # noqa: E402  (needs the path above)


# After hooks/computed.py's (50), which loads the facts; before mkdocs-jupyter's (0), so that
# the documentation pages are still the Markdown ones (it makes the notebooks pages too).
@event_priority(40)
def on_files(files, config):
    in_nav = nav_order(config.nav or [])
    documented = sorted(files.documentation_pages(),
                        key=lambda file: in_nav.index(file.src_uri) if file.src_uri in in_nav else len(in_nav))
    pages = [(file.src_uri, Path(file.abs_src_path).read_text(encoding="utf-8")) for file in documented]
    try:
        index = questions.index_markdown(pages, build_state.FACTS)
    except (ValueError, engine_facts.UnknownFact) as error:
        raise PluginError(f"questions index: {error}") from None
    files.append(File.generated(config, questions.PAGE, content=index))
    return files


def nav_order(nav) -> list[str]:
    """The pages of mkdocs.yml's nav, flattened in reading order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_order(value)]
    return [page for item in nav for page in nav_order(item)]
