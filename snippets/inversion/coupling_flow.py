"""A network invertible by construction: affine coupling layers, a normalizing flow."""
import copy
import math

import torch

torch.manual_seed(0)


# --8<-- [start:data]
def two_moons(count):
    angle = torch.rand(count) * math.pi
    upper = torch.rand(count) < 0.5
    x = torch.where(upper, torch.cos(angle), 1 - torch.cos(angle))
    y = torch.where(upper, torch.sin(angle), 0.5 - torch.sin(angle))
    points = torch.stack([x - 0.5, y - 0.25], dim=1) * 1.5
    return points + 0.08 * torch.randn(count, 2)
# --8<-- [end:data]


# --8<-- [start:coupling]
class Coupling(torch.nn.Module):
    """Keeps one coordinate, and scales and shifts the other as it dictates."""

    def __init__(self, keep):
        super().__init__()
        self.keep = keep
        self.net = torch.nn.Sequential(
            torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2)
        )

    def split(self, x):
        kept, changed = x[:, self.keep], x[:, 1 - self.keep]
        log_scale, shift = self.net(kept[:, None]).unbind(dim=1)
        return kept, changed, torch.tanh(log_scale), shift  # scales in [1/e, e]

    def join(self, kept, changed):
        halves = [kept, changed] if self.keep == 0 else [changed, kept]
        return torch.stack(halves, dim=1)

    def forward(self, x):
        kept, changed, log_scale, shift = self.split(x)
        z = self.join(kept, changed * torch.exp(log_scale) + shift)
        return z, log_scale  # log|det J| of this layer: the log of its scale

    def inverse(self, z):
        kept, changed, log_scale, shift = self.split(z)  # same s and t
        return self.join(kept, (changed - shift) * torch.exp(-log_scale))
# --8<-- [end:coupling]


# --8<-- [start:flow]
class Flow(torch.nn.Module):
    def __init__(self, layers=4):
        super().__init__()
        couplings = [Coupling(keep=k % 2) for k in range(layers)]  # alternating
        self.layers = torch.nn.ModuleList(couplings)

    def forward(self, x):  # data -> latent, and log|det J| of the whole map
        log_det = x.new_zeros(len(x))
        for layer in self.layers:
            x, layer_log_det = layer(x)
            log_det = log_det + layer_log_det
        return x, log_det

    def inverse(self, z):  # latent -> data: the layers undone in reverse order
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z

    def log_prob(self, x):  # change of variables: log N(f(x)) + log|det J_f(x)|
        z, log_det = self(x)
        return -0.5 * (z**2).sum(dim=1) - math.log(2 * math.pi) + log_det
# --8<-- [end:flow]


# --8<-- [start:train]
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=0.02)
for step in range(200):
    optimizer.zero_grad()
    loss = -flow.log_prob(two_moons(256)).mean()  # maximum likelihood, exactly
    loss.backward()
    optimizer.step()
flow.requires_grad_(False)
# --8<-- [end:train]
data = two_moons(1000)
mean_log_likelihood = flow.log_prob(data).mean().item()
gaussian = torch.distributions.MultivariateNormal(data.mean(dim=0), torch.cov(data.T))
gaussian_log_likelihood = gaussian.log_prob(data).mean().item()
assert mean_log_likelihood > gaussian_log_likelihood  # beats the best single Gaussian

# --8<-- [start:exact]
z, log_det = flow(data)
torch.testing.assert_close(flow.inverse(z), data, atol=1e-5, rtol=0)  # float32
flow64, data64 = copy.deepcopy(flow).to(torch.float64), data.to(torch.float64)
round_trip64 = flow64.inverse(flow64(data64)[0])
torch.testing.assert_close(round_trip64, data64, atol=1e-12, rtol=0)
samples = flow.inverse(torch.randn(1000, 2))  # x = f⁻¹(z) with z ~ N(0, I)
# --8<-- [end:exact]
round_trip_error = (flow.inverse(z) - data).abs().max().item()
round_trip_error_float64 = (round_trip64 - data64).abs().max().item()


# --8<-- [start:log_det]
def jacobian(point):
    def forward_one(p):
        return flow(p[None])[0][0]

    return torch.autograd.functional.jacobian(forward_one, point)


jacobians = torch.stack([jacobian(point) for point in data[:20]])
log_det_autograd = torch.linalg.slogdet(jacobians).logabsdet
torch.testing.assert_close(log_det_autograd, log_det[:20], atol=1e-5, rtol=0)
# --8<-- [end:log_det]

# The density integrates to one: a sum over a fine grid that holds nearly all the mass.
grid_step = 0.02
axis = torch.arange(-4, 4, grid_step) + grid_step / 2
grid = torch.cartesian_prod(axis, axis).to(torch.float64)
density_mass = (flow64.log_prob(grid).exp().sum() * grid_step**2).item()
assert 0.99 < density_mass < 1.01
