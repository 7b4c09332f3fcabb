"""A coupling flow's forward and inverse maps on two-moons data

The trained flow from the coupling snippet: its forward map sends the data and a square
grid to latent space, where the data look like a standard normal; its inverse sends
normal samples and a latent grid back, and the samples land on the moons.
"""
import torch
from matplotlib.figure import Figure

from snippets.inversion import coupling_flow

DATA_COLOUR, SAMPLE_COLOUR, GRID_COLOUR = "#0072B2", "#D55E00", "#9a9a9a"
LIMIT = 3.2


def grid_lines(low, high, lines=11, points=50):
    """Horizontal and vertical lines of a square grid, each as (points, 2)."""
    values = torch.linspace(low, high, lines)
    along = torch.linspace(low, high, points)
    horizontal = [torch.stack([along, torch.full_like(along, v)], dim=1) for v in values]
    vertical = [torch.stack([torch.full_like(along, v), along], dim=1) for v in values]
    return horizontal + vertical


def draw_lines(ax, lines):
    for line in lines:
        ax.plot(line[:, 0], line[:, 1], color=GRID_COLOUR, linewidth=0.6, zorder=1)


def style(ax, title, x_label, y_label):
    ax.set_title(title)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("equal")


def make_figure() -> Figure:
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

    # The point clouds are embedded as images (rasterized) at this resolution; lines and
    # lettering stay vector. A thousand vector dots per panel would make a heavy file.
    figure = Figure(figsize=(10.5, 3.9), layout="constrained", dpi=150)
    data_ax, latent_ax, back_ax = figure.subplots(1, 3)
    draw_lines(data_ax, data_grid)
    data_ax.scatter(data[:, 0], data[:, 1], s=4, color=DATA_COLOUR, zorder=2, rasterized=True)
    style(data_ax, "data x and a grid", "$x_1$", "$x_2$")

    draw_lines(latent_ax, forward_grid)
    latent_ax.scatter(latent_of_data[:, 0], latent_of_data[:, 1], s=4, color=DATA_COLOUR,
                      zorder=2, rasterized=True)
    style(latent_ax, "forward: z = f(x)", "$z_1$", "$z_2$")

    draw_lines(back_ax, inverse_grid)
    back_ax.scatter(samples[:, 0], samples[:, 1], s=4, color=SAMPLE_COLOUR, zorder=2,
                    label="f⁻¹(z), z ~ N(0, I)", rasterized=True)
    style(back_ax, "inverse: x = f⁻¹(z)", "$x_1$", "$x_2$")
    back_ax.legend(loc="lower right", fontsize=9, markerscale=3)
    return figure
