"""From one series (n_samples, n_features) to recurrent input: windows, or stateful chunks."""
import keras
import numpy as np


# --8<-- [start:make_windows]
def make_windows(series, timesteps):
    """Every run of `timesteps` rows of `series`, and the row after each.

    (n_samples, n_features) -> (windows, timesteps, n_features), (windows, n_features)
    """
    windows = np.lib.stride_tricks.sliding_window_view(series, timesteps, axis=0)
    windows = windows.swapaxes(1, 2)  # NumPy puts the window axis last
    return windows[:-1], series[timesteps:]  # the last window has no next row
# --8<-- [end:make_windows]


# --8<-- [start:test_windows]
series = np.arange(10 * 2).reshape(10, 2)  # row i is [2i, 2i + 1]
inputs, targets = make_windows(series, timesteps=3)
assert inputs.shape == (7, 3, 2) and targets.shape == (7, 2)
assert np.shares_memory(inputs, series)  # a view of the series: nothing copied
for i in range(len(inputs)):
    np.testing.assert_array_equal(inputs[i], series[i:i + 3])  # rows i to i+2
    np.testing.assert_array_equal(targets[i], series[i + 3])  # the next row
# --8<-- [end:test_windows]

# --8<-- [start:keras_windows]
dataset = keras.utils.timeseries_dataset_from_array(
    series[:-1], targets=series[3:], sequence_length=3, batch_size=100)
((keras_inputs, keras_targets),) = dataset.as_numpy_iterator()
np.testing.assert_array_equal(keras_inputs, inputs)
np.testing.assert_array_equal(keras_targets, targets)
# --8<-- [end:keras_windows]


# --8<-- [start:make_stateful_chunks]
def make_stateful_chunks(series, batch_size, timesteps):
    """`series` as `batch_size` streams of consecutive chunks, laid out so that
    row k of batch n + 1 continues row k of batch n. Rows that do not fill a
    chunk of every stream are dropped."""
    chunks_per_stream = len(series) // (batch_size * timesteps)
    kept = series[: batch_size * chunks_per_stream * timesteps]
    streams = kept.reshape(batch_size, chunks_per_stream, timesteps, -1)
    in_batch_order = streams.swapaxes(0, 1)  # (chunk, stream, timesteps, features)
    return in_batch_order.reshape(-1, timesteps, series.shape[-1])
# --8<-- [end:make_stateful_chunks]


# --8<-- [start:test_stateful_chunks]
long_series = np.arange(26 * 2).reshape(26, 2)  # row i is [2i, 2i + 1]
chunks = make_stateful_chunks(long_series, batch_size=2, timesteps=4)
assert chunks.shape == (6, 4, 2)  # 3 batches of 2; the last 2 rows dropped
batches = chunks.reshape(3, 2, 4, 2)  # (batch, row, timesteps, features)
for n in range(2):
    for k in range(2):  # row k of batch n + 1 starts where row k of n ended
        next_row = batches[n, k, -1] + 2
        np.testing.assert_array_equal(next_row, batches[n + 1, k, 0])
stream_0, stream_1 = batches[:, 0].reshape(-1, 2), batches[:, 1].reshape(-1, 2)
np.testing.assert_array_equal(stream_0, long_series[:12])
np.testing.assert_array_equal(stream_1, long_series[12:24])
# --8<-- [end:test_stateful_chunks]
