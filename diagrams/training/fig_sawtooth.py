"""The effective weight and the training loss along an entry w of a kernel = w mod m layer

Computed from the experiment's first MLP with kernel = w mod m (seed 0) before training:
one entry w of its first layer's kernel is moved while everything else stays put. The
effective weight w mod m climbs with slope 1 and falls back by m at every multiple of m,
so the loss repeats with period |m| and jumps where the effective weight does.
"""
import functools

import numpy as np
from matplotlib.figure import Figure

from snippets.training import mod_experiment
from snippets.training.mod_layers import KernelModDense

PERIODS = 3  # how many periods of m on each side of the initial w

# Per layout: inches, type (pt) and whether the panels are stacked. Wide is at most 688 px,
# a desktop's column, so 10 pt shows as 13 px; narrow fits a phone's 358 px unshrunk.
LAYOUTS = {
    "wide": {"size": (7, 3.3), "text": 10, "title": 11, "stacked": False},
    "narrow": {"size": (3.6, 5.4), "text": 8.5, "title": 9, "stacked": True},
}


@functools.cache  # the engine draws both layouts in one process: compute the loss once
def loss_along_one_weight():
    network = mod_experiment.mlp(KernelModDense, 0)
    layer = network.layers[1]
    assert isinstance(layer, KernelModDense)
    w, m = layer.w.numpy(), layer.m.numpy()
    # The entry whose m is largest among those fed by the busiest pixel: a visible sawtooth.
    pixel = int(np.argmax(mod_experiment.x_train.mean(axis=0)))
    unit = int(np.argmax(np.abs(m[pixel])))
    start, period = float(w[pixel, unit]), float(m[pixel, unit])
    values = start + np.linspace(-PERIODS, PERIODS, 601) * abs(period)
    loss = mod_experiment.keras.losses.SparseCategoricalCrossentropy()
    effective, losses = [], []
    for value in values:
        moved = w.copy()
        moved[pixel, unit] = value
        layer.w.assign(moved)
        effective.append(float(np.asarray(layer.effective()[0])[pixel, unit]))
        losses.append(float(loss(mod_experiment.y_train, network(mod_experiment.x_train))))
    layer.w.assign(w)
    effective = np.array(effective)
    np.testing.assert_allclose(effective, values - period * np.floor(values / period), atol=1e-6)
    assert np.all((effective >= 0) == (period > 0))  # the sign of m, whatever w is
    return values, effective, np.array(losses), start, period


def draw_along(ax, values, series, effective, multiples, start, period, colour, look):
    """`series` against w: a line broken where w mod m jumps, grey multiples of m, the initial
    w dashed."""
    jumps = np.flatnonzero(np.abs(np.diff(effective)) > abs(period) / 2)
    for piece in np.split(np.arange(len(values)), jumps + 1):  # no line across a jump
        ax.plot(values[piece], series[piece], color=colour, linewidth=1.6)
    for multiple in multiples:
        ax.axvline(multiple * period, color="#bbbbbb", linewidth=0.8, zorder=0)
    ax.axvline(start, color="#1a1a1a", linewidth=1, linestyle="--")
    ax.tick_params(labelsize=look["text"])


def make_figure(layout: str) -> Figure:
    values, effective, losses, start, period = loss_along_one_weight()
    multiples = np.arange(np.ceil(values[0] / period), np.floor(values[-1] / period) + 1)
    assert len(multiples) >= 2 * PERIODS - 1
    look = LAYOUTS[layout]
    text = look["text"]
    figure = Figure(figsize=look["size"], layout="constrained")
    weight_ax, loss_ax = figure.subplots(*((2, 1) if look["stacked"] else (1, 2)), sharex=True)
    for ax, series, colour, label in (
        (weight_ax, effective, "#0072B2", "effective weight w mod m"),
        (loss_ax, losses, "#D55E00", "training loss"),
    ):
        draw_along(ax, values, series, effective, multiples, start, period, colour, look)
        ax.set_ylabel(label, fontsize=text)
    # Stacked, the panels share one x axis, named under the lower one.
    for ax in (loss_ax,) if look["stacked"] else (weight_ax, loss_ax):
        ax.set_xlabel(f"w (m = {period:.3f}; grey: multiples of m)", fontsize=text)
    weight_ax.set_title("w mod m: slope 1, then a jump by m", fontsize=look["title"])
    loss_ax.set_title("the loss along w: a sawtooth", fontsize=look["title"])
    loss_ax.ticklabel_format(axis="y", useOffset=False)
    # Upright, just right of the dashed line, where the tooth through the initial w is
    # still low: written across, the teeth would run through it.
    weight_ax.annotate("initial w", (start, effective.max()), xytext=(2, 0),
                       textcoords="offset points", rotation=90, fontsize=text, va="top",
                       ha="left")
    return figure
