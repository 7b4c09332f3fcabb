"""What the pseudo-inverse returns for a trained digits classifier

Top row: one held-out digit of each class. Middle: pinv(W)·(logit(y) − b) from that digit's
own output y, an input the classifier maps to exactly the same ten outputs. Bottom: the
same formula from the label alone (0.99 for the class, 0.01 for the rest), which the
classifier also maps to exactly that label.
"""
import torch
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from snippets.inversion import digits_pinv



def make_figure() -> Figure:
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

    rows = [originals, from_output, from_label]
    wanted = digits_pinv.wanted
    names = (
        "held-out digit x",
        "pinv from its output:\nsame output as x",
        f"pinv from the label\n({wanted.max():.2f} / {wanted.min():.2f})",
    )
    largest = max(row.abs().max().item() for row in rows)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)
    figure = Figure(figsize=(10.5, 3.4), layout="constrained")
    axes = figure.subplots(len(rows), 10)
    for row_axes, images, name in zip(axes, rows, names):
        for digit, (ax, image) in enumerate(zip(row_axes, images)):
            shown = ax.imshow(image.reshape(8, 8).numpy(), cmap="PuOr_r", norm=norm)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(False)
            if images is originals:
                ax.set_title(str(digit))
        row_axes[0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10.5)
    figure.colorbar(shown, ax=axes, shrink=0.9, label="pixel value")
    return figure
