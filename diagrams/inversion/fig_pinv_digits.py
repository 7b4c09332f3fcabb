"""What the pseudo-inverse returns for a trained digits classifier

Top: one held-out digit of each class. Middle: pinv(W)·(logit(y) − b) from that digit's
own output y, an input the classifier maps to exactly the same ten outputs. Bottom: the
same formula from the label alone (0.99 for the class, 0.01 for the rest), which the
classifier also maps to exactly that label.
"""
import functools

import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from diagrams.inversion._image_blocks import Block, draw_blocks
from snippets.inversion import digits_pinv

# Per layout: how many digits to an image row (ten on a desktop; on a phone two rows of
# five, so each kind of image stays one block, top to bottom), where the colour bar goes,
# and lettering in pt, >= 11 px on a desktop and >= 9 px on a phone (tests/lettering.py).
LAYOUT = {
    "wide": {"width": 7.0, "columns": 10, "gap": 0.08, "bar": "vertical", "shrink": 0.9,
             "name": 9.5, "title": 9.5, "tick": 8.5, "label": 9},
    "narrow": {"width": 3.6, "columns": 5, "gap": 0.08, "bar": "horizontal", "shrink": 0.9,
               "name": 8.5, "title": 8.5, "tick": 8, "label": 8.5},
}


@functools.cache
def blocks():
    """Each kind of image drawn, ten images a kind, with its name."""
    model, examples = digits_pinv.model, digits_pinv.examples
    originals = digits_pinv.x[examples]
    from_output = digits_pinv.x_pinv[examples]
    from_label = digits_pinv.x_from_label
    with torch.no_grad():
        # The middle row gives the classifier the outputs of the top row; the bottom row,
        # the wanted label. Both are checked here, for exactly the images drawn.
        torch.testing.assert_close(model(from_output), model(originals), atol=1e-10, rtol=0)
        torch.testing.assert_close(model(from_label), digits_pinv.wanted, atol=1e-10, rtol=0)
    assert digits_pinv.labels[digits_pinv.test][examples].tolist() == list(range(10))
    wanted = digits_pinv.wanted
    rows = [originals, from_output, from_label]
    largest = max(row.abs().max().item() for row in rows)
    colouring = {"cmap": "PuOr_r", "norm": TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)}
    return [
        Block("held-out digit x", originals, colouring, [str(d) for d in range(len(originals))]),
        Block("pinv from its output: same output as x", from_output, colouring),
        Block(f"pinv from the label ({wanted.max():.2f} / {wanted.min():.2f})", from_label,
              colouring),
    ]


def make_figure(layout: str) -> Figure:
    drawn = blocks()
    return draw_blocks(drawn, range(len(drawn)), LAYOUT[layout], bar_label="pixel value")
