"""The one error of the analytics layer that commands turn into a clean message (exit status 1, no traceback).

It lives on its own so that every insight module can raise it without importing the dataset loader (which imports
the live extractor, which must not import the loader back)."""

from __future__ import annotations


class DatasetError(Exception):
    """A dataset is missing, malformed or cannot be built; the message says what to do."""
