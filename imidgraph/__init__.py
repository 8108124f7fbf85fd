"""imidgraph: a cited knowledge graph of how the immunomodulatory imide drugs work.

>>> import imidgraph
>>> kg = imidgraph.load()
>>> kg.entity("CK1a").name
'CSNK1A1'
"""

from .graph import KnowledgeGraph, load
from .names import AmbiguousName, UnknownEntity

__all__ = ["AmbiguousName", "InvalidSeeds", "KnowledgeGraph", "UnknownEntity", "load"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """``InvalidSeeds`` on first use: the validator is imported only when seeds are validated
    (a graph read from the cache needs none of it)."""
    if name == "InvalidSeeds":
        from .validate import InvalidSeeds

        return InvalidSeeds
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
