"""What a source's text values may hold, above all those its login sends: each
value goes out in a request's header or address (login.py), where a line break
would end the header (http.client then refuses it, quoting the value: a secret) and
only ASCII is carried reliably.

config.py names the mistake under its key when a source is saved or tried;
secrets.py takes out of the config only a secret with none, so that the validator
sees, and names, the others.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester.config_keys import SECRET_KEYS
from ckanext.vndata.lib import text

# Keys whose values go out in a request's headers or address (login.py).
SENT_AS_HEADERS = frozenset(
    ("auth_header", "basic_user", "basic_password", "api_key", "api_key_header",
     "api_key_param", "client_secret")
)  # fmt: skip
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Keys sent as a header's name or value as they are: http.client writes those in
# Latin-1, and an HTTP header carries no other characters reliably (a login in UTF-8
# is base64 written out, basic_user and basic_password).
RAW_HEADERS = frozenset(("auth_header", "api_key_header", "api_key"))


def problem(key: str, value: Any) -> str | None:
    """What is wrong with the text value of ``key``, in the user's language; None
    when nothing is."""
    if not (isinstance(value, str) and text.can_store(value)):
        # A lone surrogate (JSON may carry one) can be neither stored nor sent.
        return tk._("{key} must be text.").format(key=key)
    if key in RAW_HEADERS and not value.isascii():
        return tk._(
            "{key} is sent in a request header and may hold only Latin letters, "
            "digits and punctuation."
        ).format(key=key)
    # A secret is kept stripped (secrets.take): a line break pasted at its end is
    # no mistake.
    kept = value.strip() if key in SECRET_KEYS else value
    if key in SENT_AS_HEADERS and CONTROL.search(kept):
        return tk._("{key} must be one line, without control characters.").format(
            key=key
        )
    return None
