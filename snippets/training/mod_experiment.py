"""The experiment: an MLP per variant and seed on scikit-learn's digits, trained side by side."""
import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from snippets.training.mod_layers import (
    VARIANTS, BiasModDense, KernelModDense, StraightThroughModDense,
)

MOD_LAYERS = (KernelModDense, BiasModDense, StraightThroughModDense)
MOD_VARIANTS = ("kernel_mod", "bias_mod", "straight_through")

# --8<-- [start:data]
digits = load_digits()  # 8×8 images of handwritten digits that ship inside scikit-learn
images = (digits.data / 16).astype("float32")  # pixels 0..16 scaled to [0, 1]
x_train, x_test, y_train, y_test = train_test_split(
    images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
BATCH_SIZE = 64
STEPS_PER_EPOCH = -(-len(x_train) // BATCH_SIZE)  # the last batch is smaller
# --8<-- [end:data]
assert x_train.shape[1] == 64 and len(set(y_test)) == 10


# --8<-- [start:model]
def mlp(layer, seed, name):
    """Three layers of one kind, 64 -> 64 -> 64 -> 10 digits, as a Keras model."""
    keras.utils.set_random_seed(seed)  # the same seed gives the same initial w (and m)
    inputs = keras.Input(shape=(64,))
    hidden = layer(64, activation="relu")(inputs)
    hidden = layer(64, activation="relu")(hidden)
    return keras.Model(inputs, layer(10, activation="softmax")(hidden), name=name)


def side_by_side(optimizer, seeds, variants=VARIANTS):
    """One Keras model holding an independent MLP per variant and seed. Its loss is
    the sum of theirs, so each MLP gets exactly its own gradient: one compiled step
    trains them all."""
    inputs = keras.Input(shape=(64,))
    networks = [
        mlp(layer, seed, f"{variant}_{seed}")
        for variant, layer in variants.items() for seed in seeds
    ]
    model = keras.Model(inputs, {net.name: net(inputs) for net in networks})
    model.compile(
        optimizer=optimizer,
        loss={net.name: "sparse_categorical_crossentropy" for net in networks},
        steps_per_execution=STEPS_PER_EPOCH,  # one call of the compiled step per epoch
    )
    return model
# --8<-- [end:model]


# --8<-- [start:train]
class Record(keras.callbacks.Callback):
    """After each epoch, per MLP: its accuracy on the test images and, for the variants
    with mod, the share of parameters p whose p mod m jumped in the epoch, i.e. whose
    floor(p/m) changed (a step of p or m crossed a multiple of m)."""

    def floors(self):
        found = {}
        for network in self.networks:
            layers = [l for l in network.layers if isinstance(l, MOD_LAYERS)]
            parts = [(l.w if l.m_like == "w" else l.b, l.m) for l in layers]
            if parts:
                found[network.name] = np.concatenate(
                    [np.floor(p.numpy() / m.numpy()).ravel() for p, m in parts]
                )
        return found

    def on_train_begin(self, logs=None):
        self.networks = [l for l in self.model.layers if isinstance(l, keras.Model)]
        self.initial = self.before = self.floors()
        self.accuracy = {network.name: [] for network in self.networks}
        self.jumps = {name: [] for name in self.before}

    def on_epoch_end(self, epoch, logs=None):
        for network in self.networks:
            predicted = np.argmax(network(x_test), axis=-1)
            self.accuracy[network.name].append(float(np.mean(predicted == y_test)))
        floors = self.floors()
        for name, now in floors.items():
            self.jumps[name].append(float(np.mean(now != self.before[name])))
        self.before = floors


def train(model, epochs, callbacks=()):
    """Train every MLP of `model`; return the Record and the training losses."""
    names = [net.name for net in model.layers if isinstance(net, keras.Model)]
    record = Record()
    history = model.fit(
        x_train, {name: y_train for name in names}, epochs=epochs,
        batch_size=BATCH_SIZE, verbose=0, callbacks=[record, *callbacks],
    )
    return record, {name: history.history[f"{name}_loss"] for name in names}
# --8<-- [end:train]


# Side by side is the same as one at a time: each MLP starts from the weights it has when
# built alone, and the summed loss gives it the gradient of its own loss.
model = side_by_side(keras.optimizers.Adam(), seeds=(0, 1))
network, alone = model.get_layer("kernel_mod_1"), mlp(KernelModDense, 1, "alone")
for inside, by_itself in zip(network.weights, alone.weights, strict=True):
    np.testing.assert_array_equal(inside.numpy(), by_itself.numpy())
loss = keras.losses.SparseCategoricalCrossentropy()
with tf.GradientTape(persistent=True) as tape:
    outputs = model(x_train[:64])
    total = sum(loss(y_train[:64], output) for output in outputs.values())
    own = loss(y_train[:64], outputs["kernel_mod_1"])
for from_total, from_own in zip(
    tape.gradient(total, network.trainable_weights),
    tape.gradient(own, network.trainable_weights),
    strict=True,
):
    np.testing.assert_allclose(from_total, from_own, atol=1e-6)

# Record, before any step: each MLP's accuracy as computed by hand, and no jumps yet.
record = Record()
record.set_model(model)
record.on_train_begin()
record.on_epoch_end(0)
predicted = np.argmax(network(x_test), axis=-1)
assert record.accuracy["kernel_mod_1"] == [float(np.mean(predicted == y_test))]
assert set(record.jumps) == {f"{v}_{s}" for v in MOD_VARIANTS for s in (0, 1)}
assert all(shares == [0.0] for shares in record.jumps.values())
