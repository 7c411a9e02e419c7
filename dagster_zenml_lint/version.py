"""The tool's version: one place, below every layer (SARIF output and the cache key read it)."""

__version__ = "0.1.0"
