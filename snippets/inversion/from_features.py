"""Back from a hidden layer's features to the input: minimum norm, prior, decoder."""
import torch
from sklearn.datasets import load_digits

digits = load_digits()
images = torch.tensor(digits.data / 16, dtype=torch.float32)  # (1797, 64), in [0, 1]
labels = torch.tensor(digits.target)


def train_classifier(seed):
    """The saliency section's classifier: 64 pixels, 32 tanh features, 10 logits."""
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
    train, test = order[:1500], order[1500:]
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for step in range(200):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(images[train]), labels[train])
        loss.backward()
        optimizer.step()
    return model.requires_grad_(False), train, test


def missed(x, x_back):
    """The share of each image's norm that x_back misses."""
    return (x_back - x).norm(dim=1) / x.norm(dim=1)


# --8<-- [start:minimum_norm]
def minimum_norm(features, h):
    """The shortest input with features h: tanh undone, then pinv of the layer."""
    W, b = features[0].weight, features[0].bias  # (32, 64): 32 equations, 64 pixels
    return (torch.linalg.pinv(W) @ (torch.atanh(h) - b).T).T
# --8<-- [end:minimum_norm]


# --8<-- [start:prior]
def with_prior(features, h, seen, weight=1e-3, steps=200):
    """Optimise the input to give features h while staying likely under a Gaussian
    fitted to the training images: their mean and covariance."""
    mean = seen.mean(dim=0)
    precision = torch.linalg.inv(torch.cov(seen.T) + 0.01 * torch.eye(seen.shape[1]))
    x = mean.repeat(len(h), 1).requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=0.05)
    for step in range(steps):
        away = x - mean
        prior = ((away @ precision) * away).sum()  # -2 log p(x), up to a constant
        loss = ((features(x) - h) ** 2).sum() + weight * prior
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            x.clamp_(0, 1)  # pixels stay where images have them
    return x.detach()
# --8<-- [end:prior]


# --8<-- [start:decoder]
def decoder(features, seen, steps=300):
    """A network trained to map the training images' features back to the images."""
    net = torch.nn.Sequential(
        torch.nn.Linear(32, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64)
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    h_seen = features(seen)
    for step in range(steps):
        optimizer.zero_grad()
        ((net(h_seen) - seen) ** 2).mean().backward()
        optimizer.step()
    return net.requires_grad_(False)
# --8<-- [end:decoder]


# --8<-- [start:compare]
def reconstructions(seed):
    """Held-out digits rebuilt from their features, three ways, as the share missed."""
    model, train, test = train_classifier(seed)
    features = model[:2]  # Linear(64, 32) and Tanh: what the hidden layer holds
    x, seen = images[test], images[train]
    h = features(x)
    rebuilt = {
        "minimum norm": minimum_norm(features, h),
        "Gaussian prior": with_prior(features, h, seen),
        "trained decoder": decoder(features, seen)(h),
    }
    torch.testing.assert_close(features(rebuilt["minimum norm"]), h, atol=1e-5, rtol=0)
    return {way: missed(x, x_back).median().item() for way, x_back in rebuilt.items()}


misses = reconstructions(seed=0)
assert misses["Gaussian prior"] < misses["minimum norm"] / 2
assert misses["trained decoder"] < misses["minimum norm"] / 2
# --8<-- [end:compare]
