"""What a source's login values may hold: text PostgreSQL stores, one line, and
ASCII where it goes into a header as it is; a secret's pasted line break at its end
is no mistake (it is kept stripped)."""

from __future__ import annotations

import pytest

from ckanext.vndata.harvester import login_values


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("basic_user", "người-dùng"),  # base64 of its UTF-8: carried
        ("basic_password", "Mật-khẩu-2026"),
        ("client_secret", "bi-mat\n"),  # kept stripped
        ("api_key", "khoa-api-123"),
        ("auth_header", "Bearer abc.def-ghi"),
        ("detail_record", "data\n"),  # not sent: no rule of these
    ],
)
def test_what_a_request_can_carry_has_no_problem(key, value):
    assert login_values.problem(key, value) is None


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("basic_user", "\ud800", "must be text"),
        ("detail_url", "a\x00b", "must be text"),
        ("api_key", 42, "must be text"),
        ("api_key", "khóa", "Latin letters"),
        ("auth_header", "Bearer khóa", "Latin letters"),
        ("api_key_header", "X-Khóa", "Latin letters"),
        ("auth_header", "Bearer a\nX-Injected: 1", "one line"),
        ("api_key_header", "X-Key\n", "one line"),  # not a secret: not stripped
        ("basic_user", "cong\tquoc-gia", "one line"),
    ],
)
def test_each_value_no_request_can_carry_is_named_by_its_key(key, value, said):
    message = login_values.problem(key, value)

    assert message.startswith(key) and said in message
