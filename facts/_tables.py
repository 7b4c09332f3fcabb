"""Markdown pieces that facts scripts build: tables, inline code, shapes as Python prints them."""


def code(text: str) -> str:
    """Inline code; a value holding a backtick is fenced with two."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def shape_text(shape) -> str:
    """A shape as Python writes a tuple: `(5, 480)`, `(480,)`."""
    return str(tuple(int(size) for size in shape))


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; every row must have the header's width."""
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row {row} has {len(row)} cells, the header {len(header)}")
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
