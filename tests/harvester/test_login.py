"""A source's login (login.py): what goes with a request to the source, and OAuth 2
tokens kept until they expire and asked for again when refused."""

from __future__ import annotations

import base64
import json

import pytest

from ckanext.vndata.harvester import login

SOURCE = "https://opendata.danang.gov.vn/api/dulieu"
ORIGIN = ("https", "opendata.danang.gov.vn", 443)


@pytest.fixture
def token_endpoint(monkeypatch):
    """A token endpoint that counts its requests; tokens live ``lifetime`` seconds
    on a clock the test moves."""
    now, asked = [1000.0], []
    monkeypatch.setattr(login, "_clock", lambda: now[0])
    monkeypatch.setattr(login, "_tokens", {})

    def post(url, data, headers):
        asked.append((url, data, headers))
        return json.dumps({"access_token": f"t{len(asked)}", "expires_in": 600})

    return post, asked, now


def _basic(header: str) -> str:
    return base64.b64decode(header.split(" ", 1)[1]).decode()


class TestLoginFor:
    def test_no_login_without_one(self):
        assert login.login_for({}, SOURCE, post=None) is None

    def test_basic_is_made_from_the_user_and_password(self):
        made = login.login_for(
            {"basic_user": "cong-quoc-gia", "basic_password": "Mật-khẩu"}, SOURCE, None
        )

        assert made.origin == ORIGIN
        assert _basic(made.headers()["Authorization"]) == "cong-quoc-gia:Mật-khẩu"

    def test_an_api_key_goes_in_its_header_or_its_query_parameter(self):
        header = login.login_for(
            {"api_key": "k", "api_key_header": "X-API-Key"}, SOURCE, None
        )
        query = login.login_for({"api_key": "k", "api_key_param": "key"}, SOURCE, None)

        assert header.headers() == {"X-API-Key": "k"} and header.params() == {}
        assert query.params() == {"key": "k"} and query.headers() == {}
        assert header.header_names() == {"Authorization", "X-API-Key"}

    def test_a_login_for_an_address_that_is_not_http_is_none(self):
        assert login.login_for({"auth_header": "Bearer x"}, "file:///etc", None) is None


class TestOAuthToken:
    CONFIG = {
        "oauth2": {"token_url": "https://lgsp.example.gov.vn/token",
                   "client_id": "cong-quoc-gia", "scope": "dulieu.doc"},
        "client_secret": "bi-mat",
    }  # fmt: skip

    def test_asked_once_with_basic_client_authentication_and_kept(self, token_endpoint):
        post, asked, _now = token_endpoint
        made = login.login_for(self.CONFIG, SOURCE, post)

        assert made.headers() == {"Authorization": "Bearer t1"}
        assert made.headers() == {"Authorization": "Bearer t1"}
        ((url, data, headers),) = asked
        assert url == "https://lgsp.example.gov.vn/token"
        assert data == {"grant_type": "client_credentials", "scope": "dulieu.doc"}
        assert _basic(headers["Authorization"]) == "cong-quoc-gia:bi-mat"
        # Another source's login of the same client shares the token (one process).
        assert login.login_for(self.CONFIG, SOURCE, post).headers()["Authorization"]
        assert len(asked) == 1

    def test_asked_again_shortly_before_it_expires(self, token_endpoint):
        post, asked, now = token_endpoint
        made = login.login_for(self.CONFIG, SOURCE, post)
        made.headers()

        now[0] += 600 - login.EXPIRY_MARGIN - 1
        assert made.headers() == {"Authorization": "Bearer t1"}
        now[0] += 2
        assert made.headers() == {"Authorization": "Bearer t2"}

    def test_a_refused_token_is_replaced(self, token_endpoint):
        post, asked, _now = token_endpoint
        made = login.login_for(self.CONFIG, SOURCE, post)
        made.headers()

        assert made.refresh() is True
        assert made.headers() == {"Authorization": "Bearer t2"}
        assert login.login_for({"auth_header": "x"}, SOURCE, post).refresh() is False

    @pytest.mark.parametrize(
        "answer",
        ["", "[]", '{"token": "x"}', '{"access_token": ""}',
         '{"access_token": 5}', json.dumps({"access_token": "x" * 9000})],
    )  # fmt: skip
    @pytest.mark.usefixtures("with_request_context")
    def test_an_unusable_answer_is_a_clear_failure(self, token_endpoint, answer):
        made = login.login_for(self.CONFIG, SOURCE, lambda *args: answer)

        with pytest.raises(login.LoginFailed, match="token"):
            made.headers()

    @pytest.mark.parametrize(
        "lifetime, kept",
        [("120", 90), (None, 270), (True, 270), (10**9, 86370),
         # Past what float() takes, JSON's NaN and Infinity (json.loads reads them).
         (10**400, 86370), ("9" * 400, 86370), (float("nan"), 270),
         (float("inf"), 86370)],
    )  # fmt: skip
    def test_the_lifetime_given_is_bounded(self, token_endpoint, lifetime, kept):
        _post, _asked, now = token_endpoint
        answer = {"access_token": "t"}
        if lifetime is not None:
            answer["expires_in"] = lifetime
        made = login.login_for(self.CONFIG, SOURCE, lambda *a: json.dumps(answer))
        made.headers()

        (expires,) = [at for _t, at in login._tokens.values()]
        assert expires - now[0] == kept
