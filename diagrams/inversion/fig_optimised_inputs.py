"""Inputs optimised until a digits classifier is sure of the target class

Each image is the result of gradient ascent on the logit of the target class with the
trained weights held fixed (the input-optimisation snippet): from a blank image with
pixels kept in the range real images use, from a blank image with no constraint at all,
and from two held-out digits. Every result is classified as the target class with the
confidence the loop stops at.
"""
import functools
import inspect

import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from snippets.inversion import input_gradients as gradients

# Per layout: the images in one row (desktop) or two to a row, each start beside its result
# (phone); the colour bar below, as long as its labels need; lettering in pt, >= 11 px on a
# desktop and >= 9 px on a phone where each is shown (tests/lettering.py).
LAYOUT = {
    "wide": {"size": (7.0, 2.75), "columns": 6, "bar": 0.6, "title": 8.5, "tick": 8.5,
             "label": 9},
    "narrow": {"size": (3.6, 6.9), "columns": 2, "bar": 0.9, "title": 8.5, "tick": 8,
               "label": 8.5},
}


@functools.cache
def panels():
    """(title, image, probability of the target) for each image, in reading order."""
    target = gradients.target
    defaults = inspect.signature(gradients.optimise_input).parameters
    low, high = defaults["pixel_range"].default
    confidence = defaults["confidence"].default
    assert low <= gradients.x_best.min() and gradients.x_best.max() <= high
    shown = [
        (f"blank start,\npixels in [{low:g}, {high:g}]", gradients.x_best),
        ("blank start,\nno constraint", gradients.x_free),
    ]
    for digit, start in gradients.starts.items():
        shown += [(f"start: a {digit}", start), ("→ optimised", gradients.answers[digit])]
    with torch.no_grad():
        probabilities = [torch.softmax(gradients.model(x), dim=1)[0, target].item()
                         for _, x in shown]
    for (title, _), probability in zip(shown, probabilities):
        assert (probability > confidence) == (not title.startswith("start")), (title, probability)
    return [(title, x, probability) for (title, x), probability in zip(shown, probabilities)]


def draw_image(ax, title, x, probability, norm, sizes):
    shown = ax.imshow(x.reshape(8, 8).numpy(), cmap="PuOr_r", norm=norm)
    ax.set_title(f"{title}\np({gradients.target}) = {probability:.3f}", fontsize=sizes["title"])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#bbbbbb")
    return shown


def make_figure(layout: str) -> Figure:
    sizes = LAYOUT[layout]
    images = panels()
    largest = max(x.abs().max().item() for _, x, _ in images)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)  # white is a blank pixel
    figure = Figure(figsize=sizes["size"], layout="constrained")
    axes = figure.subplots(len(images) // sizes["columns"], sizes["columns"], squeeze=False)
    for ax, image in zip(axes.flat, images):
        shown = draw_image(ax, *image, norm, sizes)
    colour_bar = figure.colorbar(shown, ax=axes, orientation="horizontal",
                                 shrink=sizes["bar"], aspect=30)
    # The same ticks however long the bar is drawn (matplotlib picks more for a longer one).
    colour_bar.locator = MaxNLocator(8, steps=[1, 2, 5, 10])
    colour_bar.set_label("pixel value", fontsize=sizes["label"])
    colour_bar.ax.tick_params(labelsize=sizes["tick"])
    return figure
