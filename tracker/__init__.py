"""tracker: a sourced database of prisoner captures and exchanges."""

__version__ = "0.1.0"
