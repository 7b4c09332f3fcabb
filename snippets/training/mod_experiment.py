"""The experiment: MLPs of each variant and seed on scikit-learn's digits, trained
together."""
import keras
import numpy as np
import tensorflow as tf
from keras import ops
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from snippets.training.mod_layers import (
    BiasModDense, FoldedModDense, KernelModDense, ModDense, StraightThroughModDense,
)

# The layers whose crossings Record counts: where floor(p/m) changes, w mod m and b mod
# m jump by m, and the folded kernel turns back.
CROSSING = (KernelModDense, StraightThroughModDense, BiasModDense, FoldedModDense)

# --8<-- [start:data]
digits = load_digits()  # 8×8 images of handwritten digits that ship inside
                        # scikit-learn
images = (digits.data / 16).astype("float32")  # pixels 0..16 scaled to [0, 1]
x_train, x_test, y_train, y_test = train_test_split(
    images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
BATCH_SIZE = 64
STEPS = len(x_train) // BATCH_SIZE  # full batches per epoch; the images left over vary
# --8<-- [end:data]
assert x_train.shape[1] == 64 and len(set(y_test)) == 10


# --8<-- [start:model]
def mlp(layer, seed=None, copies=None, name=None):
    """Three layers of one kind, 64 -> 64 -> 64 -> 10 digits, as a Keras model. With
    copies=n, n independent MLPs: input (n, images, 64), output (n, images, 10)."""
    if seed is not None:
        keras.utils.set_random_seed(seed)  # the same seed, the same initial weights
    inputs = keras.Input(shape=(64,) if copies is None else (None, 64))
    hidden = layer(64, activation="relu", copies=copies)(inputs)
    hidden = layer(64, activation="relu", copies=copies)(hidden)
    outputs = layer(10, activation="softmax", copies=copies)(hidden)
    return keras.Model(inputs, outputs, name=name)


def side_by_side(variants, seeds):
    """One Keras model: per variant, its MLPs of all seeds stacked on a first axis, each
    starting from the weights it has when built alone. Input: each seed's own images."""
    inputs = keras.Input(shape=(None, 64))
    outputs = {}
    for variant, layer in variants.items():
        stacked = mlp(layer, copies=len(seeds), name=variant)
        alone = [mlp(layer, seed).weights for seed in seeds]
        for weight, copies in zip(stacked.weights, zip(*alone), strict=True):
            weight.assign(np.stack([copy.numpy() for copy in copies]))
        outputs[variant] = stacked(inputs)
    return keras.Model(inputs, outputs)


def own_losses(y, outputs):
    """{variant: each seed's mean cross-entropy}; y: (seeds, images)."""
    cross_entropy = keras.losses.sparse_categorical_crossentropy
    return {variant: ops.mean(cross_entropy(y, p), axis=-1)
            for variant, p in outputs.items()}
# --8<-- [end:model]


# --8<-- [start:train]
def train(model, optimizer, seeds, epochs, after_epoch):
    """Each seed's MLPs get their own shuffle of the images per epoch, in full batches.
    The loss is the sum of every MLP's own, so each gets exactly its own gradient: one
    compiled step trains them all. Returns the mean losses of each epoch, per seed."""
    variables = model.trainable_variables
    optimizer.build(variables)

    @tf.function(input_signature=[tf.TensorSpec((len(seeds), BATCH_SIZE, 64)),
                                  tf.TensorSpec((len(seeds), BATCH_SIZE), "int64")])
    def step(x, y):
        with tf.GradientTape() as tape:
            losses = own_losses(y, model(x))
            total = sum(ops.sum(loss) for loss in losses.values())
        optimizer.apply(tape.gradient(total, variables), variables)
        return losses

    history = []
    for epoch in range(epochs):
        orders = np.stack([np.random.default_rng([seed, epoch]).permutation(
            len(x_train)) for seed in seeds])  # (seeds, images)
        sums = {}
        for batch in np.split(orders[:, :STEPS * BATCH_SIZE], STEPS, axis=1):
            for variant, loss in step(x_train[batch], y_train[batch]).items():
                sums[variant] = sums.get(variant, 0) + loss.numpy()
        history.append({variant: total / STEPS for variant, total in sums.items()})
        after_epoch(history[-1])
    return history
# --8<-- [end:train]


# --8<-- [start:record]
class Record:
    """After each epoch, per variant and seed: the accuracy on the held-out images, the
    mean training loss and, for the CROSSING layers, the share of the parameters p that
    go through m whose floor(p/m) changed: p crossed a multiple of m."""

    def __init__(self, model, seeds):
        self.model = model
        self.x_test = np.broadcast_to(x_test, (len(seeds), *x_test.shape))
        self.layers = {variant.name: [l for l in variant.layers if type(l) in CROSSING]
                       for variant in model.layers if isinstance(variant, keras.Model)}
        self.before = self.floors()
        self.accuracy = {variant: [] for variant in self.layers}
        self.loss = {variant: [] for variant in self.layers}
        self.crossings = {variant: [] for variant in self.before}

    def floors(self):
        found = {}
        for variant, layers in self.layers.items():
            if layers:  # per seed: floor(p/m) of every entry, as one row
                found[variant] = np.concatenate([np.floor(
                    (l.w if l.m_like == "w" else l.b).numpy() / l.m.numpy()
                ).reshape(len(l.m.numpy()), -1) for l in layers], axis=1)
        return found

    def __call__(self, losses):
        for variant, predicted in self.model(self.x_test).items():
            right = np.argmax(predicted, axis=-1) == y_test
            self.accuracy[variant].append(np.mean(right, axis=-1))
            self.loss[variant].append(losses[variant])
        floors = self.floors()
        for variant, now in floors.items():
            changed = now != self.before[variant]
            self.crossings[variant].append(np.mean(changed, axis=-1))
        self.before = floors
# --8<-- [end:record]


# Side by side is the same as one at a time: each seed's MLP starts from the weights it
# has when built alone, computes from its own images what it computes alone, and the
# summed loss gives it the gradient of its own loss.
seeds = (0, 1)
model = side_by_side({"kernel_mod": KernelModDense, "bias_mod": BiasModDense}, seeds)
stacked, alone = model.get_layer("kernel_mod"), mlp(KernelModDense, seeds[1])
for inside, by_itself in zip(stacked.weights, alone.weights, strict=True):
    np.testing.assert_array_equal(inside.numpy()[1], by_itself.numpy())
x, y = (np.stack([x_train[:64], x_train[64:128]]),
        np.stack([y_train[:64], y_train[64:128]]))
loss = keras.losses.SparseCategoricalCrossentropy()
with tf.GradientTape(persistent=True) as tape:
    outputs = model(x)
    total = sum(ops.sum(value) for value in own_losses(y, outputs).values())
    own = loss(y[1], alone(x[1]))
np.testing.assert_allclose(outputs["kernel_mod"][1], alone(x[1]), atol=1e-6)
for from_total, from_own in zip(tape.gradient(total, stacked.trainable_weights),
                                tape.gradient(own, alone.trainable_weights),
                                strict=True):
    np.testing.assert_allclose(from_total[1], from_own, atol=1e-6)

# train() on the stack is each seed's MLP trained alone on that seed's shuffle.
stack = side_by_side({"dense": ModDense}, seeds)
history = train(stack, keras.optimizers.SGD(0.1), seeds, 1, lambda losses: None)
by_hand, optimizer, losses = mlp(ModDense, seeds[1]), keras.optimizers.SGD(0.1), []
order = np.random.default_rng([seeds[1], 0]).permutation(len(x_train))
for batch in np.split(order[:STEPS * BATCH_SIZE], STEPS):
    with tf.GradientTape() as tape:
        losses.append(loss(y_train[batch], by_hand(x_train[batch])))
    gradients = tape.gradient(losses[-1], by_hand.trainable_weights)
    optimizer.apply(gradients, by_hand.trainable_weights)
np.testing.assert_allclose(history[0]["dense"][1], np.mean(losses), atol=1e-6)
for inside, by_itself in zip(stack.get_layer("dense").weights, by_hand.weights,
                             strict=True):
    np.testing.assert_allclose(inside.numpy()[1], by_itself.numpy(), atol=1e-6)

# Record, before any step: each MLP's accuracy as computed by hand, and no crossings
# yet.
record = Record(model, seeds)
record({"kernel_mod": np.zeros(2), "bias_mod": np.zeros(2)})
predicted = np.argmax(alone(x_test), axis=-1)
assert record.accuracy["kernel_mod"][0][1] == np.mean(predicted == y_test)
assert set(record.crossings) == {"kernel_mod", "bias_mod"}
assert all(shares[0].tolist() == [0.0, 0.0] for shares in record.crossings.values())
assert {type(l) for layers in record.layers.values() for l in layers} == {
    KernelModDense, BiasModDense}
