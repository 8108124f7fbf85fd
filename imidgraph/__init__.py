"""imidgraph: a cited knowledge graph of how the immunomodulatory imide drugs work.

>>> import imidgraph
>>> kg = imidgraph.load()
>>> kg.entity("CK1a").name
'CSNK1A1'
"""

from .graph import KnowledgeGraph, load
from .names import AmbiguousName, UnknownEntity
from .validate import InvalidSeeds

__all__ = ["AmbiguousName", "InvalidSeeds", "KnowledgeGraph", "UnknownEntity", "load"]
__version__ = "0.1.0"
