"""``imidgraph serve``: the graph in a browser, and as a JSON API (FastAPI on uvicorn).

:func:`create_app` makes the application (``graph_for``: the facade it answers from;
``backend``: ``"memory"``, ``"neo4j"`` or a backend object). One module a concern:
``answers`` (what is answered, by the CLI's own JSON builders), ``suggest`` (the search box),
``api`` (the JSON routes), ``pages`` and ``render`` (the pages), ``markup`` (HTML with every
value escaped), ``app`` (the application, its limits and error handling); ``trapi`` (TRAPI)
when present. docs/serve.md says what it serves and why these tools.
"""

from .app import create_app

__all__ = ["create_app"]
