"""Render the math that pymdownx.arithmatex finds as MathML, at build time.

Arithmatex (configured with `generic: true` and empty wraps in mkdocs.yml) leaves each
formula as the escaped LaTeX text of a `<span class="arithmatex">` or
`<div class="arithmatex">`. This tree processor swaps that text for MathML made by
latex2mathml, so pages need no math JavaScript and request nothing from another host.
"""
import html

import latex2mathml.converter
import markdown
from mkdocs.exceptions import PluginError


class MathMLTreeprocessor(markdown.treeprocessors.Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if "arithmatex" not in element.get("class", "").split():
                continue
            latex = html.unescape(element.text or "")
            display = "block" if element.tag == "div" else "inline"
            try:
                math = latex2mathml.converter.convert_to_element(latex, display=display)
            except Exception as error:  # latex2mathml raises many types; name the formula
                raise PluginError(f"cannot render math {latex!r}: {error}") from error
            element.text = None
            element.append(math)


class MathMLExtension(markdown.Extension):
    def extendMarkdown(self, md):
        # Priority 6: after the inline patterns (20) have built the arithmatex elements.
        md.treeprocessors.register(MathMLTreeprocessor(md), "mathml", 6)


def on_config(config):
    config.markdown_extensions.append(MathMLExtension())
    return config
