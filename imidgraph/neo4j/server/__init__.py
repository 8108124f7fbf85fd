"""A real Neo4j 5.26 Community server on this machine, without Docker.

The server is assembled from the official jars on Maven Central (the same jars the
tarball's ``lib/`` holds), with Neo4j Browser and APOC Core, and launched as a plain
``java`` process bound to 127.0.0.1 with authentication on.

Standard library only; POSIX only (uses ``fcntl`` and signals). Needs Java 17+ (``java`` on
PATH or ``$JAVA_HOME``) and Maven (``mvn``) for the first install.

API::

    install(home=None, *, force=False) -> Path
    start(home=None, *, bolt_port=None, http_port=None, timeout=120.0) -> ServerInfo
    stop(home=None, *, timeout=60.0) -> bool
    status(home=None) -> ServerStatus
    default_home() -> Path

Command line::

    python -m imidgraph.neo4j.server install|start|stop|status [--home DIR] ...

Environment:

- ``IMIDGRAPH_NEO4J_HOME``: the server home (default ``~/.cache/imidgraph/neo4j-5.26``).
- ``IMIDGRAPH_NEO4J_BOLT_PORT`` / ``IMIDGRAPH_NEO4J_HTTP_PORT``: ports (7687 / 7474).
- ``IMIDGRAPH_NEO4J_HEAP``: the JVM's ``-Xmx`` (default ``1g``).
- ``IMIDGRAPH_NEO4J_CDS``: ``0`` turns off the class archive (``cds.py``: the first stop of a
  home writes one, ~160 MB in ``run/cds/``, and later starts take ~4 s instead of ~7 s).
- ``NEO4J_PASSWORD``: the ``neo4j`` user's password; without it one is generated once and
  kept in ``<home>/password`` (mode 0600). It never goes on a command line, and ``start``
  never changes the password of a server that is already running.

Cypher on this server reads files only from ``<home>/import`` and opens no URLs (see
``config.py``).

Layout of the home: ``lib/`` (server jars), ``plugins/`` (APOC and its run-time jars),
``conf/neo4j.conf`` and ``conf/apoc.conf`` (rewritten at each start; the lines of
``<home>/neo4j-extra.conf`` and ``<home>/apoc-extra.conf`` are appended), ``data/``,
``logs/`` (``neo4j.log``, ``debug.log``, ``console.out``, ``install-maven.log``),
``run/imidgraph-neo4j.pid``, ``install.json`` (the installed versions), ``password``.

Modules, one concern each: ``base`` (names, the error, the home and its lock), ``fetch``
(versions, Maven, ``install``), ``config`` (``neo4j.conf``), ``auth`` (the password),
``probe`` (ports and HTTP), ``process`` (the JVM), ``cds`` (its class archive), ``server``
(``start``/``stop``/``status``), ``cli`` (the command line).
"""

from __future__ import annotations

from .base import Neo4jServerError, default_home
from .cli import main
from .config import PAGECACHE
from .fetch import APOC_VERSION, BROWSER_VERSION, NEO4J_VERSION, install
from .process import DEFAULT_HEAP
from .server import ServerInfo, ServerStatus, start, status, stop

__all__ = [
    "APOC_VERSION",
    "BROWSER_VERSION",
    "DEFAULT_HEAP",
    "NEO4J_VERSION",
    "PAGECACHE",
    "Neo4jServerError",
    "ServerInfo",
    "ServerStatus",
    "default_home",
    "install",
    "main",
    "start",
    "status",
    "stop",
]
