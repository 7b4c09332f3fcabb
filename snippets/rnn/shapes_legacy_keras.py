"""TF_USE_LEGACY_KERAS=1 makes tf.keras the tf_keras package (Keras 2); `import keras`
stays Keras 3. Checked in fresh Python processes, as TensorFlow reads it on import."""
import os
import subprocess
import sys

# --8<-- [start:legacy]
PROBE = (
    "import tensorflow as tf, keras; "
    "print(tf.keras.layers.LSTM.__module__, keras.layers.LSTM.__module__)"
)


def lstm_modules(legacy):
    """Where tf.keras' LSTM and keras' LSTM come from, in a new Python process."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("TF_USE_LEGACY_KERAS", None)
    if legacy:
        env["TF_USE_LEGACY_KERAS"] = "1"
    run = subprocess.run([sys.executable, "-c", PROBE], env=env,
                         capture_output=True, text=True, check=True)
    return tuple(run.stdout.split()[-2:])


modules = {legacy: lstm_modules(legacy) for legacy in (False, True)}
assert modules[False] == ("keras.src.layers.rnn.lstm", "keras.src.layers.rnn.lstm")
assert modules[True] == ("tf_keras.src.layers.rnn.lstm", "keras.src.layers.rnn.lstm")
# --8<-- [end:legacy]
