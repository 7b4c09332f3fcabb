"""Invertible by construction beyond RealNVP: the building blocks of NICE, Glow,
i-RevNet and i-ResNet, each inverted exactly."""
import torch

torch.manual_seed(0)
f64 = torch.float64

# --8<-- [start:nice]
m = torch.nn.Sequential(  # any network: here with ReLU, which has no inverse itself
    torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2)
).to(f64)


def additive(v):  # NICE's coupling: z_b = x_b + m(x_a), no scale
    return torch.cat([v[:, :2], v[:, 2:] + m(v[:, :2])], dim=1)


def additive_inverse(z):
    return torch.cat([z[:, :2], z[:, 2:] - m(z[:, :2])], dim=1)


v = torch.randn(5, 4, dtype=f64)
torch.testing.assert_close(additive_inverse(additive(v)), v, atol=1e-12, rtol=0)
jacobian = torch.autograd.functional.jacobian(lambda p: additive(p[None])[0], v[0])
torch.testing.assert_close(torch.linalg.det(jacobian), torch.tensor(1.0, dtype=f64),
                           atol=1e-12, rtol=0)  # volume-preserving
# --8<-- [end:nice]
nice_error = (additive_inverse(additive(v)) - v).abs().max().item()

# --8<-- [start:glow]
channels, height, width = 3, 4, 4
conv = torch.nn.Conv2d(channels, channels, kernel_size=1, bias=False).to(f64)
image = torch.randn(1, channels, height, width, dtype=f64)
weight = conv.weight[:, :, 0, 0].detach()  # a channels × channels matrix, per pixel
with torch.no_grad():
    back = torch.einsum("ij,njhw->nihw", torch.linalg.inv(weight), conv(image))
torch.testing.assert_close(back, image, atol=1e-12, rtol=0)
# Glow's log-determinant: height · width · log|det W|, checked against the full Jacobian
full = torch.autograd.functional.jacobian(conv, image).reshape(image.numel(), -1)
log_det = height * width * torch.linalg.slogdet(weight).logabsdet
torch.testing.assert_close(
    torch.linalg.slogdet(full).logabsdet, log_det, atol=1e-12, rtol=0
)
# --8<-- [end:glow]
glow_error = (back - image).abs().max().item()

# --8<-- [start:irevnet]
down = torch.nn.functional.pixel_unshuffle(image, 2)  # i-RevNet's downsampling
assert down.shape == (1, channels * 4, height // 2, width // 2)
assert torch.equal(torch.nn.functional.pixel_shuffle(down, 2), image)  # bit for bit
assert torch.equal(down.flatten().sort().values, image.flatten().sort().values)
# --8<-- [end:irevnet]


# --8<-- [start:iresnet]
def contraction(size, lipschitz=0.9):
    """A Linear layer scaled so that its largest singular value is `lipschitz`."""
    layer = torch.nn.Linear(size, size).to(f64)
    with torch.no_grad():
        layer.weight *= lipschitz / torch.linalg.matrix_norm(layer.weight, ord=2)
    return layer


g = torch.nn.Sequential(contraction(4), torch.nn.ELU(), contraction(4))  # Lip(g) < 1
with torch.no_grad():
    y = v + g(v)  # an i-ResNet block: x + g(x)
    x = y.clone()
    for step in range(300):  # x = y - g(x): a contraction, so it converges
        x = y - g(x)
torch.testing.assert_close(x, v, atol=1e-12, rtol=0)
# --8<-- [end:iresnet]
iresnet_error = (x - v).abs().max().item()
