"""Messages declared in one place and translated where they are shown."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction (Babel's default keyword); it is translated with
    ``tk._`` where it is shown, in the language of that request."""
    return message
