"""Search documents built during a harvest import and sent to Solr together.

CKAN's ``index_package`` builds a dataset's document and sends it to Solr in one
method, one request per dataset, with no hook between the two (the permission labels
are added after every plugin's ``before_dataset_index``). While a document is built
(``collecting``), the connection it makes is ours and keeps the document; outside,
it is CKAN's own. The documents of a batch then go to Solr in one request (``post``),
after a check that each still is its dataset as the database has it
(``out_of_date``): a document waits in a consumer until its batch, and the dataset
may be written, made private, moved or purged meanwhile by another process.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
import threading
from collections.abc import Iterator

from ckan import model
from ckan.lib.search import index as ckan_index
from ckan.lib.search.common import make_connection

log = logging.getLogger(__name__)

# Where index_package's document goes instead of Solr while one is built, or None.
_into: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "vndata_index_documents", default=None
)
# The columns a document is checked against before it is sent: a write, a withdrawal,
# a change of visibility or organization since it was built make it out of date.
_CHECKED = ("state", "private", "owner_org")


class _Collected:
    """What CKAN's index_package takes for its Solr connection while a document is
    built: the document is kept, not sent. Anything else (the removal of a dataset
    withdrawn, with ``ckan.search.remove_deleted_packages``) goes to Solr at once."""

    def __init__(self, into: dict, *args, **kwargs) -> None:
        self._into = into
        self._solr = make_connection(*args, **kwargs)

    def add(self, docs, commit=False, **_kwargs) -> None:
        for doc in docs:
            self._into[doc["id"]] = doc

    def __getattr__(self, name: str):
        return getattr(self._solr, name)


def _connection(*args, **kwargs):
    into = _into.get()
    if into is None:
        return make_connection(*args, **kwargs)
    return _Collected(into, *args, **kwargs)


_connection.vndata_collecting = True  # installed once


def vndata_install_collecting_connection() -> None:
    """CKAN's index module makes its Solr connections through ours (module-level
    name, looked up at each call: no setting offers this)."""
    if not getattr(ckan_index.make_connection, "vndata_collecting", False):
        ckan_index.make_connection = _connection


@contextlib.contextmanager
def collecting(into: dict) -> Iterator[None]:
    """Documents index_package builds in this block go into ``into``, by id."""
    token = _into.set(into)
    try:
        yield
    finally:
        _into.reset(token)


class Pending:
    """A consumer's documents built and not sent yet, by dataset id. A lock guards
    taking them all: a document put meanwhile waits for the next take."""

    def __init__(self) -> None:
        self._documents: dict[str, dict] = {}
        self._lock = threading.Lock()

    def __setitem__(self, package_id: str, document: dict) -> None:
        with self._lock:
            self._documents[package_id] = document

    def get(self, package_id: str) -> dict | None:
        return self._documents.get(package_id)

    def discard(self, package_id: str | None) -> None:
        with self._lock:
            self._documents.pop(package_id, None)

    def take_all(self) -> dict[str, dict]:
        with self._lock:
            documents, self._documents = self._documents, {}
        return documents

    def __len__(self) -> int:
        return len(self._documents)


def same_time(document_value: object, stored: datetime.datetime | None) -> bool:
    """Solr and CKAN's document keep milliseconds (``...46.97Z``); the database
    microseconds."""
    if not isinstance(document_value, str) or stored is None:
        return False
    try:
        built = datetime.datetime.fromisoformat(document_value.replace("Z", "+00:00"))
    except ValueError:
        return False
    built = built.replace(tzinfo=None)
    return abs(built - stored) < datetime.timedelta(milliseconds=1)


def out_of_date(documents: dict[str, dict]) -> tuple[set[str], set[str]]:
    """Of these documents, (those whose dataset is gone: purged, or its write rolled
    back; those whose dataset changed since they were built)."""
    if not documents:
        return set(), set()
    rows = model.Session.query(
        model.Package.id,
        model.Package.metadata_modified,
        *(getattr(model.Package, column) for column in _CHECKED),
    ).filter(model.Package.id.in_(list(documents)))
    changed = set()
    found = set()
    for row in rows:
        found.add(row.id)
        document = documents[row.id]
        if not same_time(document.get("metadata_modified"), row.metadata_modified):
            changed.add(row.id)
        elif any(document.get(column) != getattr(row, column) for column in _CHECKED):
            changed.add(row.id)
    return set(documents) - found, changed


def post(documents: list[dict]) -> set[str]:
    """Send documents to Solr in one request, the commit left to the caller. Should
    Solr refuse the request (one document it cannot take refuses them all), each
    goes alone. Returns the ids of those not sent."""
    if not documents:
        return set()
    try:
        make_connection().add(docs=documents, commit=False)
        return set()
    except Exception as error:  # noqa: BLE001 - each document alone, below
        # Not the error's text: it may quote the Solr URL, with its password.
        log.warning(
            "%d index documents refused together (%s): sent one by one",
            len(documents),
            type(error).__name__,
        )
    failed = set()
    for document in documents:
        try:
            make_connection().add(docs=[document], commit=False)
        except Exception as error:  # noqa: BLE001 - its dataset is retried
            log.error(
                "Dataset %s not indexed: %s", document.get("id"), type(error).__name__
            )
            failed.add(document["id"])
    return failed


def search_reachable() -> bool:
    """Whether Solr answers a query at all (a refused document is not Solr down)."""
    try:
        make_connection().search(q="*:*", rows=0)
    except Exception:  # noqa: BLE001 - down, whatever the reason
        return False
    return True
