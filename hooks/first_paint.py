"""Pages paint before their scripts run, and carry no markup that draws nothing.

Lighthouse (mobile, `make bench`) showed where the long pages lost their time: scripts that
blocked the first paint (GLightbox's library in <head>, Material's bundle and ours at the end
of <body>) and style and layout work on ~6,000 DOM nodes, a quarter of them spans that change
nothing on screen. Both are mended here, after every plugin has written its part of the page.
"""
import re

from mkdocs.plugins import event_priority

# Pygments wraps every token in a span. Material draws Name (n) and Whitespace (w) tokens in
# the code block's own colour (`.highlight .n { color: var(--md-code-hl-name-color) }`, which is
# `--md-code-fg-color`), so their spans only cost nodes: 1,400 of 5,800 on the LSTM page.
UNCOLOURED_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')

# A script with a src and neither defer nor async stops the parser, and so the first paint.
BLOCKING_SCRIPT = re.compile(r"<script (?![^>]*\b(?:defer|async)\b)(?=[^>]*\bsrc=)")
GLIGHTBOX_LIBRARY = re.compile(r'<script src="[^"]*/glightbox\.min\.js"></script>')
GLIGHTBOX_INIT = re.compile(r'<script id="init-glightbox">(?P<code>.*?)</script>', re.DOTALL)


def on_page_content(html, **_):
    return UNCOLOURED_TOKEN.sub(r"\1", html)


@event_priority(-100)  # last: after mkdocs-glightbox has added its tags
def on_post_page(output, **_):
    """Every script runs deferred, in document order, once the page is parsed and painted."""
    library = GLIGHTBOX_LIBRARY.search(output)
    if library:
        # Out of <head>, and just before the code that calls it. Deferred scripts run before
        # DOMContentLoaded, so the inline set-up (which cannot be deferred) waits for that event.
        output = output.replace(library.group(), "", 1)
        output = GLIGHTBOX_INIT.sub(
            lambda init: f'{library.group()}<script id="init-glightbox">'
                         f'document.addEventListener("DOMContentLoaded", () => {{\n{init["code"]}\n}});</script>',
            output, count=1)
    return BLOCKING_SCRIPT.sub("<script defer ", output)
