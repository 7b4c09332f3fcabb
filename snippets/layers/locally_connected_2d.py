"""A locally connected 2-D layer in PyTorch: Conv2d's patches from F.unfold, but a
separate filter bank at every output position."""
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)


# --8<-- [start:layer]
class LocallyConnected2d(nn.Module):
    """nn.Conv2d without weight sharing: weight[l] is the filter bank of output
    position l, (in_channels * kernel_size * kernel_size, out_channels)."""

    def __init__(self, in_channels, out_channels, input_size, kernel_size):
        super().__init__()
        height, width = input_size
        self.kernel_size = kernel_size
        self.output_size = (height - kernel_size + 1, width - kernel_size + 1)
        positions = self.output_size[0] * self.output_size[1]
        patch = in_channels * kernel_size * kernel_size
        bound = patch ** -0.5  # nn.Conv2d's initial range
        weight = torch.empty(positions, patch, out_channels)
        bias = torch.empty(out_channels, *self.output_size)
        self.weight = nn.Parameter(weight.uniform_(-bound, bound))
        self.bias = nn.Parameter(bias.uniform_(-bound, bound))

    def forward(self, x):  # (batch, in_channels, height, width)
        patches = F.unfold(x, self.kernel_size)  # (batch, patch, positions)
        out = torch.einsum("bpl,lpo->bol", patches, self.weight)
        return out.view(x.shape[0], -1, *self.output_size) + self.bias
# --8<-- [end:layer]


# --8<-- [start:layers]
local_2d = LocallyConnected2d(
    in_channels=8, out_channels=5, input_size=(8, 8), kernel_size=3
)
conv_2d = nn.Conv2d(in_channels=8, out_channels=5, kernel_size=3)
images = torch.randn(4, 8, 8, 8)  # (batch, channels, height, width)
shapes = {
    "local": tuple(local_2d(images).shape),
    "conv": tuple(conv_2d(images).shape),
}
counts = {
    "local": sum(p.numel() for p in local_2d.parameters()),
    "conv": sum(p.numel() for p in conv_2d.parameters()),
}
# --8<-- [end:layers]
assert shapes == {"local": (4, 5, 6, 6), "conv": (4, 5, 6, 6)}
assert counts == {"local": 13140, "conv": 365}
assert counts["local"] == 36 * counts["conv"]
assert tuple(local_2d.weight.shape) == (36, 72, 5)
assert tuple(local_2d.bias.shape) == (5, 6, 6)


# --8<-- [start:count]
def local_2d_parameter_count(in_channels, out_channels, height, width,
                             kernel_size):
    output_height = height - kernel_size + 1
    output_width = width - kernel_size + 1
    patch = in_channels * kernel_size * kernel_size
    return output_height * output_width * (patch * out_channels + out_channels)


# (in_channels, out_channels, height, width, kernel_size)
for sizes in [(8, 5, 8, 8, 3), (1, 1, 5, 7, 2), (3, 4, 6, 6, 1),
              (2, 3, 9, 4, 4)]:
    layer = LocallyConnected2d(sizes[0], sizes[1], sizes[2:4], sizes[4])
    count = sum(p.numel() for p in layer.parameters())
    assert count == local_2d_parameter_count(*sizes)
# --8<-- [end:count]

# --8<-- [start:tied]
with torch.no_grad():  # the conv's one filter bank, copied to all 36 positions
    filter_bank = conv_2d.weight.reshape(5, 72).T  # (patch, out_channels)
    local_2d.weight.copy_(filter_bank.expand(36, 72, 5))
    local_2d.bias.copy_(conv_2d.bias.view(5, 1, 1).expand(5, 6, 6))
torch.testing.assert_close(local_2d(images), conv_2d(images), rtol=0, atol=1e-6)
# --8<-- [end:tied]

# --8<-- [start:shift]
torch.manual_seed(1)
local_2d = LocallyConnected2d(
    in_channels=8, out_channels=5, input_size=(8, 8), kernel_size=3
)
shift = 1  # columns to the right; the last column wraps round to the front
shifted = torch.roll(images, shifts=shift, dims=-1)
with torch.no_grad():
    conv_moved = torch.roll(conv_2d(images), shifts=shift, dims=-1)
    conv_same = torch.isclose(conv_2d(shifted), conv_moved, rtol=0, atol=1e-6)
    local_moves = local_2d(shifted)[..., shift:] - local_2d(images)[..., :-shift]
    local_moves = local_moves.abs()
columns_moved = conv_same.all(dim=(0, 1, 2)).tolist()  # per output column
assert columns_moved == [False] * shift + [True] * (6 - shift)  # not at the edge
assert local_moves.max() > 0.1  # the locally connected output does not move
# --8<-- [end:shift]
local_shift_difference = float(local_moves.max())


def largest_change(seed):
    """How far the locally connected output moves from the shifted one, a new start."""
    torch.manual_seed(seed)
    layer = LocallyConnected2d(8, 5, (8, 8), 3)
    with torch.no_grad():
        moves = layer(shifted)[..., shift:] - layer(images)[..., :-shift]
    return float(moves.abs().max())
