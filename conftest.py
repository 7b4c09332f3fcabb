"""Sybil runs every ```pycon block of every page as a doctest, in page order.

All blocks of one page share a namespace, so a page reads as one console session. A
failure is reported as docs/<page>.md, line N. Pages' ```python blocks are includes
from snippets/, which tests/test_snippets.py runs.
"""
import doctest

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser

DOCTEST_LANGUAGE = "pycon"
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class ConsoleBlockParser:
    """Each ```pycon fenced block of a page, as doctest examples."""

    def __init__(self):
        self.blocks = CodeBlockParser(language=DOCTEST_LANGUAGE)
        self.examples = DocTestStringParser(DocTestEvaluator(DOCTEST_FLAGS))

    def __call__(self, document):
        for block in self.blocks(document):
            for example in self.examples(block.parsed, document.path):
                example.adjust(block, block.parsed)
                yield example


pytest_collect_file = Sybil(
    parsers=[ConsoleBlockParser()], path="docs", patterns=["*.md"]
).pytest()
