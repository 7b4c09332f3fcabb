"""Input gradients in PyTorch: saliency, and optimising the input itself."""
import torch
from sklearn.datasets import load_digits

digits = load_digits()
images = torch.tensor(digits.data / 16, dtype=torch.float32)  # (1797, 64), in [0, 1]
labels = torch.tensor(digits.target)


# --8<-- [start:train]
def train_classifier(seed):
    """Train on 1500 images picked at random by `seed`; score on the rest."""
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
    train, test = order[:1500], order[1500:]
    torch.manual_seed(seed)  # the initial weights
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for step in range(200):
        optimizer.zero_grad()
        logits = model(images[train])
        torch.nn.functional.cross_entropy(logits, labels[train]).backward()
        optimizer.step()
    model.requires_grad_(False)  # from here on the weights are constants
    accuracy = (model(images[test]).argmax(1) == labels[test]).float().mean().item()
    return model, train, test, accuracy


model, train, test, accuracy = train_classifier(seed=0)
# --8<-- [end:train]
assert accuracy > 0.85

# --8<-- [start:saliency]
x = images[test][:6].clone().requires_grad_(True)
logits = model(x)
predicted = logits.argmax(dim=1)
winning_logit = logits[torch.arange(len(x)), predicted]
# Row i of saliency: d winning_logit[i] / d x[i], one number per pixel.
(saliency,) = torch.autograd.grad(winning_logit.sum(), x)
gradient_times_input = saliency * x.detach()  # zero wherever the pixel is blank
# --8<-- [end:saliency]
W1, b1, W2 = model[0].weight, model[0].bias, model[2].weight
hidden = torch.tanh(x.detach() @ W1.T + b1)
by_hand = (W2[predicted] * (1 - hidden**2)) @ W1  # the chain rule, written out
torch.testing.assert_close(saliency, by_hand, atol=1e-5, rtol=1e-6)
assert saliency.shape == x.shape
assert torch.all(gradient_times_input[x.detach() == 0] == 0)
blank = x.detach() == 0
largest = saliency.abs().argmax(dim=1, keepdim=True)
largest_on_blank = int(blank.gather(1, largest).sum())  # top pixel blank: images
assert largest_on_blank > len(x) // 2  # the gradient lights up pixels with no ink


# --8<-- [start:optimise]
def optimise_input(
    start, target, confidence=0.99, penalty=0.01, pixel_range=(0.0, 1.0)
):
    x = start.clone().requires_grad_(True)  # the only trainable tensor
    optimizer = torch.optim.Adam([x], lr=0.05)
    for step in range(500):
        logits = model(x)
        if torch.softmax(logits, dim=1)[0, target] > confidence:
            break
        loss = -logits[0, target] + penalty * x.pow(2).sum()  # ascend the logit
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if pixel_range is not None:
            with torch.no_grad():
                x.clamp_(*pixel_range)  # pixels stay where images have them
    return x.detach()


target = 3
x_best = optimise_input(torch.zeros(1, 64), target)
# --8<-- [end:optimise]
probabilities = torch.softmax(model(x_best), dim=1)
assert probabilities.argmax().item() == target and probabilities[0, target] > 0.99
assert torch.equal(x_best, x_best.clamp(0, 1))

# --8<-- [start:unconstrained]
blank = torch.zeros(1, 64)
x_free = optimise_input(
    blank, target, confidence=1.0, penalty=0.0, pixel_range=None
)
assert not torch.equal(x_free, x_free.clamp(0, 1))  # no image has such pixels
# --8<-- [end:unconstrained]
free_pixel_range = (x_free.min().item(), x_free.max().item())
free_probability = torch.softmax(model(x_free), dim=1)[0, target].item()
assert free_probability > probabilities[0, target].item()  # even more certain

# --8<-- [start:not_unique]
starts = {d: images[test][labels[test] == d][:1] for d in (1, 7)}  # a 1 and a 7
answers = {d: optimise_input(start, target) for d, start in starts.items()}
for answer in answers.values():
    assert torch.softmax(model(answer), dim=1)[0, target] > 0.99
assert (answers[1] - answers[7]).norm() > 1  # two different "best" inputs
# --8<-- [end:not_unique]
answers_distance = (answers[1] - answers[7]).norm().item()
