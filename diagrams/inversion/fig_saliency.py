"""Input gradients of a digits classifier: which pixels move the winning logit

Top: six held-out digits and the class the trained classifier gives each. Middle: the
gradient of that class's logit with respect to every pixel, from torch.autograd (the
saliency snippet, checked there against the chain rule written out by hand). Bottom:
gradient times input, which is zero wherever the pixel is blank.
"""
import functools

import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from diagrams.inversion._image_blocks import Block, draw_blocks
from snippets.inversion import input_gradients

# Per layout: how many digits to an image row (all six on a desktop; on a phone two rows of
# three, so each kind of image stays one block, top to bottom), where the colour bar goes,
# and lettering in pt, >= 11 px on a desktop and >= 9 px on a phone (tests/lettering.py).
LAYOUT = {
    "wide": {"width": 7.0, "columns": 6, "gap": 0.12, "bar": "vertical", "shrink": 0.8,
             "name": 10, "title": 9.5, "tick": 9},
    "narrow": {"width": 3.6, "columns": 3, "gap": 0.25, "bar": "horizontal", "shrink": 0.9,
               "name": 9, "title": 8.5, "tick": 8.5},
}


@functools.cache
def blocks():
    """Each kind of image drawn, one image a digit, with its name and how it is coloured."""
    x = input_gradients.x.detach()
    saliency, predicted = input_gradients.saliency, input_gradients.predicted
    assert saliency.shape == x.shape == (len(predicted), 64)
    with torch.no_grad():
        assert torch.equal(input_gradients.model(x).argmax(dim=1), predicted)
    product = input_gradients.gradient_times_input
    torch.testing.assert_close(product, saliency * x, atol=0, rtol=0)
    largest = saliency.abs().max().item()
    gradient = {"cmap": "PuOr_r", "norm": TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)}
    return [
        Block("input x", x, {"cmap": "Greys", "vmin": 0, "vmax": 1},
              [f"classified {label.item()}" for label in predicted]),
        Block("∂ logit / ∂ x", saliency, gradient),
        Block("gradient × input", product, gradient),
    ]


def make_figure(layout: str) -> Figure:
    # One colour bar, for the two gradient blocks, which share their colours.
    return draw_blocks(blocks(), (1, 2), LAYOUT[layout])
