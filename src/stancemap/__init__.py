"""stancemap: who stands where on contested issues."""

__version__ = "0.1.0"
