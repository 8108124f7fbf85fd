"""Connecting to Neo4j: settings from options and the usual environment variables, and every
connection failure turned into one line that says what to do.

The official driver does the work; ``bolt://``, ``neo4j://`` and the TLS schemes
(``neo4j+s://`` for Aura, ``bolt+s://``, ``+ssc``) are all accepted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .server import default_home

if TYPE_CHECKING:  # the driver takes ~0.8 s to import: only commands that talk to Neo4j pay it
    import neo4j

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class Neo4jError(Exception):
    """A failure talking to Neo4j, with a one-line message meant for the user."""


@dataclass(frozen=True)
class Settings:
    """Where and how to connect. ``password_source`` says where the password came from."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = None
    database: str = DEFAULT_DATABASE
    password_source: str = "option"

    def __repr__(self) -> str:  # never print the password
        return f"Settings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> Settings:
        """Options first, then ``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``.

        With no password anywhere and a local URI, the password of the server that
        ``imidgraph neo4j start`` runs is used (``<home>/password``).
        """
        uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
        user = user or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or DEFAULT_USER
        database = database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE
        source = "option"
        if password is None and os.environ.get("NEO4J_PASSWORD"):
            password, source = os.environ["NEO4J_PASSWORD"], "NEO4J_PASSWORD"
        if password is None:
            password, source = _local_server_password(uri)
        return cls(uri=uri, user=user, password=password, database=database, password_source=source)


def _local_server_password(uri: str) -> tuple[str | None, str]:
    try:
        host = urlsplit(uri).hostname
    except ValueError:
        return None, "none"
    if host not in _LOCAL_HOSTS:
        return None, "none"
    path = default_home() / "password"
    try:
        return path.read_text(encoding="utf-8").strip() or None, str(path)
    except OSError:
        return None, "none"


def check_uri(uri: str) -> None:
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in SCHEMES:
        raise Neo4jError(
            f"invalid Neo4j URI {uri!r}: the scheme must be one of {', '.join(s + '://' for s in SCHEMES)}"
        )


def connect(settings: Settings, **driver_config) -> neo4j.Driver:
    """A driver that has reached the server, logged in and found the database.

    Raises :class:`Neo4jError` with one line for an invalid URI, an unreachable server, a
    refused login or a missing database.
    """
    import neo4j  # the driver, imported when a command talks to Neo4j (see above)
    from neo4j import exceptions as nx_errors

    check_uri(settings.uri)
    if not settings.password:
        raise Neo4jError(f"no password for Neo4j at {settings.uri}: set NEO4J_PASSWORD or pass --password")
    driver_config.setdefault("connection_timeout", 10.0)
    driver_config.setdefault("max_transaction_retry_time", 15.0)
    driver_config.setdefault("user_agent", "imidgraph")
    driver_config.setdefault("notifications_min_severity", "OFF")
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), **driver_config
        )
    except (nx_errors.ConfigurationError, ValueError) as e:
        raise Neo4jError(f"invalid Neo4j URI {settings.uri!r}: {_first_line(e)}") from e
    try:
        driver.verify_connectivity()
        driver.execute_query(_probe(settings.database), database_=settings.database)
    except Exception as e:
        driver.close()
        raise translate(e, settings) from e
    return driver


def _probe(database: str) -> str:
    """A statement any user can run on the database: the system database runs only
    administration commands (``RETURN 1`` is refused there)."""
    return "SHOW DEFAULT DATABASE YIELD name" if database.lower() == "system" else "RETURN 1"


def translate(error: Exception, settings: Settings) -> Exception:
    """The user-facing one-line :class:`Neo4jError` for a driver exception (others unchanged)."""
    from neo4j import exceptions as nx_errors  # the driver: lazy (see above)

    where = f"Neo4j at {settings.uri}"
    if isinstance(error, Neo4jError):
        return error
    if isinstance(error, nx_errors.AuthError) or getattr(error, "code", "") in (
        "Neo.ClientError.Security.Unauthorized",
        "Neo.ClientError.Security.AuthenticationRateLimit",
    ):
        hint = (
            f"the password came from {settings.password_source}"
            if settings.password_source not in ("option", "none")
            else "check --password or NEO4J_PASSWORD"
        )
        return Neo4jError(f"{where} refused user {settings.user!r}: wrong user name or password ({hint})")
    code = getattr(error, "code", None) or ""
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return Neo4jError(
            f"{where} has no database {settings.database!r} "
            "(set NEO4J_DATABASE or --database; Community Edition has only 'neo4j')"
        )
    if code == "Neo.ClientError.Database.DatabaseUnavailable":
        return Neo4jError(f"{where}: database {settings.database!r} is not available (stopped or starting)")
    if isinstance(error, nx_errors.ServiceUnavailable | nx_errors.SessionExpired | OSError):
        return Neo4jError(
            f"cannot reach {where}: {_reason(error)} "
            "(start one with 'imidgraph neo4j start' or 'docker compose up -d --wait', or set NEO4J_URI)"
        )
    if isinstance(error, nx_errors.DriverError | nx_errors.Neo4jError):
        return Neo4jError(f"{where}: {code + ': ' if code else ''}{_first_line(error)}")
    return error


def _reason(error: BaseException) -> str:
    """The most specific line of a connection failure ("Connection refused", a DNS error, ...)."""
    text = str(error).strip()
    match = re.search(r"\(reason (.+)\)\s*$", text)
    if match:
        return match.group(1)
    return _first_line(error).rstrip(":")


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "message", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
