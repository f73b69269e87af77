"""Fixtures shared by the whole suite (CKAN's pytest plugin provides the rest).

Three of CKAN's fixtures are overridden here because, used by nearly every test, they
were most of the suite's time (issue 15, part "speed"); each does exactly what CKAN's
does, minus work whose result is already there:

- ``with_plugins`` loads the plugins with one ``update_config`` instead of two, and
  keeps them loaded for the next test that asks for the same plugins and config;
- ``app`` does not load the plugins a second time when ``with_plugins`` just did;
- ``clean_db`` does not re-run plugin migrations that are already at their head.

And the apps share their compiled templates (Jinja's bytecode cache), as the one app of
a real site does: each test's new app compiled each template again.
"""

from __future__ import annotations

import copy
import http.server
import os
import signal
import subprocess
import threading
import time

import jinja2
import pysolr
import pytest
import sqlalchemy as sa
from pytest_factoryboy import register

import ckan.cli
import ckan.config.middleware as ckan_middleware
import ckan.lib.app_globals as app_globals
import ckan.lib.search.common as search_common
import ckan.model as model
import ckan.model.user as ckan_user
import ckan.plugins as p
import ckan.plugins.core as plugins_core
import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import make_flask_stack
from ckan.tests.helpers import CKANTestApp

from ckanext.vndata.plan import report_cache, shipped_roster
from tests import factories, workers

# Before any other conftest is imported (some read the environment then).
workers.apply_environment()


# The plan factories as fixtures, the way CKAN registers its own (pytest-factoryboy
# names the fixtures after the class, hence the subclasses): ``plan_factory``,
# ``phase_factory`` and ``item_factory`` (the factory classes), ``plan``, ``phase``
# and ``item`` (one of each, made with the defaults).
@register
class PlanFactory(factories.Plan):
    pass


@register
class PhaseFactory(factories.Phase):
    pass


@register
class ItemFactory(factories.Item):
    pass


# Plugins that own tables (alembic migrations); clean_db re-creates them after a reset.
PLUGINS_WITH_MIGRATIONS = (
    "activity",
    "harvest",
    "vndata_plan",
    "vndata_harvester",
    "vndata_quality",
)

# The config as ``with_plugins`` left it after loading the plugins (None: not loaded).
_loaded_config: list[dict | None] = [None]
# {plugin: its alembic revisions right after migrating it to head in this session}.
_migration_heads: dict[str, set[str]] = {}


# The plugins ``with_plugins`` left loaded: {"key": (names, the config it started
# from), "config": the config their loading left}. Empty: none kept.
_kept: dict = {}


def _loaded_names() -> list[str]:
    # CKAN keeps the loaded plugins' names in this list and has no public reader of it.
    system = plugins_core.find_system_plugins()
    return [name for name in plugins_core._PLUGINS if name not in system]


def _config_key(config) -> str:
    return repr(sorted((key, repr(value)) for key, value in dict(config).items()))


def _unload_kept() -> None:
    _kept.clear()
    p.unload_non_system_plugins()


# Rounds of the password hash of users made in the tests (see _quick_password_hash).
TEST_HASH_ROUNDS = 1000


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    """What CKAN's pytest plugin does before the tests (the plugins test.ini loaded
    unloaded): in an xdist worker, the worker's own loop answers this hook first and
    CKAN's is never called."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        p.unload_non_system_plugins()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The tests' units of work for pytest-xdist (tests/workers.py), before xdist's
    own hook reads them."""
    if config.pluginmanager.hasplugin("xdist"):
        workers.group(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") == "loadgroup":
        return workers.slow_first_scheduling(config, log)
    return None


@pytest.fixture(autouse=True)
def _signal_handlers_kept():
    """Each test ends with this process's SIGINT and SIGTERM handlers as it began.

    A test that runs CKAN's jobs worker here (``ckan jobs worker --burst`` through the
    CLI runner) leaves rq's handlers installed: a process forked after it (a
    multiprocessing pool's workers) took the pool's SIGTERM for a warm shutdown, kept
    waiting on the pool's queue, and the pool, and the suite, never ended.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    kept = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)
    }
    yield
    for number, handler in kept.items():
        if handler is not None and signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hash():
    """Users' passwords hashed with fewer pbkdf2 rounds in this process.

    CKAN hashes each new user's password with 25,000 rounds of pbkdf2-sha512 (about
    20 ms, more on a loaded machine), and most tests make a user or two through the
    factories: minutes of the suite spent on a cost meant to slow down attackers. The
    hash is the same scheme with a lower count (its rounds are stored in it, so a
    served portal still checks these passwords, and CKAN's login upgrades them there
    to its own count as it does any older hash); logins in this process keep it.
    """
    with pytest.MonkeyPatch.context() as patch:
        quick = ckan_user.pbkdf2_sha512.using(rounds=TEST_HASH_ROUNDS)
        patch.setattr(ckan_user, "pbkdf2_sha512", quick)
        yield


@pytest.fixture(scope="session", autouse=True)
def _soft_search_commits():
    """Each dataset write's Solr commit made soft in this process.

    CKAN indexes each written dataset with ``commit=true`` (its default
    ``ckan.search.solr_commit``): a hard commit, which flushes and syncs the index
    files to disk, and most tests write datasets. What a test reads is the same
    after a soft commit (the write is visible to every search from then on);
    durability across a crash of Solr is Solr's update log's and autoCommit's, as
    on a site that leaves commits to Solr, and no test here crashes the test core.
    Explicit commits (``<commit/>``) stay as they are; processes a test starts
    (servers, consumers) keep CKAN's way.
    """
    update = pysolr.Solr._update

    def soft(self, message, *args, commit=None, softCommit=False, **kwargs):  # noqa: N803
        if commit and not str(message).startswith("<commit"):
            commit, softCommit = False, True
        kwargs.update(commit=commit, softCommit=softCommit)
        return update(self, message, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pysolr.Solr, "_update", soft)
        yield


@pytest.fixture
def with_plugins(ckan_config):
    """CKAN's ``with_plugins``: the plugins of ``ckan.plugins`` loaded, config updated.

    Loading them is most of a short test's time (every IConfigurer's update_config, and
    CKAN's ``add_template_directory`` inspects the whole call stack each time). The
    plugins of the previous test are kept when this test asks for the same plugins with
    the same config: their loading would give the same config, which is put back (the
    ``ckan_config`` fixture restored the one before loading), and the registries it
    fills (actions, helpers, package plugins, assets) still hold them. Any difference,
    a test that loaded or unloaded a plugin itself, or a test without this fixture
    (``_plugins_only_where_asked``) ends the reuse: CKAN's way again.

    CKAN's ``load_all`` unloads every plugin, the always-loaded system plugin too
    (``synchronous_search``, stateless), and updates the config, then loads them all and
    updates it again. After an unload only the system plugin is loaded, so loading the
    others is enough: same plugins, each a new instance, and the same config (checked
    when this was written: the two configs were equal).
    """
    names = tk.aslist(ckan_config.get("ckan.plugins"))
    key = (tuple(names), _config_key(ckan_config))
    if _kept.get("key") == key and _loaded_names() == names:
        ckan_config.clear()
        ckan_config.update(copy.deepcopy(_kept["config"]))
    else:
        _unload_kept()  # another set, or a test left some loaded (app without us)
        missing = [name for name in names if not p.plugin_loaded(name)]
        if missing:
            p.load(*missing)
        else:
            p.load_all()  # nothing to load: CKAN's way, so the config is still updated
        _kept.update(key=key, config=copy.deepcopy(dict(ckan_config)))
    _loaded_config[0] = copy.deepcopy(dict(ckan_config))
    yield
    _loaded_config[0] = None
    if _loaded_names() != names:
        _unload_kept()


@pytest.fixture(autouse=True)
def _plugins_only_where_asked(request):
    """A test without ``with_plugins`` starts with no plugin loaded, as with CKAN's."""
    if _kept and "with_plugins" not in request.fixturenames:
        _unload_kept()


@pytest.fixture
def app(request, make_app):
    """CKAN's ``app``, without loading the plugins again when ``with_plugins`` has.

    CKAN's ``make_app`` runs ``load_environment``, which loads every plugin again (two
    more config updates) before building the Flask app. When ``with_plugins`` has
    loaded them and the config is still the one it left, that reload gives the same
    plugins and config, so only its other steps are done here, as CKAN does them:
    the site user, the app globals, the Flask stack and the test request context.
    """
    if "with_plugins" in request.fixturenames:
        request.getfixturevalue("with_plugins")
    # The app reads the site user: on a fresh database (a file run alone, or -k)
    # the first test may need the tables that clean_db would have made.
    if not sa.inspect(model.meta.engine).has_table("user"):
        request.getfixturevalue("reset_site")()
    if _loaded_config[0] is None or dict(tk.config) != _loaded_config[0]:
        test_app = make_app()  # something changed the config since: CKAN's full way
    else:
        tk.get_action("get_site_user")({"ignore_auth": True}, {})
        model.Session.remove()
        app_globals.reset()
        stack = make_flask_stack(tk.config)
        ckan_middleware._internal_test_request_context = (
            stack._wsgi_app.test_request_context()
        )
        test_app = CKANTestApp(stack)
    jinja_env = test_app.flask_app.jinja_env
    searchpath = tuple(jinja_env.loader.searchpath)
    jinja_env.bytecode_cache = _compiled_templates.setdefault(
        searchpath, _CompiledTemplates()
    )
    return test_app


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by earlier apps, for apps with the same template path.

    Per search path because CKAN's ``ckan_extends`` compiles the template's place in
    it into the code; Jinja checks each template's source against its checksum.
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


# {template search path: its compiled templates}
_compiled_templates: dict[tuple[str, ...], _CompiledTemplates] = {}


@pytest.fixture
def cli(cli, monkeypatch):
    """CKAN's runner, minus the logging set-up each `ckan` command repeats.

    CKAN's CLI calls logging.config.fileConfig on every invocation, which binds
    the console handler to the runner's captured stderr: log records of other
    libraries (ckanext-harvest logs each job at INFO) then land in what the
    command said, or not, depending on what ran before in the session (it broke
    CI once). The suite's logging is configured once, by CKAN's pytest plugin.
    """
    monkeypatch.setattr(ckan.cli, "loggingFileConfig", lambda *args, **kwargs: None)
    return cli


@pytest.fixture(scope="session")
def reset_site(reset_db, migrate_db_for):
    """What ``clean_db`` does, callable again inside a test: an empty database with
    every loaded plugin's tables at their head.

    CKAN's ``reset_db`` resets the core schema only; plugin tables must come back too.
    It empties the tables and keeps them (it drops them only the first time or after a
    test dropped some), so a plugin whose revisions are still the ones it had right
    after its migration to head is not migrated again: alembic would find nothing to
    do, after loading its scripts (about 0.15 s a plugin, every test).
    """

    def reset():
        if not _emptied_in_place():
            reset_db()  # first reset of the session: CKAN drops and migrates
        for plugin in PLUGINS_WITH_MIGRATIONS:
            if not p.plugin_loaded(plugin):
                continue
            revisions = _revisions(plugin)
            if revisions is None or revisions != _migration_heads.get(plugin):
                migrate_db_for(plugin)
                _migration_heads[plugin] = _revisions(plugin)
        # reset_db empties every table CKAN's metadata knows, ours too, and the roster
        # of obliged bodies is filled by its migration, which is not run again: the
        # shipped roster comes back as on a new site.
        if p.plugin_loaded("vndata_plan"):
            with model.meta.engine.begin() as connection:
                shipped_roster.seed(connection)
        # A new site: no evaluation of the national report is reused from another test
        # (one that patched what the report reads, with the tables left as they were).
        report_cache.clear()
        _keep_a_pooled_engine()

    return reset


@pytest.fixture
def clean_db(reset_site):
    """An empty database with the plugin tables (see ``reset_site``).

    List ``with_plugins`` before ``clean_db`` so the plugins are loaded at this point.
    """
    reset_site()


def _emptied_in_place() -> bool:
    """CKAN's ``delete_all`` (what ``reset_db`` does once the tables exist), with the
    same result in three round trips: it asked PostgreSQL whether each of the ~70
    tables of the metadata exists and deleted from each, most of them empty, two
    queries a table for every test. Here one query lists the tables that have rows
    and one statement deletes from those, in the same order (dependants first).
    False when CKAN's way is needed: the first reset of a session (it drops every
    table and migrates, and then knows the tables are there).
    """
    if not model.repo.tables_created_and_initialised:
        return False
    model.Session.close_all()  # as CKAN's reset_db: no session left holding a lock
    tables = [
        table
        for table in reversed(model.repo.metadata.sorted_tables)
        if table.name != "alembic_version"  # core's migrations need their version
    ]
    with model.meta.engine.begin() as connection:
        existing = set(sa.inspect(connection).get_table_names())
        tables = [table for table in tables if table.name in existing]
        quote = connection.dialect.identifier_preparer.format_table
        quoted = [quote(table) for table in tables]
        probe = " UNION ALL ".join(
            f"SELECT {number} WHERE EXISTS (SELECT 1 FROM {name})"
            for number, name in enumerate(quoted)
        )
        filled = sorted(row[0] for row in connection.execute(sa.text(probe)))
        if filled:
            connection.exec_driver_sql(
                "; ".join(f"DELETE FROM {quoted[number]}" for number in filled)
            )
    return True


@pytest.fixture(scope="session")
def reset_index():
    """CKAN's ``reset_index`` (the ``clean_index`` fixture's), with one commit.

    CKAN's ``clear_index`` deletes the site's documents with pysolr's default
    ``commit=True`` and then commits again: two hard commits (each flushes the
    index to disk and opens a new searcher) in every test that asks for a clean
    index. One soft commit makes the deletion visible to every searcher the same way
    (Solr's autoCommit makes it durable, as on a real site).
    """

    def reset():
        connection = search_common.make_connection()
        site = tk.config.get("ckan.site_id")
        connection.delete(q=f'+site_id:"{site}"', commit=False)
        connection.commit(softCommit=True)

    return reset


def _keep_a_pooled_engine() -> None:
    """The model on a pooled engine, as CKAN's start-up leaves it.

    CKAN core's alembic env (ckan/migration/env.py) binds the model to the NullPool
    engine it migrates with (``init_model(connectable)``), and the first reset of a
    session runs the core migrations: from then on each transaction of every test
    opened a new PostgreSQL connection (a password exchange and a server process each
    time). Served portals do not run migrations and keep CKAN's pooled engine; so do
    the tests from here on.
    """
    if isinstance(model.meta.engine.pool, sa.pool.NullPool):
        model.init_model(sa.engine_from_config(tk.config, pool_pre_ping=True))


def _revisions(plugin: str) -> set[str] | None:
    """The revisions in the plugin's alembic version table (None: no such table)."""
    table = f"{plugin}_alembic_version"
    with model.meta.engine.connect() as connection:
        if not sa.inspect(connection).has_table(table):
            return None
        rows = connection.execute(sa.text(f'SELECT version_num FROM "{table}"'))
        return {row[0] for row in rows}


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 and its key (Debian's openssl), for
    loopback HTTPS servers."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def catalogue_server():
    """A real HTTP server on 127.0.0.1 playing a provincial portal.

    Set ``.body`` (served for every path), ``.pages`` ({path: body}, 404 elsewhere)
    or ``.respond`` (path -> body or None, for JSON APIs).
    """

    class Handler(http.server.BaseHTTPRequestHandler):
        body = b""
        pages: dict[str, bytes] = {}
        headers_seen: list[dict] = []
        fail_first: int = 0  # answer 503 to that many requests first
        delay: float = 0.0
        content_type = "text/turtle"
        respond = None  # a function of the path that returns the body (JSON APIs)

        def do_GET(self):  # noqa: N802 (http.server's name)
            Handler.headers_seen.append(dict(self.headers))
            if Handler.delay:
                time.sleep(Handler.delay)
            if Handler.fail_first > 0:
                Handler.fail_first -= 1
                self.send_response(503)
                self.end_headers()
                return
            content_type = Handler.content_type
            if Handler.respond is not None:
                body = Handler.respond(self.path)
                content_type = "application/json"
            else:
                body = Handler.pages.get(
                    self.path, None if Handler.pages else Handler.body
                )
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_port}/catalog.ttl"
    server.shutdown()
    server.server_close()


@pytest.fixture
def evaluations(monkeypatch):
    """How many times the national report was evaluated (not taken from
    plan/report_cache.py): the keys it was evaluated for."""
    counted = []
    evaluate = report_cache.evaluated

    def counting(key, work, *options):
        return evaluate(key, lambda: counted.append(key) or work(), *options)

    monkeypatch.setattr(report_cache, "evaluated", counting)
    return counted
