"""pinv on a trained digits classifier: an input with the same output, not the digit."""
import torch
from sklearn.datasets import load_digits

# --8<-- [start:train]
digits = load_digits()  # 8×8 images that ship inside scikit-learn
images = torch.tensor(digits.data / 16, dtype=torch.float32)  # (1797, 64)
labels = torch.tensor(digits.target)


def train_classifier(seed):
    """Train on 1500 images picked at random by `seed`; score on the rest."""
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
    train, test = order[:1500], order[1500:]
    torch.manual_seed(seed)  # the initial weights
    model = torch.nn.Sequential(torch.nn.Linear(64, 10), torch.nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    targets = torch.nn.functional.one_hot(labels, 10).float()
    for step in range(200):
        optimizer.zero_grad()
        outputs = model(images[train])
        torch.nn.functional.binary_cross_entropy(outputs, targets[train]).backward()
        optimizer.step()
    with torch.no_grad():
        predicted = model(images[test]).argmax(dim=1)
    accuracy = (predicted == labels[test]).float().mean().item()
    return model, train, test, accuracy


model, train, test, accuracy = train_classifier(seed=0)
# --8<-- [end:train]
assert accuracy > 0.85
assert sorted(torch.cat([train, test]).tolist()) == list(range(len(images)))  # a split


# --8<-- [start:pinv]
model = model.to(torch.float64)
W, b = model[0].weight.detach(), model[0].bias.detach()  # W: (10, 64)
x = images[test].to(torch.float64)
with torch.no_grad():
    y = model(x)
    x_pinv = (torch.linalg.pinv(W) @ (torch.logit(y) - b).T).T
    torch.testing.assert_close(model(x_pinv), y, atol=1e-10, rtol=0)  # same y
missed = (x_pinv - x).norm(dim=1) / x.norm(dim=1)
assert missed.min() > 0.5  # ...from inputs that are not the digits
assert torch.all(x_pinv.norm(dim=1) < x.norm(dim=1))  # the shortest ones
# --8<-- [end:pinv]
pinv_relative_error = missed.median().item()
unseen = x - x_pinv  # what W maps to zero
torch.testing.assert_close(unseen @ W.T, torch.zeros_like(y), atol=1e-10, rtol=0)


# --8<-- [start:subspaces]
def projected(x, rows):  # x projected onto the span of the rows
    basis = torch.linalg.qr(rows.T).Q
    return x @ basis @ basis.T


def share_missed(x, rows):
    return ((x - projected(x, rows)).norm(dim=1) / x.norm(dim=1)).median().item()


torch.testing.assert_close(projected(x, W), x_pinv, atol=1e-10, rtol=0)  # pinv projects
drawn = torch.Generator().manual_seed(0)
random = torch.randn(W.shape, dtype=torch.float64, generator=drawn)
pca = torch.linalg.svd(images[train].double(), full_matrices=False).Vh[: len(W)]
assert 0.9 < share_missed(x, W) / share_missed(x, random) < 1.1  # about the same
assert share_missed(x, pca) < share_missed(x, W) / 2  # PCA keeps far more
# --8<-- [end:subspaces]


def subspace_misses(model, train, test, seed):
    """What pinv misses, and a random and a PCA subspace of its size, for one split."""
    x = images[test].to(torch.float64)
    W = model[0].weight.detach().to(torch.float64)
    random = torch.randn(W.shape, dtype=torch.float64,
                         generator=torch.Generator().manual_seed(seed))
    pca = torch.linalg.svd(images[train].double(), full_matrices=False).Vh[: len(W)]
    return {"pinv": share_missed(x, W), "random": share_missed(x, random),
            "PCA": share_missed(x, pca)}


misses = subspace_misses(model, train, test, seed=0)
torch.testing.assert_close(misses["pinv"], pinv_relative_error, atol=1e-12, rtol=0)

# --8<-- [start:from_label]
wanted = torch.full((10, 10), 0.01, dtype=torch.float64).fill_diagonal_(0.99)
with torch.no_grad():  # row k of wanted: "this is a k"
    x_from_label = (torch.linalg.pinv(W) @ (torch.logit(wanted) - b).T).T
    torch.testing.assert_close(model(x_from_label), wanted, atol=1e-10, rtol=0)
assert x_from_label.min() < 0  # no image has a negative pixel
# --8<-- [end:from_label]
assert torch.equal(model(x_from_label).argmax(dim=1), torch.arange(10))
from_label_pixel_range = (x_from_label.min().item(), x_from_label.max().item())
examples = [int((labels[test] == digit).nonzero()[0]) for digit in range(10)]
