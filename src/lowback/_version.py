"""The package version, kept apart so that the build backend can read it."""

__version__ = "0.1.0.dev0"
