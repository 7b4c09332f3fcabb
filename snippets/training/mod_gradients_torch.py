"""What torch.autograd returns for remainder, fmod, round, floor and sign."""
import torch

# --8<-- [start:remainder]
w = torch.tensor([2.5, -2.5, 0.3, 2.5], requires_grad=True)
m = torch.tensor([0.7, 0.7, 0.7, -0.7], requires_grad=True)
gradients = {}
for name, mod in {"remainder": torch.remainder, "fmod": torch.fmod}.items():
    r = mod(w, m)  # w % m is torch.remainder
    gradients[name] = torch.autograd.grad(r.sum(), [w, m])
# --8<-- [end:remainder]
floor_ratio, trunc_ratio = torch.floor(w / m), torch.trunc(w / m)
torch.testing.assert_close(torch.remainder(w, m), w - m * floor_ratio, atol=1e-6, rtol=0)
torch.testing.assert_close(torch.fmod(w, m), w - m * trunc_ratio, atol=1e-6, rtol=0)
for name, ratio in {"remainder": floor_ratio, "fmod": trunc_ratio}.items():
    d_w, d_m = gradients[name]
    assert torch.equal(d_w, torch.ones(4))  # ∂r/∂w = 1 for both
    assert torch.equal(d_m, -ratio.detach())  # ∂r/∂m = −floor(w/m), or −trunc(w/m) for fmod
assert (w % m).grad_fn.name() == torch.remainder(w, m).grad_fn.name()

# --8<-- [start:steps]
x = torch.tensor([0.3, 1.7, -2.2], requires_grad=True)
step_gradients = {
    step.__name__: torch.autograd.grad(step(x).sum(), x)[0]
    for step in (torch.round, torch.floor, torch.sign)
}
# --8<-- [end:steps]
for gradient in step_gradients.values():
    assert torch.equal(gradient, torch.zeros(3))  # zeros, not None and not an error

# --8<-- [start:straight_through]
rounded = x + (torch.round(x) - x).detach()  # forward: round(x); backward: x
straight_through = torch.autograd.grad(rounded.sum(), x)[0]
# --8<-- [end:straight_through]
assert torch.equal(rounded, torch.round(x)) and torch.equal(straight_through, torch.ones(3))
