from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "data" / "tiny"
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def recall_check():
    """``tools/recall_check.py`` as a module (the recall tests measure the graph with it)."""
    if "recall_check" not in sys.modules:
        spec = importlib.util.spec_from_file_location("recall_check", ROOT / "tools" / "recall_check.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["recall_check"] = module  # dataclasses look their module up while the file runs
        spec.loader.exec_module(module)
    return sys.modules["recall_check"]
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture
def tiny(tmp_path: Path):
    """A factory: a fresh copy of the tiny seeds, optionally with one file's text changed.

    ``tiny()`` returns the folder; ``tiny("relations/mechanism.yaml", old, new)`` first
    replaces ``old`` by ``new`` in that file (which must contain ``old``).
    """
    root = tmp_path / "seeds"
    shutil.copytree(TINY, root)

    def make(file: str | None = None, old: str | None = None, new: str | None = None) -> Path:
        if file is not None:
            path = root / file
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            if old is None:
                path.write_text(new or "", encoding="utf-8")
            else:
                assert old in text, f"{old!r} not in {file}"
                path.write_text(text.replace(old, new or "", 1), encoding="utf-8")
        return root

    return make

# --------------------------------------------------------------------------- the cache of built graphs


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache of built graphs of the test's own (``IMIDGRAPH_CACHE_DIR``), switched on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("IMIDGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("IMIDGRAPH_CACHE", raising=False)
    return folder


@pytest.fixture
def builds(monkeypatch):
    """Counts the graphs really built (validated) from seeds."""
    from imidgraph.embedded import cache as graph_cache

    count = {"n": 0}
    real = graph_cache.cached

    def counting(root, build):
        def counted():
            count["n"] += 1
            return build()

        return real(root, counted)

    monkeypatch.setattr(graph_cache, "cached", counting)
    return count


# --------------------------------------------------------------------------- the order of the tests


def _uses_the_server_itself(item) -> bool:
    """A test that writes to the test server (``neo4j_db``) or works on the server itself (kills,
    restarts, bulk imports, a load that must fail) rather than reading the curated graph."""
    names = getattr(item, "fixturenames", ())
    return "neo4j_db" in names or ("neo4j_server" in names and "loaded" not in names)


def _order(item) -> int:
    """0: in-process (no server), 1: reads the curated graph on the server, 2: uses the server itself."""
    if _uses_the_server_itself(item):
        return 2
    return 1 if item.get_closest_marker("neo4j") else 0


def pytest_collection_modifyitems(config, items):
    """The in-process tests first, then those that read the curated graph on the server, then
    those that use the server itself, each group in its order: the tests that only read share
    one load of the curated graph on a server never restarted under them (see
    :class:`CuratedGraph`); and while the in-process tests run, the server starts and the
    curated graph loads in the background (:func:`_head_start`)."""
    items.sort(key=_order)  # stable: each group keeps the order of collection
    if any(_order(i) for i in items) and _order(items[0]) == 0 and not config.option.collectonly:
        _head_start(load=any(_order(i) == 1 for i in items))


# --------------------------------------------------------------------------- the real Neo4j server
#
# Tests marked ``neo4j`` run against a real Neo4j 5.26 server that this session starts (from
# the Maven Central jars, see imidgraph/neo4j/server/), in its own home and on its own
# ports so that it never touches a server you use. If it cannot start, those tests fail with
# the reason: they are never skipped.

TEST_HOME = os.environ.get("IMIDGRAPH_TEST_NEO4J_HOME") or str(
    Path.home() / ".cache" / "imidgraph" / "neo4j-5.26-test"
)
TEST_BOLT_PORT = int(os.environ.get("IMIDGRAPH_TEST_NEO4J_BOLT_PORT", "17687"))
TEST_HTTP_PORT = int(os.environ.get("IMIDGRAPH_TEST_NEO4J_HTTP_PORT", "17474"))
# the parity tests send this many queries at once: the server works on all its cores while the
# embedded side computes its answers in the test's own thread
SERVER_THREADS = 3


class Neo4jTestServer:
    """The session's server: its connection settings, and a way to restart it after a kill."""

    def __init__(self) -> None:
        self.info = None
        self.started_here = False

    def start(self):
        from imidgraph.neo4j import server as ns

        was_running = ns.status(TEST_HOME).running
        try:
            self.info = ns.start(TEST_HOME, bolt_port=TEST_BOLT_PORT, http_port=TEST_HTTP_PORT)
            if self.writes_its_class_archive_at_exit():
                # a server launched without a class archive writes one when it stops; a kill
                # (or a stop that times out on a busy machine) loses it, and every later start
                # is slower and every stop writes it again: let this one stop finish writing it
                # (however long it takes), so that every later start maps it
                # (the stop of the server module itself: a test may have patched the package's)
                importlib.import_module("imidgraph.neo4j.server.server").stop(TEST_HOME, timeout=600)
                self.info = ns.start(TEST_HOME, bolt_port=TEST_BOLT_PORT, http_port=TEST_HTTP_PORT)
        except ns.Neo4jServerError as e:
            pytest.fail(f"the Neo4j test server could not start: {e}", pytrace=False)
        self.started_here = self.started_here or not was_running
        return self.info

    def writes_its_class_archive_at_exit(self) -> bool:
        """Whether the running server was launched to write its class-data archive at exit
        (see imidgraph/neo4j/server/cds.py)."""
        try:
            args = Path(f"/proc/{self.info.pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return any(arg.startswith(b"-XX:ArchiveClassesAtExit=") for arg in args)

    @property
    def settings(self):
        from imidgraph.neo4j.connect import Settings

        return Settings(uri=self.info.bolt_uri, user=self.info.user, password=self.info.password)

    def env(self) -> dict[str, str]:
        return {
            "NEO4J_URI": self.info.bolt_uri,
            "NEO4J_USERNAME": self.info.user,
            "NEO4J_PASSWORD": self.info.password,
            "NEO4J_DATABASE": "neo4j",
        }

    def kill(self) -> None:
        """SIGKILL the server: no shutdown, no flush (a crash)."""
        os.kill(self.info.pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(self.info.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def neo4j_server():
    from imidgraph.neo4j import server as ns

    _wait_for_the_head_start()
    server, _ = _session_objects()
    server.start()
    yield server
    if server.started_here and not os.environ.get("IMIDGRAPH_TEST_NEO4J_KEEP"):
        ns.stop(TEST_HOME)


def wipe(driver, schema: bool = True) -> None:
    """Empty the database: relationships, nodes, then (with ``schema``) every constraint and index."""
    with driver.session(database="neo4j") as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    if not schema:
        return
    for record in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
        driver.execute_query(f"DROP CONSTRAINT `{record['name']}`")
    for record in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
        driver.execute_query(f"DROP INDEX `{record['name']}`")


@pytest.fixture
def neo4j_db(neo4j_server, curated):
    """A driver to an empty database on the test server (a test that writes: the curated graph
    of the readers is loaded again when a reader next needs it)."""
    from imidgraph.neo4j import connect

    neo4j_server.start()  # again: a test before may have killed it
    curated.spoilt()
    driver = connect.connect(neo4j_server.settings, max_transaction_retry_time=1.0)
    wipe(driver)
    yield driver
    driver.close()


# --------------------------------------------------------------------------- headless Chromium


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, driven by Playwright (see tests/chromium.py)."""
    from .chromium import Chromium

    browser = Chromium()
    yield browser
    browser.close()


class CuratedGraph:
    """The curated graph on the test server, loaded once for every test that only reads it.

    It is loaded again only when the database no longer holds exactly it: after a test that
    writes (``neo4j_db`` says so), or when its load record or its node and relationship counts
    differ from those of the load (a test that wrote without saying so), or after a restart.
    """

    def __init__(self, server: Neo4jTestServer) -> None:
        self.server = server
        self.driver = None
        self.pid = None
        self.counts = None  # (nodes, relationships) right after the load; None: not loaded

    def spoilt(self) -> None:
        self.counts = None

    def _counts(self) -> tuple[int, int]:
        nodes = self.driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
        rels = self.driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
        return nodes, rels

    def _holds_it(self) -> bool:
        from imidgraph.neo4j import record

        if self.counts is None or self._counts() != self.counts:
            return False
        try:
            record.check_graph(self.driver, "neo4j", self.plan.content_hash)
        except record.GraphCheckError:
            return False
        return True

    def get(self):
        from imidgraph.neo4j import connect
        from imidgraph.neo4j.load import load
        from imidgraph.neo4j.plan import LoadPlan
        from imidgraph.validate import load_facts

        info = self.server.start()  # again: a test before may have killed it
        if self.driver is None or info.pid != self.pid:
            self.close()
            self.driver, self.pid = connect.connect(self.server.settings), info.pid
        if not self._holds_it():
            if not hasattr(self, "plan"):
                self.plan = LoadPlan.from_facts(load_facts(SEEDS))
            wipe(self.driver)
            load(self.driver, self.plan)
            self.counts = self._counts()
        return self.driver

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None


# The session's one server and one curated graph. The head start (a thread begun once the tests
# are collected, when in-process tests come before the server's) starts the server and loads the
# curated graph while the in-process tests run; the fixtures then wait for it. It is only a head
# start: what failed in it is done again by the fixture, which then fails the test with the reason.
_SESSION: dict = {}


def _session_objects() -> tuple[Neo4jTestServer, CuratedGraph]:
    if not _SESSION:
        server = Neo4jTestServer()
        _SESSION.update(server=server, curated=CuratedGraph(server))
    return _SESSION["server"], _SESSION["curated"]


def _head_start(load: bool) -> None:
    """Start the server (and, with ``load``, when some test reads it, load the curated graph)
    in a thread."""
    import threading

    server, graph = _session_objects()

    def run():
        try:
            graph.get() if load else server.start()
        except BaseException:  # noqa: BLE001 - done again (and reported) by the fixture
            graph.close()

    thread = _SESSION["head_start"] = threading.Thread(target=run, name="neo4j head start", daemon=True)
    thread.start()


def _wait_for_the_head_start() -> None:
    thread = _SESSION.pop("head_start", None)
    if thread is not None:
        thread.join()


def pytest_sessionfinish(session, exitstatus):
    """A server the head start launched is stopped even when no test asked for it (``-x`` after
    an in-process failure, an interrupt): the fixture stops it otherwise."""
    from imidgraph.neo4j import server as ns

    _wait_for_the_head_start()
    server = _SESSION.get("server")
    if server is not None and server.started_here and not os.environ.get("IMIDGRAPH_TEST_NEO4J_KEEP"):
        ns.stop(TEST_HOME)


@pytest.fixture(scope="session")
def curated(neo4j_server):
    _, graph = _session_objects()
    yield graph
    graph.close()


@pytest.fixture
def loaded(curated):
    """A driver to the test server holding the curated graph (loaded once per session, see
    :class:`CuratedGraph`; its tests only read)."""
    return curated.get()


# --------------------------------------------------------------------------- the curated graph, both backends


@pytest.fixture(scope="module")
def kg():
    """The curated graph, embedded (a module may define its own ``kg``)."""
    from imidgraph.graph import load

    return load(SEEDS)


@pytest.fixture
def loaded_server(loaded):
    """Neo4j, holding the curated graph, as a backend."""
    from imidgraph.neo4j.backend import Neo4jBackend

    return Neo4jBackend(loaded)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request):
    """None (the embedded graph) or the Neo4j backend: a test that takes it runs on both."""
    return None if request.param == "memory" else request.getfixturevalue("loaded_server")
