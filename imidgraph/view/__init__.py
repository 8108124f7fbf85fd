"""Offline pictures: a subgraph as one self-contained HTML page, laid out as the mechanism.

The page needs no network: its script, style, data and the two drawing libraries it uses
(Cytoscape.js draws, dagre lays out; both MIT, inlined with their licences from
``resources/view/vendor/``, see VENDOR.md there) are inline, and its Content Security Policy
lets it load nothing else. Entities stand in mechanism layers, left to right: drugs → target
and ligase → neosubstrates → effectors and molecules → cells → diseases and uses, with side
effects and resistance in a band apart (:func:`layers`). Nodes are coloured by category with
the palette of :mod:`imidgraph.style`; the page filters by layer and evidence level and shows
a node's or an edge's details and citations on click.

A subgraph is given as entity ids and relation ids, so any selection can be drawn::

    sub = neighbourhood(kg, "CSNK1A1")                  # an entity and its relations
    page = render_html(kg, sub.entities, sub.relations, title="CSNK1A1", highlight=sub.focus)
    sub                                                 # in Jupyter: the same picture inline

A drug's page is a summary at first (:func:`summary`): its core route, the strongest cited
relations, at most :data:`MAX_NODES` nodes, the rest in groups a click expands.

One module a concern: ``subgraph`` (which entities and relations to draw), ``layout`` (their
mechanism layers and columns), ``data`` (what the page draws, as JSON-ready data) and ``page``
(the self-contained HTML page, for a file or a notebook), ``summary`` (a drug's route).
"""

from .data import page_data
from .layout import (
    CATEGORY_LAYER,
    DEFAULT_LAYER,
    LAYERS,
    MARKER_PREDICATES,
    MAX_COLUMN,
    USE_PREDICATES,
    Layer,
    layers,
)
from .notebook import notebook_html, notebook_libraries
from .page import VENDOR, explanation_page, render_html
from .subgraph import DEFAULT_MAX_RELATIONS, MAX_DEPTH, Subgraph, neighbourhood
from .summary import MAX_NODES, ON_ROUTE, ROUTE, ROWS, Summary, summary

__all__ = [
    "CATEGORY_LAYER",
    "DEFAULT_LAYER",
    "DEFAULT_MAX_RELATIONS",
    "LAYERS",
    "MARKER_PREDICATES",
    "MAX_COLUMN",
    "MAX_DEPTH",
    "MAX_NODES",
    "ON_ROUTE",
    "ROUTE",
    "ROWS",
    "USE_PREDICATES",
    "VENDOR",
    "Layer",
    "Subgraph",
    "Summary",
    "explanation_page",
    "layers",
    "neighbourhood",
    "notebook_html",
    "notebook_libraries",
    "page_data",
    "render_html",
    "summary",
]
