"""izinflow: verification of permit application bundles for Indonesian licensing offices."""

__version__ = "0.1.0"
