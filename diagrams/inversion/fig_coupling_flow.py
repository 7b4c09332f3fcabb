"""A coupling flow's forward and inverse maps on two-moons data

The trained flow from the coupling snippet: its forward map sends the data and a square
grid to latent space, where the data look like a standard normal; its inverse sends
normal samples and a latent grid back, and the samples land on the moons.
"""
import functools

import torch
from matplotlib.figure import Figure

from snippets.inversion import coupling_flow

DATA_COLOUR, SAMPLE_COLOUR, GRID_COLOUR = "#0072B2", "#D55E00", "#9a9a9a"
LIMIT = 3.2
# Per layout: the panels side by side (desktop) or stacked (phone), each sized so its
# smallest lettering, the subscripts of the axis labels (0.7 of their size), reads >= 11 px
# on a desktop and >= 9 px on a phone (tests/lettering.py).
LAYOUT = {
    "wide": {"size": (7.0, 2.8), "grid": (1, 3), "title": 10.5, "label": 12, "tick": 9,
             "legend": 9},
    "narrow": {"size": (3.7, 11.2), "grid": (3, 1), "title": 10.5, "label": 10.5, "tick": 8.5,
               "legend": 8.5},
}


def grid_lines(low, high, lines=11, points=50):
    """Horizontal and vertical lines of a square grid, each as (points, 2)."""
    values = torch.linspace(low, high, lines)
    along = torch.linspace(low, high, points)
    horizontal = [torch.stack([along, torch.full_like(along, v)], dim=1) for v in values]
    vertical = [torch.stack([torch.full_like(along, v), along], dim=1) for v in values]
    return horizontal + vertical


@functools.cache
def maps():
    """The data, the grids and the samples, and where the flow sends them: drawn twice."""
    flow, data = coupling_flow.flow, coupling_flow.data
    data_grid = grid_lines(-2.0, 2.0)
    latent_grid = grid_lines(-2.5, 2.5)
    with torch.no_grad():
        latent_of_data = flow(data)[0]
        forward_grid = [flow(line)[0] for line in data_grid]
        inverse_grid = [flow.inverse(line) for line in latent_grid]
        latent_samples = torch.randn(len(data), 2, generator=torch.Generator().manual_seed(1))
        samples = flow.inverse(latent_samples)
        # What the figure shows is one map and its inverse: each drawn line comes back.
        for line, mapped in zip(data_grid, forward_grid):
            torch.testing.assert_close(flow.inverse(mapped), line, atol=1e-5, rtol=0)
        torch.testing.assert_close(flow(samples)[0], latent_samples, atol=1e-5, rtol=0)
    return data, data_grid, latent_of_data, forward_grid, samples, inverse_grid


def draw_panel(ax, lines, points, colour, sizes, title, x_label, y_label, label=None):
    """One map's grid lines and point cloud on square axes."""
    for line in lines:
        ax.plot(line[:, 0], line[:, 1], color=GRID_COLOUR, linewidth=0.6, zorder=1)
    ax.scatter(points[:, 0], points[:, 1], s=4, color=colour, zorder=2, label=label,
               rasterized=True)
    ax.set_title(title, fontsize=sizes["title"])
    ax.set_xlabel(x_label, fontsize=sizes["label"])
    ax.set_ylabel(y_label, fontsize=sizes["label"])
    ax.tick_params(labelsize=sizes["tick"])
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    # The same ticks in both layouts: left to itself, matplotlib picks fewer for narrow axes.
    ticks = range(-int(LIMIT), int(LIMIT) + 1)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_aspect("equal")


def make_figure(layout: str) -> Figure:
    data, data_grid, latent_of_data, forward_grid, samples, inverse_grid = maps()
    sizes = LAYOUT[layout]
    # The point clouds are embedded as images (rasterized) at this resolution; lines and
    # lettering stay vector. A thousand vector dots per panel would make a heavy file.
    figure = Figure(figsize=sizes["size"], layout="constrained", dpi=150)
    data_ax, latent_ax, back_ax = figure.subplots(*sizes["grid"])
    draw_panel(data_ax, data_grid, data, DATA_COLOUR, sizes, "data x and a grid",
               "$x_1$", "$x_2$")
    draw_panel(latent_ax, forward_grid, latent_of_data, DATA_COLOUR, sizes,
               "forward: z = f(x)", "$z_1$", "$z_2$")
    draw_panel(back_ax, inverse_grid, samples, SAMPLE_COLOUR, sizes, "inverse: x = f⁻¹(z)",
               "$x_1$", "$x_2$", label="f⁻¹(z), z ~ N(0, I)")
    back_ax.legend(loc="lower right", fontsize=sizes["legend"], markerscale=3)
    return figure
