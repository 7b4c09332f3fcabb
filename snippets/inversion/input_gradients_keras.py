"""Input gradients in Keras 3: saliency, the model.predict trap, optimising x."""
import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits

digits = load_digits()
images = (digits.data / 16).astype("float32")  # (1797, 64), pixels in [0, 1]
labels = digits.target


# --8<-- [start:train]
def train_classifier(seed):
    """Train on 1500 images picked at random by `seed`; score on the rest."""
    order = np.random.default_rng(seed).permutation(len(images))
    train, test = order[:1500], order[1500:]
    keras.utils.set_random_seed(seed)  # the initial weights and the batches
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="tanh"),
        keras.layers.Dense(10),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.02),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(images[train], labels[train], epochs=10, batch_size=100, verbose=0)
    model.trainable = False  # from here on the weights are constants
    predicted = np.argmax(model.predict(images[test], verbose=0), axis=1)
    accuracy = float(np.mean(predicted == labels[test]))
    return model, train, test, accuracy


model, train, test, accuracy = train_classifier(seed=0)
# --8<-- [end:train]
assert accuracy > 0.85

# --8<-- [start:predict_none]
x = tf.Variable(images[test][:6])
with tf.GradientTape() as tape:
    logits = model.predict(x, verbose=0)  # NumPy: the tape records nothing
    winning_logit = tf.reduce_max(logits, axis=1)
gradient = tape.gradient(winning_logit, x)
assert isinstance(logits, np.ndarray) and gradient is None
# --8<-- [end:predict_none]

# --8<-- [start:predict_error]
with tf.GradientTape() as tape:
    logits = model.predict(x, verbose=0)
try:
    tape.gradient(logits, x)
except AttributeError as error:
    message = str(error)
assert message == "'numpy.ndarray' object has no attribute '_id'"
# --8<-- [end:predict_error]

# --8<-- [start:call]
with tf.GradientTape() as tape:
    logits = model(x)  # call the model: tensors the tape records
    winning_logit = tf.reduce_max(logits, axis=1)
saliency = tape.gradient(winning_logit, x)  # row i: d logit_i / d pixels of x_i
# --8<-- [end:call]
kernel_1, bias_1, kernel_2, _ = model.get_weights()
hidden = np.tanh(images[test][:6] @ kernel_1 + bias_1)
predicted = np.argmax(np.asarray(logits), axis=1)
by_hand = ((1 - hidden**2) * kernel_2[:, predicted].T) @ kernel_1.T  # the chain rule
np.testing.assert_allclose(saliency.numpy(), by_hand, atol=1e-5, rtol=1e-6)

# --8<-- [start:watch]
x_tensor = tf.constant(images[test][:6])  # a tensor, not a tf.Variable
with tf.GradientTape() as tape:
    winning_logit = tf.reduce_max(model(x_tensor), axis=1)
assert tape.gradient(winning_logit, x_tensor) is None  # nothing watched it
with tf.GradientTape() as tape:
    tape.watch(x_tensor)
    winning_logit = tf.reduce_max(model(x_tensor), axis=1)
watched_saliency = tape.gradient(winning_logit, x_tensor)
# --8<-- [end:watch]
np.testing.assert_allclose(watched_saliency, saliency, atol=1e-6, rtol=0)

# --8<-- [start:optimise]
target = 3
x = tf.Variable(tf.zeros((1, 64)))  # the only trainable variable
optimizer = keras.optimizers.Adam(learning_rate=0.05)
for step in range(500):
    with tf.GradientTape() as tape:
        logits = model(x)
        loss = -logits[0, target] + 0.01 * tf.reduce_sum(x**2)  # ascend the logit
    if tf.nn.softmax(logits)[0, target] > 0.99:
        break
    optimizer.apply_gradients([(tape.gradient(loss, x), x)])
    x.assign(tf.clip_by_value(x, 0.0, 1.0))  # pixels stay where images have them
# --8<-- [end:optimise]
probabilities = tf.nn.softmax(model(x))[0].numpy()
assert np.argmax(probabilities) == target and probabilities[target] > 0.99
assert np.array_equal(x.numpy(), np.clip(x.numpy(), 0, 1))
