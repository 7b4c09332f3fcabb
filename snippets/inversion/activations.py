"""Which activations have an inverse: tanh, sigmoid, leaky ReLU, ELU and softplus do,
each on its range; ReLU does not."""
import torch

z = torch.linspace(-4, 4, 81, dtype=torch.float64)
F = torch.nn.functional

# --8<-- [start:invertible]
torch.testing.assert_close(torch.atanh(torch.tanh(z)), z, atol=1e-12, rtol=0)
torch.testing.assert_close(torch.logit(torch.sigmoid(z)), z, atol=1e-12, rtol=0)
leaky = F.leaky_relu(z, negative_slope=0.1)
leaky_inverse = torch.where(leaky >= 0, leaky, leaky / 0.1)
torch.testing.assert_close(leaky_inverse, z, atol=1e-12, rtol=0)
# --8<-- [end:invertible]
elu = F.elu(z, alpha=1.0)  # range (-alpha, inf)
elu_inverse = torch.where(elu > 0, elu, torch.log1p(elu / 1.0))
torch.testing.assert_close(elu_inverse, z, atol=1e-12, rtol=0)
softplus = F.softplus(z)  # range (0, inf)
torch.testing.assert_close(torch.log(torch.expm1(softplus)), z, atol=1e-12, rtol=0)

# --8<-- [start:relu]
relu = torch.relu(z)
assert torch.all(relu[z <= 0] == 0)  # z <= 0 all give the same 0
# --8<-- [end:relu]
relu_preimages_of_zero = int((relu == 0).sum())
assert relu_preimages_of_zero == int((z <= 0).sum()) > 1
