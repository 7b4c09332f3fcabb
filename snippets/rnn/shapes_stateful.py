"""A stateful LSTM in Keras 3: a fixed batch size; row k of a batch continues row k."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:model]
batch_size, timesteps, features, units = 2, 4, 1, 3
stateful_lstm = keras.layers.LSTM(
    units, stateful=True, return_sequences=True)
model = keras.Sequential([
    keras.Input(batch_shape=(batch_size, timesteps, features)),
    stateful_lstm,
])
# --8<-- [end:model]
# --8<-- [start:state_variables]
state_shapes = [tuple(state.shape) for state in stateful_lstm.states]
assert state_shapes == [(batch_size, units), (batch_size, units)]  # h, c
# --8<-- [end:state_variables]

# --8<-- [start:continues]
# Two long sequences (one per row), each cut into 3 consecutive chunks.
size = (batch_size, 3 * timesteps, features)
streams = rng.normal(size=size).astype("float32")
chunks = np.split(streams, 3, axis=1)
stateful_output = np.concatenate([model(chunk) for chunk in chunks], axis=1)

stateless = keras.layers.LSTM(units, return_sequences=True)
stateless.build(streams.shape)
stateless.set_weights(stateful_lstm.get_weights())
np.testing.assert_allclose(stateful_output, stateless(streams), atol=1e-6)
# --8<-- [end:continues]

# --8<-- [start:reset]
stateful_lstm.reset_state()  # zeros: the next batch starts new sequences
first_chunk_again = model(chunks[0])
np.testing.assert_allclose(
    first_chunk_again, stateful_output[:, :timesteps], atol=1e-6)
# --8<-- [end:reset]


# --8<-- [start:reset_model]
def reset_model_state(model):
    """What Keras 2's model.reset_states() did: zero every stateful layer."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            reset_model_state(layer)
        elif getattr(layer, "stateful", False):
            layer.reset_state()


model(chunks[0])
reset_model_state(model)
assert not any(np.asarray(state).any() for state in stateful_lstm.states)
# --8<-- [end:reset_model]

# --8<-- [start:out_of_order]
stateful_lstm.reset_state()
shuffled = np.concatenate([model(chunks[k]) for k in (1, 0, 2)], axis=1)
last = slice(-timesteps, None)  # the last chunk, fed last both times
assert np.abs(shuffled[:, last] - stateful_output[:, last]).min() > 0
# --8<-- [end:out_of_order]

# --8<-- [start:partial_batch]
samples = rng.normal(size=(5, timesteps, features)).astype("float32")
targets = rng.normal(size=(5, timesteps, units)).astype("float32")
model.compile(optimizer="sgd", loss="mse")
history = model.fit(samples, targets, batch_size=batch_size,
                    shuffle=False, epochs=1, verbose=0)  # raises nothing
stateful_lstm.reset_state()
predictions = model.predict(samples, batch_size=batch_size, verbose=0)
assert len(history.history["loss"]) == 1
assert len(samples) == 5 and len(predictions) == 6
# --8<-- [end:partial_batch]

# --8<-- [start:extra_row]
stateful_lstm.reset_state()
first_four = np.concatenate([model(samples[0:2]), model(samples[2:4])])
h_rows, c_rows = (np.asarray(state) for state in stateful_lstm.states)
stateless.set_weights(stateful_lstm.get_weights())
np.testing.assert_allclose(predictions[:4], first_four, atol=1e-6)
# Rows 5 and 6: the last sample, run from each row of the state.
last_sample_twice = np.repeat(samples[4:], batch_size, axis=0)
from_each_row = stateless(last_sample_twice, initial_state=[h_rows, c_rows])
np.testing.assert_allclose(predictions[4:], from_each_row, atol=1e-6)
# --8<-- [end:extra_row]

# --8<-- [start:direct_call]
try:
    model(samples[4:])  # the lone last sample, called directly
except ValueError as error:
    direct_call_error = str(error)
expected = f"- Expected batch size: {batch_size}\n- Received batch size: 1"
assert expected in direct_call_error
# --8<-- [end:direct_call]

# --8<-- [start:trim]
whole_batches = len(samples) // batch_size * batch_size
stateful_lstm.reset_state()
trimmed = model.predict(
    samples[:whole_batches], batch_size=batch_size, verbose=0)
assert len(trimmed) == whole_batches == 4
# --8<-- [end:trim]
