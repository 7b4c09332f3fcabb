"""Put the installed versions of the libraries the site explains into `config.extra`.

`overrides/main.html` prints them on every page as "Verified with ...". The versions are
read from package metadata, which costs nothing: no library is imported.
"""
import importlib.metadata

# Display name -> distribution name, in the order the stamp shows them.
VERIFIED_LIBRARIES = {
    "TensorFlow": "tensorflow",
    "Keras": "keras",
    "PyTorch": "torch",
    "NumPy": "numpy",
}


def on_config(config):
    config.extra["verified_with"] = {
        name: importlib.metadata.version(distribution)
        for name, distribution in VERIFIED_LIBRARIES.items()
    }
    return config
