"""Blocks of small images, laid out by hand: each block's name above it, then its images a
given number to a row, and one colour bar beside (desktop) or below (phone).

Positions are arithmetic on inches, so two renders agree to the last bit. Constrained layout
solved these grids with kiwisolver, whose results for them changed from run to run in the
last digits of a float, and the SVG's clip ids, hashed from those floats, with them.
"""
import dataclasses

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

POINT = 1 / 72  # inches
MARGIN = 0.05  # around the drawing; the renderer crops to what is drawn anyway
BAR = 0.12  # the colour bar's thickness
BAR_ROOM = 0.9  # beside the images for a vertical bar, its ticks and label
BAR_GAP = 0.15  # between the images and the bar
ROW_GAP = 0.08  # between two rows of a block; twice that between blocks


@dataclasses.dataclass(frozen=True)
class Block:
    name: str
    images: object  # a sequence of (64,) tensors, each an 8×8 image
    colouring: dict  # imshow's cmap and norm (or vmin, vmax)
    titles: list | None = None  # one above each image


def draw_blocks(blocks, barred, sizes, bar_label=None) -> Figure:
    """`blocks` top to bottom, with a colour bar for the blocks numbered in `barred`.

    `sizes`: "width" in inches, "columns" (images to a row), "gap" between the images of a
    row in inches, "bar" ("vertical" or "horizontal") and its "shrink", and lettering in pt:
    "name", "title", "tick" and, with `bar_label`, "label".
    """
    columns, gap = sizes["columns"], sizes["gap"]
    vertical = sizes["bar"] == "vertical"
    width = sizes["width"]
    images_width = width - 2 * MARGIN - (BAR_ROOM if vertical else 0)
    side = (images_width - (columns - 1) * gap) / columns
    name_height = 1.6 * sizes["name"] * POINT  # one line and the space under it
    title_height = 1.8 * sizes["title"] * POINT

    # Top to bottom, in inches from the top: where each block's name and images go.
    places, top = [], MARGIN
    for block in blocks:
        rows = -(-len(block.images) // columns)
        row_height = side + (title_height if block.titles else 0)
        name_at, top = top, top + name_height
        cells = []
        for index in range(len(block.images)):
            row, column = divmod(index, columns)
            cells.append((MARGIN + column * (side + gap),
                          top + row * (row_height + ROW_GAP) + row_height - side))
        places.append((name_at, cells))
        top += rows * row_height + (rows + 1) * ROW_GAP
    under_bar = 1.5 * (sizes["tick"] + (sizes["label"] if bar_label else 0)) * POINT
    height = top + (0 if vertical else BAR_GAP + BAR + under_bar) + MARGIN

    figure = Figure(figsize=(width, height))
    for number, (block, (name_at, cells)) in enumerate(zip(blocks, places)):
        figure.text(MARGIN / width, 1 - name_at / height, block.name, fontsize=sizes["name"],
                    ha="left", va="top")
        for index, (image, (x, y)) in enumerate(zip(block.images, cells)):
            ax = figure.add_axes((x / width, 1 - (y + side) / height, side / width,
                                  side / height))
            shown = ax.imshow(image.reshape(8, 8).numpy(), **block.colouring)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(False)
            if block.titles:
                ax.set_title(block.titles[index], fontsize=sizes["title"])
        if number in barred:
            bar_shown = shown

    # The bar runs along the barred blocks' images (vertical) or all the images (horizontal);
    # its rectangle as (left, lower edge from the top, width, height) in inches.
    first, last = places[min(barred)][1], places[max(barred)][1]
    if vertical:
        start, end = first[0][1], last[-1][1] + side
        length = (end - start) * sizes["shrink"]
        rect = (MARGIN + images_width + BAR_GAP, (start + end + length) / 2, BAR, length)
    else:
        length = images_width * sizes["shrink"]
        rect = (MARGIN + (images_width - length) / 2, top + BAR_GAP + BAR, length, BAR)
    left, lower, bar_width, bar_height = rect
    bar_ax = figure.add_axes((left / width, 1 - lower / height, bar_width / width,
                              bar_height / height))
    colour_bar = figure.colorbar(bar_shown, cax=bar_ax, orientation=sizes["bar"])
    # The same ticks however long the bar is drawn (matplotlib picks more for a longer one).
    colour_bar.locator = MaxNLocator(8, steps=[1, 2, 5, 10])
    colour_bar.ax.tick_params(labelsize=sizes["tick"])
    if bar_label:
        colour_bar.set_label(bar_label, fontsize=sizes["label"])
    return figure
