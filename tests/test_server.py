"""The local Neo4j server itself (imidgraph/neo4j/server/): APOC, file and URL access, the password."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
from pathlib import Path

import neo4j
import pytest

from imidgraph.neo4j import connect

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def driver(neo4j_server):
    neo4j_server.start()
    drv = connect.connect(neo4j_server.settings)
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def import_dir(neo4j_server) -> Path:
    """The server's import folder, with a JSON, an XML and a CSV file in it."""
    folder = neo4j_server.info.home / "import"
    (folder / "imidgraph-test.json").write_text(json.dumps({"drug": "lenalidomide", "targets": ["CRBN"]}))
    (folder / "imidgraph-test.xml").write_text('<drug name="pomalidomide"><target>CRBN</target></drug>')
    (folder / "imidgraph-test.csv").write_text("drug,target\niberdomide,CRBN\n")
    return folder


def values(driver, query: str, **params) -> list:
    return [record[0] for record in driver.execute_query(query, params).records]


def refusal(driver, query: str, **params) -> str:
    """The server's message for a query that must fail."""
    with pytest.raises(neo4j.exceptions.ClientError) as info:
        driver.execute_query(query, params)
    return info.value.message


# --------------------------------------------------------------------------- APOC


def test_apoc_core_procedures_that_read_and_convert_work(driver, import_dir):
    from imidgraph.neo4j import server as ns

    assert values(driver, "RETURN apoc.version()") == [ns.APOC_VERSION]
    assert values(driver, "CALL apoc.load.json('file:///imidgraph-test.json') YIELD value RETURN value") == [
        {"drug": "lenalidomide", "targets": ["CRBN"]}
    ]
    assert values(driver, "CALL apoc.load.json('imidgraph-test.json', '$.targets') YIELD value RETURN value") == [
        {"result": ["CRBN"]}
    ]
    xml = values(driver, "CALL apoc.load.xml('file:///imidgraph-test.xml') YIELD value RETURN value")
    assert xml == [{"_type": "drug", "name": "pomalidomide", "_children": [{"_type": "target", "_text": "CRBN"}]}]
    assert values(driver, "RETURN apoc.convert.fromJsonMap($s)", s='{"a": [1, 2]}') == [{"a": [1, 2]}]
    assert values(driver, "RETURN apoc.convert.fromJsonList('[1, \"x\"]')") == [[1, "x"]]
    assert json.loads(values(driver, "RETURN apoc.convert.toJson({a: 1, b: [true]})")[0]) == {"a": 1, "b": [True]}
    assert values(driver, "RETURN apoc.xml.parse('<a b=\"1\"/>')") == [{"_type": "a", "b": "1"}]
    assert values(driver, "RETURN apoc.coll.sum([1, 2, 3.5])") == [6.5]
    assert values(driver, "RETURN apoc.text.join(['a', 'b'], '-')") == ["a-b"]


# --------------------------------------------------------------------------- files and URLs


def test_files_are_read_only_from_the_import_folder(driver, import_dir):
    rows = values(driver, "LOAD CSV WITH HEADERS FROM 'file:///imidgraph-test.csv' AS row RETURN row")
    assert rows == [{"drug": "iberdomide", "target": "CRBN"}]
    outside = ["file:///etc/passwd", "file:///../../../../../etc/passwd", "file:///../password"]
    for url in outside:
        assert "Couldn't load the external resource" in refusal(driver, "LOAD CSV FROM $u AS r RETURN r", u=url)
        message = refusal(driver, "CALL apoc.load.json($u) YIELD value RETURN value", u=url)
        assert "Cannot open file" in message or "outside the import directory" in message, message
        assert str(import_dir) in message or "outside" in message, message
    for path in ["/etc/passwd", "../password"]:
        message = refusal(driver, "CALL apoc.load.json($u) YIELD value RETURN value", u=path)
        assert "Cannot open file" in message or "outside the import directory" in message, message
    message = refusal(driver, "CALL apoc.export.json.all('imidgraph-test-out.json', {})")
    assert "Export to files not enabled" in message
    assert not (import_dir / "imidgraph-test-out.json").exists()


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server name)
        self.requests.append(self.path)
        body = b'{"a": 1}' if self.path.endswith(".json") else b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _RecordingServer(http.server.ThreadingHTTPServer):
    connections: list = []

    def verify_request(self, request, client_address) -> bool:
        self.connections.append(client_address)  # every TCP connection, HTTP or not
        return True


@pytest.fixture
def web():
    """A tiny HTTP server on 127.0.0.1 that records the connections and requests it gets."""
    _Recorder.requests = []
    server = _RecordingServer(("127.0.0.1", 0), _Recorder)
    server.connections = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], server.connections, _Recorder.requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_no_query_reaches_a_url(driver, web):
    port, connections, requests = web
    blocked = "is blocked via the configuration property internal.dbms.cypher_ip_blocklist"
    for host in ["127.0.0.1", "localhost", "[::1]"]:
        base = f"http://{host}:{port}"
        assert blocked in refusal(driver, "LOAD CSV FROM $u AS r RETURN r", u=f"{base}/x.csv")
        for proc in ["apoc.load.json", "apoc.load.jsonArray", "apoc.load.xml"]:
            message = refusal(driver, f"CALL {proc}($u) YIELD value RETURN value", u=f"{base}/x.json")
            assert blocked in message, (proc, message)
        assert blocked in refusal(driver, "CALL apoc.import.json($u)", u=f"{base}/x.json")
    for scheme in ["https", "ftp"]:
        url = f"{scheme}://127.0.0.1:{port}/x.csv"
        assert blocked in refusal(driver, "LOAD CSV FROM $u AS r RETURN r", u=url)
        assert blocked in refusal(driver, "CALL apoc.load.json($u) YIELD value RETURN value", u=url)
    for url in [f"hdfs://127.0.0.1:{port}/x.json", f"jar:http://127.0.0.1:{port}/x.jar!/x.json"]:
        refusal(driver, "LOAD CSV FROM $u AS r RETURN r", u=url)
        refusal(driver, "CALL apoc.load.json($u) YIELD value RETURN value", u=url)
    assert (connections, requests) == ([], [])


# --------------------------------------------------------------------------- the password


def _cmdlines() -> dict[int, bytes]:
    seen = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                seen[int(proc.name)] = (proc / "cmdline").read_bytes()
    return seen


@pytest.fixture(scope="module")
def fresh(neo4j_server, tmp_path_factory):
    """A second server in a new home (the test server's jars), started for the first time with
    a generated password, while every process's command line is read every 20 ms."""
    from imidgraph.neo4j import server as ns

    from .conftest import TEST_BOLT_PORT, TEST_HOME, TEST_HTTP_PORT

    home = tmp_path_factory.mktemp("fresh-server")
    for name in ("lib", "plugins"):
        (home / name).symlink_to(Path(TEST_HOME) / name)
    (home / "install.json").write_bytes((Path(TEST_HOME) / "install.json").read_bytes())

    seen: list[bytes] = []
    done = threading.Event()

    def scan():
        while not done.is_set():
            seen.extend(_cmdlines().values())
            done.wait(0.02)

    scanner = threading.Thread(target=scan, daemon=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NEO4J_PASSWORD", raising=False)
        mp.setenv("IMIDGRAPH_NEO4J_HEAP", "384m")
        scanner.start()
        try:
            info = ns.start(home, bolt_port=TEST_BOLT_PORT + 10, http_port=TEST_HTTP_PORT + 10)
        finally:
            done.set()
            scanner.join()
    try:
        yield info, seen
    finally:
        ns.stop(home)


@pytest.mark.parametrize("password", ["-Xk3vQ9_generated", "--help-me-now", "--verbose", 'a "quoted" \\ one'])
def test_a_password_that_looks_like_an_option_is_set_as_the_password(neo4j_server, tmp_path, password):
    """token_urlsafe starts one password in 64 with '-': the admin tool must not read it as an option."""
    from imidgraph.neo4j.server import auth, process

    from .conftest import TEST_HOME

    (tmp_path / "lib").symlink_to(Path(TEST_HOME) / "lib")
    auth.set_initial_password(tmp_path, process.find_java(), password)
    assert (tmp_path / "password").read_text() == password + "\n"
    assert (tmp_path / "data" / "dbms" / "auth.ini").is_file()


def test_the_generated_password_is_on_no_command_line_and_its_files_are_private(fresh):
    info, seen = fresh
    assert info.password == (info.home / "password").read_text().strip()
    assert any(b"set-initial-password" in line for line in seen)  # the scan saw the admin tool
    assert not [line for line in seen if info.password.encode() in line]
    assert not [line for line in _cmdlines().values() if info.password.encode() in line]
    environ = Path(f"/proc/{info.pid}/environ").read_bytes().split(b"\0")
    assert not [v for v in environ if info.password.encode() in v or v.startswith(b"NEO4J_PASSWORD=")]
    auth_files = list((info.home / "data" / "dbms").glob("auth*"))
    assert auth_files
    for path in [info.home / "password", *auth_files]:
        assert oct(path.stat().st_mode & 0o777) == oct(0o600), path
    assert not list((info.home / "run").glob("*.args"))
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as drv:
        drv.verify_connectivity()


def test_start_on_a_running_server_never_changes_its_password(fresh, monkeypatch):
    from imidgraph.neo4j import server as ns

    info, _ = fresh
    file = info.home / "password"
    before = file.read_bytes()
    monkeypatch.setenv("NEO4J_PASSWORD", "another-password-42")
    with pytest.raises(ns.Neo4jServerError) as error:
        ns.start(info.home)
    assert "\n" not in str(error.value)
    assert "is running with another password" in str(error.value)
    assert file.read_bytes() == before
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as drv:
        drv.verify_connectivity()
    wrong = neo4j.GraphDatabase.driver(info.bolt_uri, auth=("neo4j", "another-password-42"))
    with wrong, pytest.raises(neo4j.exceptions.AuthError):
        wrong.verify_connectivity()
    monkeypatch.setenv("NEO4J_PASSWORD", info.password)
    again = ns.start(info.home)
    assert (again.pid, again.password) == (info.pid, info.password)
    assert file.read_bytes() == before


def test_a_setting_of_the_users_extra_conf_replaces_ours(tmp_path):
    """Neo4j refuses a setting declared twice: the user's line wins, ours goes."""
    from imidgraph.neo4j.server import config

    (tmp_path / "neo4j-extra.conf").write_text("# bigger\nserver.memory.pagecache.size=2g\ndb.logs.query.enabled=OFF\n")
    config.write_conf(tmp_path, 7687, 7474)
    lines = (tmp_path / "conf" / "neo4j.conf").read_text().splitlines()
    assert [ln for ln in lines if ln.startswith("server.memory.pagecache.size")] == ["server.memory.pagecache.size=2g"]
    assert "db.logs.query.enabled=OFF" in lines and "server.bolt.listen_address=127.0.0.1:7687" in lines


# --------------------------------------------------------------------------- class-data sharing


def test_the_first_stop_keeps_a_class_archive_and_the_next_start_maps_it(fresh, monkeypatch):
    """The fresh home's first start wrote no archive yet (it asked the JVM for one at exit);
    its stop keeps it; the next start maps exactly that file."""
    from imidgraph.neo4j import server as ns
    from imidgraph.neo4j.server import cds

    from .conftest import TEST_BOLT_PORT, TEST_HTTP_PORT

    info, _ = fresh
    folder = info.home / cds.FOLDER
    first = (Path(f"/proc/{info.pid}/cmdline").read_bytes()).split(b"\0")
    assert any(arg.startswith(b"-XX:ArchiveClassesAtExit=" + bytes(folder)) for arg in first)
    assert not list(folder.glob("*.jsa"))
    monkeypatch.setenv("NEO4J_PASSWORD", info.password)
    monkeypatch.setenv("IMIDGRAPH_NEO4J_HEAP", "384m")
    assert ns.stop(info.home)
    (archive,) = folder.glob("*.jsa")
    assert archive.suffix == ".jsa" and archive.stat().st_size > 10_000_000
    again = ns.start(info.home, bolt_port=TEST_BOLT_PORT + 10, http_port=TEST_HTTP_PORT + 10)
    try:
        args = Path(f"/proc/{again.pid}/cmdline").read_bytes().split(b"\0")
        assert f"-XX:SharedArchiveFile={archive}".encode() in args
        assert str(archive) in Path(f"/proc/{again.pid}/maps").read_text()
        with neo4j.GraphDatabase.driver(again.bolt_uri, auth=again.auth) as drv:
            drv.verify_connectivity()
    finally:
        ns.stop(info.home)


def test_an_archive_is_named_after_the_jvm_the_jars_and_the_options(tmp_path, monkeypatch):
    from imidgraph.neo4j.server import cds, process

    java = process.find_java()
    (tmp_path / "lib").mkdir()
    jar = tmp_path / "lib" / "a.jar"
    jar.write_bytes(b"one")
    command = [java, "-Xmx1g", "-cp", "x"]
    key = cds.fingerprint(java, tmp_path, command)
    assert cds.fingerprint(java, tmp_path, [java, "-Xmx2g", "-cp", "x"]) != key
    jar.write_bytes(b"other")
    assert cds.fingerprint(java, tmp_path, command) != key
    key = cds.fingerprint(java, tmp_path, command)

    folder = tmp_path / cds.FOLDER
    assert cds.options(java, tmp_path, command)[0] == f"-XX:ArchiveClassesAtExit={folder / key}.jsa.part"
    (folder / f"{key}.jsa.part").write_bytes(b"half")
    cds.after_stop(tmp_path, ended_by_itself=False)  # SIGKILL: maybe half an archive
    assert list(folder.iterdir()) == []
    (folder / f"{key}.jsa.part").write_bytes(b"whole")
    cds.after_stop(tmp_path, ended_by_itself=True)
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.jsa", f"{key}.jsa.size"]
    assert cds.options(java, tmp_path, command) == [f"-XX:SharedArchiveFile={folder / key}.jsa", "-Xshare:on", "-XX:+VerifySharedSpaces"]
    jar.write_bytes(b"upgraded")  # another jar: a new archive is asked for, the old one goes
    assert cds.options(java, tmp_path, command)[0].startswith("-XX:ArchiveClassesAtExit=")
    assert list(folder.iterdir()) == []
    monkeypatch.setenv("IMIDGRAPH_NEO4J_CDS", "0")
    assert cds.options(java, tmp_path, command) == []


# --------------------------------------------------------------------------- probing the ports


def test_a_port_that_echoes_is_no_server(tmp_path):
    """What a self-connected socket does (it echoes the request): not ready, no exception."""
    from imidgraph.neo4j.server import probe

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def echo():
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                conn.sendall(conn.recv(65536))

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    try:
        assert probe.discovery(port) is None
        status, errors = probe.cypher(port, "password", "system", "RETURN 1")
        assert status == 0 and errors and errors[0].startswith("connection failed")
    finally:
        thread.join(10)
        listener.close()
