"""What ``imidgraph cypher`` (read-only) lets through: reads of the graph, and nothing that
changes or reads the server's state beyond it.

The session's read access mode makes the server refuse writes; it does not refuse
administration (``TERMINATE TRANSACTIONS`` aborts a running load, ``SHOW TRANSACTIONS``
shows other sessions' queries with their parameters) nor procedures that clear statistics,
read other sessions' queries (``db.stats.*``, ``dbms.listQueries``) or stream files
(``apoc.log.*``, ``apoc.load.*``). So before a statement is sent, :func:`refusal` reads it
(comments and string literals set aside, backticked names unquoted) and refuses:

* administration commands: ``TERMINATE``, ``GRANT``, ``DENY``, ``REVOKE``, ``ALTER``, ``START``,
  ``STOP``, ``ENABLE``, ``RENAME``, and every ``SHOW`` but those of :data:`SHOW_ALLOWED` (databases,
  indexes, constraints, functions, procedures: not transactions, settings, users, roles,
  privileges or servers);
* a procedure call (``CALL name``) of any procedure not in :data:`READ_PROCEDURES`, an
  allow-list of procedures that read the graph and nothing else;
* a namespaced function (``a.b(...)``) outside :data:`FUNCTION_NAMESPACES` (Cypher's own
  temporal, spatial and vector functions, and APOC's pure text, list and map functions).

``LOAD CSV`` stays allowed: the server reads files only from its ``import/`` folder.
"""

from __future__ import annotations

import re

ADMIN_KEYWORDS = frozenset({"TERMINATE", "GRANT", "DENY", "REVOKE", "ALTER", "START", "STOP", "ENABLE", "RENAME"})
# what may follow SHOW: the schema, the databases and the callable things, nothing of the
# server's sessions, settings or security (ALL and USER only as in SHOW ALL INDEXES, SHOW USER
# DEFINED FUNCTIONS: SHOW ALL PRIVILEGES, SHOW USER bob PRIVILEGES are refused)
SHOW_ALLOWED = frozenset({
    "DATABASE", "DATABASES", "DEFAULT", "HOME", "INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "FUNCTION",
    "FUNCTIONS", "PROCEDURE", "PROCEDURES", "RANGE", "FULLTEXT", "TEXT", "POINT", "VECTOR", "LOOKUP", "UNIQUE",
    "NODE", "RELATIONSHIP", "REL", "EXIST", "EXISTENCE", "PROPERTY", "KEY", "BUILT",
})  # fmt: skip
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.ping",
        "dbms.components",
        "apoc.path.expand",
        "apoc.path.expandConfig",
        "apoc.path.subgraphNodes",
        "apoc.path.subgraphAll",
        "apoc.path.spanningTree",
        "apoc.algo.dijkstra",
        "apoc.algo.allSimplePaths",
        "apoc.meta.schema",
        "apoc.meta.data",
    }
)
FUNCTION_NAMESPACES = (
    "date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector",
    "db.nameFromElementId", "apoc.text", "apoc.coll", "apoc.map", "apoc.convert", "apoc.number",
)  # fmt: skip

_TOKEN = re.compile(
    r"""(?P<skip>//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|\s+)"""
    r"""|(?P<name>`(?:``|[^`])*`|[A-Za-z_][A-Za-z0-9_$]*)"""
    r"""|(?P<other>.)""",
    re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, str, bool]]:
    """``(kind, text, quoted)`` of each token that matters: names (unquoted) and symbols."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "skip":
            continue
        value = m.group()
        if m.lastgroup == "name" and value.startswith("`"):
            out.append(("name", value[1:-1].replace("``", "`"), True))
        else:
            out.append((m.lastgroup, value, False))
    return out


def _dotted(tokens: list, i: int) -> tuple[str, int]:
    """The dotted name starting at token ``i`` (``db . stats . retrieve``) and the index after it."""
    parts = [tokens[i][1]]
    i += 1
    while i + 1 < len(tokens) and tokens[i][1] == "." and tokens[i + 1][0] == "name":
        parts.append(tokens[i + 1][1])
        i += 2
    return ".".join(parts), i


def _show_allowed(tokens: list, i: int) -> bool:
    """Whether the SHOW whose next token is ``tokens[i]`` shows only what :data:`SHOW_ALLOWED` names."""
    words = [t[1].upper() for t in tokens[i : i + 2] if t[0] == "name"] + ["", ""]
    if words[0] == "ALL":
        return words[1] in SHOW_ALLOWED
    if words[0] == "USER":
        return words[1] == "DEFINED"
    return words[0] in SHOW_ALLOWED


def refusal(statement: str) -> str | None:
    """Why the read-only console refuses ``statement`` (one line), or None if it may run."""
    tokens = _tokens(statement)
    i = 0
    while i < len(tokens):
        kind, value, quoted = tokens[i]
        after_dot = i > 0 and tokens[i - 1][1] in (".", ":", "$")
        if kind != "name" or after_dot:
            i += 1
            continue
        word = value.upper()
        if not quoted and word == "SHOW" and not _show_allowed(tokens, i + 1):
            word = " ".join(["SHOW", *(t[1].upper() for t in tokens[i + 1 : i + 3] if t[0] == "name")])
            return (
                f"imidgraph cypher is read-only and answers from the graph only: {word} (the server's sessions, "
                "settings or security) is refused; use cypher-shell or Neo4j Browser as an administrator"
            )
        if not quoted and word in ADMIN_KEYWORDS:
            return (
                f"imidgraph cypher is read-only and answers from the graph only: {word} (administration) "
                "is refused; use cypher-shell or Neo4j Browser as an administrator"
            )
        if not quoted and word == "CALL" and i + 1 < len(tokens) and tokens[i + 1][0] == "name":
            name, i = _dotted(tokens, i + 1)
            if name not in READ_PROCEDURES:
                return (
                    f"imidgraph cypher is read-only and answers from the graph only: procedure {name} is not "
                    f"among the procedures it allows ({', '.join(sorted(READ_PROCEDURES))})"
                )
            continue
        name, j = _dotted(tokens, i)
        if "." in name and j < len(tokens) and tokens[j][1] == "(":
            if not any(name.lower() == ns.lower() or name.lower().startswith(ns.lower() + ".") for ns in FUNCTION_NAMESPACES):
                return (
                    f"imidgraph cypher is read-only and answers from the graph only: function {name} is not "
                    "among the functions it allows (Cypher's own, and APOC's text, list and map functions)"
                )
            i = j
            continue
        i = j if "." in name else i + 1
    return None
