"""Command line: parse, call the library, format. Library errors become one-line messages here.

One module a topic, each command a thin layer over the library: ``validate`` (check the seeds),
``show`` (an entity and its relations, for people), ``graph`` (questions to the curated graph:
stats, search, export, query, explain, cypher), ``neo4j`` (load, the local server),
``pictures`` (view, browser). ``common`` holds the group, the shared options and helpers.

A command's module is imported when the command runs (``common.LazyGroup``), so that a command
pays only for what it uses; ``main.commands`` and ``--help`` import them all.
"""

from .common import main

__all__ = ["main"]
