"""Notebook pages weigh and read like the site's other pages.

mkdocs-jupyter renders a notebook page with JupyterLab's look: an inlined stylesheet of about
575 KB on every notebook page, scripts from other hosts and a hidden copy of each cell's
code. Here, after it and glightbox have written the page, that is taken out and the code
becomes the site's code blocks; the page's meta description comes from its notebook.
"""
import json
import re

from mkdocs.exceptions import PluginError


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    page.meta["description"] = notebook_description(page)
    return as_site_page(html)


def notebook_description(page) -> str:
    """A notebook page's meta description: `metadata["description"]` of its notebook."""
    metadata = json.loads(page.file.content_string).get("metadata", {})
    if not metadata.get("description"):
        raise PluginError(f"{page.file.src_uri}: its make_notebook() sets no metadata['description'] "
                          "(search results and link previews show it)")
    return metadata["description"]


def as_site_page(notebook_html: str) -> str:
    """mkdocs-jupyter's HTML for a notebook page, made to weigh and read like the site's other
    pages: its inlined JupyterLab stylesheet, its scripts (a clipboard helper, MathJax and
    Mermaid from other hosts) and the hidden copies of each cell's code go; code and outputs
    become Material code blocks (`<pre><code>`), so highlighting, the copy button and both
    colour schemes are the site's; cells stop being keyboard stops (accessible.js makes what
    scrolls sideways focusable). extra.css lays out the few JupyterLab classes left."""
    html = re.sub(r"<style\b[^>]*>.*?</style>", "", notebook_html, flags=re.DOTALL)
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    html = re.sub(r"<!-- (Load mathjax|MathJax configuration|End of \w+ configuration) -->", "", html)
    html = re.sub(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', "", html,
                  flags=re.DOTALL)
    html = re.sub(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', "", html, flags=re.DOTALL)
    html = re.sub(r'<div class="highlight[^"]*"><pre><span></span>(.*?)</pre></div>',
                  r'<div class="highlight"><pre><code>\1</code></pre></div>', html, flags=re.DOTALL)
    html = re.sub(r'(<div class="jp-RenderedText[^>]*>\s*)<pre>(.*?)</pre>', r"\1<pre><code>\2</code></pre>",
                  html, flags=re.DOTALL)
    html = html.replace('class="anchor-link"', 'class="headerlink"')  # Material's "¶", shown on hover
    # An output image is inline data; glightbox's link to it would carry it a second time.
    html = re.sub(r'<a class="glightbox"[^>]*href="data:[^"]*"[^>]*>\s*(<img\b[^>]*>)\s*</a>', r"\1", html)
    return html.replace(' tabindex="0"', "")
