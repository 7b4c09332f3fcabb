"""A page that moved leaves a redirect at its old URL (`extra.redirects` in mkdocs.yml), so
links and citations to it keep working.

Written here rather than with mkdocs-redirects, which now pulls in another MkDocs
distribution and prints a banner on every build.
"""
from mkdocs.structure.files import File


def on_files(files, config):
    for old_url, new_page in config.extra.get("redirects", {}).items():
        files.append(File.generated(config, f"{old_url.strip('/')}/index.html",
                                    content=redirect_page(old_url, new_page)))
    return files


def redirect_page(old_url: str, new_page: str) -> str:
    """A page that sends readers on to where its content now lives, keeping the #anchor."""
    depth = old_url.strip("/").count("/") + 1
    target = "../" * depth + new_page.removesuffix(".md").removesuffix("index") + "/"
    target = target.replace("//", "/")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moved</title>'
        f'<link rel="canonical" href="{target}"><meta http-equiv="refresh" content="0; url={target}">'
        f'<script>location.replace("{target}" + location.hash)</script></head>'
        f'<body><a href="{target}">This page moved here.</a></body></html>'
    )
