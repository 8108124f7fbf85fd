"""The neo4j driver, imported without its optional pandas, numpy and pyarrow support.

When pandas and numpy are installed, ``import neo4j`` imports them too (``neo4j._optional_deps``:
to pack numpy and pandas values given as query parameters), about half of the driver's import
time. A command that talks to Neo4j needs none of it. :func:`import_driver` imports the driver as
it is when they are not installed, a set-up the driver supports (they are its optional extras,
``neo4j[numpy,pandas,pyarrow]``): for the time of the import, ``sys.modules`` holds None for
each of them not imported yet, which the import system documents as "not found"
(docs.python.org, The import system, The module cache). Then the entries are taken out again:
a later ``import pandas`` imports pandas as usual, and the driver's DataFrame export
(``Result.to_df()``) imports it by itself. Only numpy and pandas values given as query
parameters are not packed in such a process (imidgraph never gives any).

Already imported (by the user, or pandas first), the driver is used as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType

OPTIONAL = ("numpy", "pandas", "pyarrow")


def import_driver() -> ModuleType:
    """The ``neo4j`` module, imported without its optional dependencies unless they (or it)
    are imported already."""
    if "neo4j" in sys.modules:
        return sys.modules["neo4j"]
    blocked = [name for name in OPTIONAL if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import: ModuleNotFoundError
    try:
        import neo4j
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return neo4j
