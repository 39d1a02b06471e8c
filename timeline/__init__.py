"""Build a sourced event timeline from YAML into a static website."""

__version__ = "0.1.0"
