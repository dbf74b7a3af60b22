"""The package version: one place, read by the build (pyproject) and by the cache stamp."""

__version__ = "0.1.0"
