"""Whether the record being validated is one a harvester imports.

A harvested record may lack what this portal requires of a dataset entered here (a
description, sectors) or would default (a licence, a language): its source did not
say. For the time of one record's validation and write the harvester's import marks
the record as harvested; its fields may then stay empty, and the harvest policy
(harvester/policy.py) lists each absence on the dataset instead of this portal's
default standing in for the source. Nothing a user sends (form, API) sets the mark:
it lives in the importing thread only.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_importing = contextvars.ContextVar("vndata_importing_harvested", default=False)


@contextlib.contextmanager
def importing_harvested_record() -> Iterator[None]:
    token = _importing.set(True)
    try:
        yield
    finally:
        _importing.reset(token)


def importing() -> bool:
    return _importing.get()
