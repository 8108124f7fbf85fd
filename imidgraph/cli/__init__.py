"""Command line: parse, call the library, format. Library errors become one-line messages here.

One module a topic, each command a thin layer over the library: ``graph`` (the curated graph:
validate, stats, show, export, query, explain, cypher), ``neo4j`` (load, the local server),
``pictures`` (view, browser). ``common`` holds the group, the shared options and helpers.
"""

from . import graph, neo4j, pictures  # noqa: F401  (registers the commands)
from .common import main

__all__ = ["main"]
