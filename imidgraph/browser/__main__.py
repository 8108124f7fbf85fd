"""``python -m imidgraph.browser`` rewrites ``cypher/guide.html`` and ``cypher/style.grass``."""

from . import write_assets

for written in write_assets():  # pragma: no cover
    print(written)
