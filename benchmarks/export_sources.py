"""A build hook for build_cost.py, never for the site: writes out every page as MkDocs reads it
once the site's hooks have run (facts filled in; the questions index, notebook pages, figures
and downloads as files), so plain MkDocs can build the same pages with the hooks off."""
import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

EXPORT = Path(os.environ["WEIGHT_ATLAS_EXPORT"])


def write(uri: str, content: bytes) -> None:
    target = EXPORT / uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


@event_priority(-100)  # last: after the site's hooks have added what they generate
def on_files(files, config):
    for file in files:
        if file.src_uri.endswith(".md"):
            continue  # written filled in, below
        if file.src_uri.endswith(".ipynb") and file.abs_src_path is None:
            continue  # a notebook download: as a file in docs/ mkdocs-jupyter would make it a page
        write(file.src_uri, file.content_bytes)


@event_priority(-100)
def on_page_markdown(markdown, page, **_):
    front_matter = f"---\n{yaml.safe_dump(page.meta, allow_unicode=True)}---\n\n" if page.meta else ""
    write(page.file.src_uri, (front_matter + markdown).encode("utf-8"))
