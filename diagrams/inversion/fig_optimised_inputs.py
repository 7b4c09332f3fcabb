"""Inputs optimised until a digits classifier is sure of the target class

Each image is the result of gradient ascent on the logit of the target class with the
trained weights held fixed (the input-optimisation snippet): from a blank image with
pixels kept in the range real images use, from a blank image with no constraint at all,
and from two held-out digits. Every result is classified as the target class with the
confidence the loop stops at.
"""
import inspect

import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from snippets.inversion import input_gradients as gradients


def make_figure() -> Figure:
    target = gradients.target
    defaults = inspect.signature(gradients.optimise_input).parameters
    low, high = defaults["pixel_range"].default
    confidence = defaults["confidence"].default
    assert low <= gradients.x_best.min() and gradients.x_best.max() <= high
    panels = [
        (f"blank start,\npixels in [{low:g}, {high:g}]", gradients.x_best),
        ("blank start,\nno constraint", gradients.x_free),
    ]
    for digit, start in gradients.starts.items():
        panels += [(f"start: a {digit}", start), ("→ optimised", gradients.answers[digit])]
    with torch.no_grad():
        probabilities = [torch.softmax(gradients.model(x), dim=1)[0, target].item() for _, x in panels]
    for (title, _), probability in zip(panels, probabilities):
        assert (probability > confidence) == (not title.startswith("start")), (title, probability)

    largest = max(x.abs().max().item() for _, x in panels)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)  # white is a blank pixel
    figure = Figure(figsize=(10.5, 2.9), layout="constrained")
    axes = figure.subplots(1, len(panels))
    for ax, (title, x), probability in zip(axes, panels, probabilities):
        shown = ax.imshow(x.reshape(8, 8).numpy(), cmap="PuOr_r", norm=norm)
        ax.set_title(f"{title}\np({target}) = {probability:.3f}", fontsize=10.5)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("#bbbbbb")
    figure.colorbar(shown, ax=axes.tolist(), shrink=0.8, label="pixel value")
    return figure
