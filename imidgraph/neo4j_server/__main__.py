"""``python -m imidgraph.neo4j_server``: see :mod:`imidgraph.neo4j_server.cli`."""

import sys

from .cli import main

sys.exit(main())
