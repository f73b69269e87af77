"""One demo portal seen from outside: its action API and its web pages, as a user.

A user is named by an API token. CKAN's web views accept the token in the Authorization
header as a login (and exempt that request from the CSRF check, which guards browser
sessions), so the demo fills in the same forms an officer fills in, without scraping a
login page.
"""

from __future__ import annotations

import re

import requests

TIMEOUT = 180  # an Excel upload or a workflow step may take a while on 2 cores


class Refused(RuntimeError):
    """The portal refused what the demo asked (the demo stops, with the reason)."""


class Portal:
    def __init__(
        self,
        url: str,
        token: str,
        user: str = "admin",
        session: requests.Session | None = None,
    ):
        self.url = url.rstrip("/")
        self.token = token
        self.user = user
        # Kept for the users it stands for; a test mounts its app on it.
        self.session = session or requests.Session()

    def call(self, action: str, **data) -> dict | list:
        """Run an action through the API; a refusal stops the demo with its reason."""
        response = self.session.post(
            f"{self.url}/api/3/action/{action}",
            json=data,
            headers={"Authorization": self.token},
            timeout=TIMEOUT,
        )
        try:
            body = response.json()
        except ValueError:
            raise Refused(f"{action}: HTTP {response.status_code}") from None
        if not body.get("success"):
            raise Refused(f"{action} ({self.user}): {body.get('error')}")
        return body["result"]

    def exists(self, action: str, name: str) -> bool:
        response = self.session.get(
            f"{self.url}/api/3/action/{action}",
            params={"id": name},
            headers={"Authorization": self.token},
            timeout=TIMEOUT,
        )
        return response.status_code == 200

    def get(self, path: str) -> requests.Response:
        response = self.session.get(
            self.url + path, headers={"Authorization": self.token}, timeout=TIMEOUT
        )
        if response.status_code != 200:
            raise Refused(f"GET {path} ({self.user}): HTTP {response.status_code}")
        return response

    def post_form(self, path: str, data: dict, files: dict | None = None) -> str:
        """Send a form as the user. Returns the address it leads to (a redirect after
        a save) or, when the page answers itself (a preview), its HTML."""
        response = self.session.post(
            self.url + path,
            data=data,
            files=files,
            headers={"Authorization": self.token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code in (302, 303):
            return response.headers["Location"]
        if response.status_code != 200:
            raise Refused(f"POST {path} ({self.user}): HTTP {response.status_code}")
        return response.text

    def as_user(self, name: str) -> Portal:
        """The portal seen by another user (the demo's sysadmin makes the token)."""
        token = self.call("api_token_create", user=name, name="demo")["token"]
        return Portal(self.url, token, name, self.session)


def hidden_input(html: str, name: str) -> str | None:
    """The value of a page's hidden field (the upload preview's token)."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found.group(1) if found else None


def alerts(html: str) -> str:
    """The error boxes of a page, as text (why a form or an upload was refused)."""
    boxes = re.findall(r'class="alert alert-danger"[^>]*>(.*?)</div>', html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", box) for box in boxes)
    return " ".join(text.split()) or "?"
