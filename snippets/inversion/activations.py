"""Which activations have an inverse: tanh, sigmoid and leaky ReLU do; ReLU does not."""
import torch

z = torch.linspace(-4, 4, 81, dtype=torch.float64)

# --8<-- [start:bijective]
torch.testing.assert_close(torch.atanh(torch.tanh(z)), z, atol=1e-12, rtol=0)
torch.testing.assert_close(torch.logit(torch.sigmoid(z)), z, atol=1e-12, rtol=0)
leaky = torch.nn.functional.leaky_relu(z, negative_slope=0.1)
leaky_inverse = torch.where(leaky >= 0, leaky, leaky / 0.1)
torch.testing.assert_close(leaky_inverse, z, atol=1e-12, rtol=0)
# --8<-- [end:bijective]

# --8<-- [start:relu]
relu = torch.relu(z)
assert torch.all(relu[z <= 0] == 0)  # every z <= 0 gives the same 0
# --8<-- [end:relu]
relu_preimages_of_zero = int((relu == 0).sum())
assert relu_preimages_of_zero == int((z <= 0).sum()) > 1
