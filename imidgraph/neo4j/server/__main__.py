"""``python -m imidgraph.neo4j.server``: see :mod:`imidgraph.neo4j.server.cli`."""

import sys

from .cli import main

sys.exit(main())
