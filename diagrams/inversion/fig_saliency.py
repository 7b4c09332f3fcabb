"""Input gradients of a digits classifier: which pixels move the winning logit

Top: six held-out digits and the class the trained classifier gives each. Middle: the
gradient of that class's logit with respect to every pixel, from torch.autograd (the
saliency snippet, checked there against the chain rule written out by hand). Bottom:
gradient times input, which is zero wherever the pixel is blank.
"""
import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from snippets.inversion import input_gradients


def make_figure() -> Figure:
    x, saliency, predicted = input_gradients.x.detach(), input_gradients.saliency, input_gradients.predicted
    assert saliency.shape == x.shape == (len(predicted), 64)
    with torch.no_grad():
        assert torch.equal(input_gradients.model(x).argmax(dim=1), predicted)

    product = input_gradients.gradient_times_input
    torch.testing.assert_close(product, saliency * x, atol=0, rtol=0)
    figure = Figure(figsize=(10.5, 5.4), layout="constrained")
    axes = figure.subplots(3, len(x))
    largest = saliency.abs().max().item()
    gradient_norm = TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)
    for column, (image, gradient, times_input, label) in enumerate(zip(x, saliency, product, predicted)):
        top, middle, bottom = axes[:, column]
        top.imshow(image.reshape(8, 8).numpy(), cmap="Greys", vmin=0, vmax=1)
        top.set_title(f"classified {label.item()}")
        shown = middle.imshow(gradient.reshape(8, 8).numpy(), cmap="PuOr_r", norm=gradient_norm)
        bottom.imshow(times_input.reshape(8, 8).numpy(), cmap="PuOr_r", norm=gradient_norm)
        for ax in (top, middle, bottom):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(False)
    axes[0, 0].set_ylabel("input x", fontsize=11)
    axes[1, 0].set_ylabel("∂ logit / ∂ x", fontsize=11)
    axes[2, 0].set_ylabel("gradient × input", fontsize=11)
    figure.colorbar(shown, ax=axes[1:, :].ravel().tolist(), shrink=0.8)
    return figure
