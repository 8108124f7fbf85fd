"""A style for Cytoscape desktop: the palette of :mod:`imidgraph.style` as Cytoscape's styles
XML (the ``vizmap`` format its *Import Styles from File* reads).

``imidgraph export --format graphml`` writes it beside the GraphML (``imidgraph-style.xml``);
a copy ships in the package (``resources/cytoscape/imidgraph-style.xml``, kept current by
tests/test_notebook_export.py). The mappings read the GraphML's columns: ``category`` -> fill
colour and size, ``name`` -> label, ``predicate`` -> edge colour, width and label.
"""

from __future__ import annotations

from importlib.resources import files
from xml.etree import ElementTree as ET

from . import schema
from .style import DEFAULT_EDGE, DEFAULT_NODE, edge_style, node_style

STYLE_NAME = "imidgraph"
FILE_NAME = "imidgraph-style.xml"


def _property(parent: ET.Element, name: str, default: str) -> ET.Element:
    return ET.SubElement(parent, "visualProperty", name=name, default=default)


def _discrete(prop: ET.Element, column: str, values: dict[str, str]) -> None:
    mapping = ET.SubElement(prop, "discreteMapping", attributeName=column, attributeType="string")
    for key, value in values.items():
        ET.SubElement(mapping, "discreteMappingEntry", attributeValue=key, value=value)


def _passthrough(prop: ET.Element, column: str) -> None:
    ET.SubElement(prop, "passthroughMapping", attributeName=column, attributeType="string")


def cytoscape_style() -> str:
    """The style as Cytoscape's styles XML: one ``visualStyle`` named ``imidgraph``."""
    root = ET.Element("vizmap", documentVersion="3.0", id="imidgraph")
    visual = ET.SubElement(root, "visualStyle", name=STYLE_NAME)
    network = ET.SubElement(visual, "network")
    _property(network, "NETWORK_BACKGROUND_PAINT", "#FFFFFF")

    node = ET.SubElement(visual, "node")
    ET.SubElement(node, "dependency", name="nodeSizeLocked", value="true")
    _property(node, "NODE_SHAPE", "ELLIPSE")
    _discrete(_property(node, "NODE_FILL_COLOR", DEFAULT_NODE.colour), "category",
              {c: node_style(c).colour for c in schema.CATEGORIES})  # fmt: skip
    _discrete(_property(node, "NODE_BORDER_PAINT", DEFAULT_NODE.border), "category",
              {c: node_style(c).border for c in schema.CATEGORIES})  # fmt: skip
    _property(node, "NODE_BORDER_WIDTH", "2.0")
    # Neo4j Browser's diameters are for captions inside the node; Cytoscape's labels sit on it
    _discrete(_property(node, "NODE_SIZE", f"{DEFAULT_NODE.diameter / 2:.1f}"), "category",
              {c: f"{node_style(c).diameter / 2:.1f}" for c in schema.CATEGORIES})  # fmt: skip
    _passthrough(_property(node, "NODE_LABEL", ""), "name")
    _property(node, "NODE_LABEL_FONT_SIZE", "12")
    _property(node, "NODE_LABEL_COLOR", "#1D1D1D")
    _passthrough(_property(node, "NODE_TOOLTIP", ""), "id")

    edge = ET.SubElement(visual, "edge")
    colours = {p: edge_style(p).colour for p in schema.PREDICATES}
    _discrete(_property(edge, "EDGE_STROKE_UNSELECTED_PAINT", DEFAULT_EDGE.colour), "predicate", colours)
    _discrete(_property(edge, "EDGE_TARGET_ARROW_UNSELECTED_PAINT", DEFAULT_EDGE.colour), "predicate", colours)
    _discrete(_property(edge, "EDGE_WIDTH", f"{DEFAULT_EDGE.width:.1f}"), "predicate",
              {p: f"{edge_style(p).width:.1f}" for p in schema.PREDICATES})  # fmt: skip
    _property(edge, "EDGE_TARGET_ARROW_SHAPE", "DELTA")
    _passthrough(_property(edge, "EDGE_LABEL", ""), "predicate")
    _property(edge, "EDGE_LABEL_FONT_SIZE", "9")
    _passthrough(_property(edge, "EDGE_TOOLTIP", ""), "paraphrase")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def packaged_style() -> str:
    """The copy of the style that ships in the package."""
    return files("imidgraph").joinpath("resources", "cytoscape", FILE_NAME).read_text(encoding="utf-8")
