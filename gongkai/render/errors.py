"""Errors of the render stage: a clear Chinese message, a ValueError so callers can catch it plainly."""
from __future__ import annotations


class RenderError(ValueError):
    "A report cannot be rendered as asked (unknown format, unknown output type, unreadable prose file)."


class AggregateError(ValueError):
    "Subordinate reports cannot be summed into one (different format versions or years, no inputs)."
