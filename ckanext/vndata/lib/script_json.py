"""JSON written into a page's ``<script>`` block, for its scripts to read.

``json.dumps`` leaves ``<``, ``>`` and ``&`` as they are: a title holding
``</script>`` would end the block and open a script of its own. Written as ``\\u003c``
and so on they are still the same JSON, and the HTML parser sees none of them.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        # Line ends to JavaScript, not to JSON: kept out of a script's text too.
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def vndata_script_json(data: Any) -> Markup:
    """``data`` as JSON safe to place inside ``<script>…</script>`` as it is."""
    return Markup(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))
