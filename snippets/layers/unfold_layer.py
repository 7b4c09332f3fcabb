"""A locally connected layer without a mask: it stores only the weights it uses, one row
of kernel_size weights per neuron, applied to windows cut with Tensor.unfold."""
import torch
from torch import nn

torch.manual_seed(0)


# --8<-- [start:layer]
class LocallyConnected1d(nn.Module):
    """out[:, j] = x[:, j:j + kernel_size] @ weight[j] + bias[j], each j."""

    def __init__(self, in_features, kernel_size):
        super().__init__()
        out_features = in_features - kernel_size + 1
        bound = kernel_size ** -0.5  # nn.Linear's initial range
        weight = torch.empty(out_features, kernel_size).uniform_(-bound, bound)
        bias = torch.empty(out_features).uniform_(-bound, bound)
        self.weight, self.bias = nn.Parameter(weight), nn.Parameter(bias)

    def forward(self, x):  # (batch, in_features)
        kernel_size = self.weight.shape[1]
        windows = x.unfold(-1, kernel_size, 1)  # (batch, out_features, kernel)
        return (windows * self.weight).sum(-1) + self.bias
# --8<-- [end:layer]


# --8<-- [start:model]
layer = LocallyConnected1d(in_features=8, kernel_size=3)
unfold_net = nn.Sequential(
    layer, nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 3)
)
x = torch.randn(64, 8)
logits = unfold_net(x)  # (64, 3)
# --8<-- [end:model]
assert logits.shape == (64, 3)
assert layer.weight.shape == (6, 3) and layer.bias.shape == (6,)
first_layer_parameter_count = sum(p.numel() for p in layer.parameters())
parameter_count = sum(p.numel() for p in unfold_net.parameters())
assert (first_layer_parameter_count, parameter_count) == (24, 87)

# --8<-- [start:same_as_masked]
dense_weight = torch.zeros(6, 8)  # the same 18 numbers, placed on the band
for j in range(6):
    dense_weight[j, j:j + 3] = layer.weight[j].detach()
band_mask = torch.ones(6, 8).triu().tril(2)
assert torch.equal(dense_weight != 0, band_mask.bool())
expected = x @ dense_weight.T + layer.bias
torch.testing.assert_close(layer(x), expected, rtol=0, atol=1e-6)
# --8<-- [end:same_as_masked]
windows_shape = tuple(x.unfold(-1, 3, 1).shape)
assert windows_shape == (64, 6, 3)
