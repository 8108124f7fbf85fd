"""How the graph looks: one palette for Neo4j Browser (GraSS) and the offline pages.

Every category has a colour and a size (drugs largest), every predicate a colour and a line
width. ``grass()`` writes the Browser style (``cypher/style.grass`` is its output); the
offline page (:mod:`imidgraph.view`) takes the same colours from :func:`node_style` and
:func:`edge_style`, so the two pictures agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import schema
from .neo4j.vocabulary import ENTITY_LABEL, META_LABEL


@dataclass(frozen=True)
class NodeStyle:
    colour: str  # fill, "#rrggbb"
    diameter: int  # pixels in Neo4j Browser; the offline page scales it

    @property
    def border(self) -> str:
        return _shade(self.colour, 0.72)

    @property
    def text(self) -> str:
        """The caption colour inside the node: white on dark fills, near-black on light ones."""
        return "#FFFFFF" if _luminance(self.colour) < 0.45 else "#1D1D1D"


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    width: int  # shaft width in pixels


# The mechanism reads left to right: drugs (blues) -> targets (oranges) -> cells (greens)
# -> processes (purples) -> conditions (reds); chemistry and alterations in between.
NODE_STYLES: dict[str, NodeStyle] = {
    "Drug": NodeStyle("#2F6FDE", 80),
    "DrugClass": NodeStyle("#7FA7F0", 70),
    "Treatment": NodeStyle("#4FA3AD", 70),
    "ChemicalMoiety": NodeStyle("#A48BE0", 50),
    "Gene": NodeStyle("#F2994A", 60),
    "GeneFamily": NodeStyle("#F7C88F", 55),
    "Complex": NodeStyle("#C46A1B", 60),
    "CellType": NodeStyle("#3FAE6A", 60),
    "CellLine": NodeStyle("#97D5A5", 50),
    "BiologicalProcess": NodeStyle("#8E5BB5", 55),
    "MolecularActivity": NodeStyle("#C9A6DE", 50),
    "Disease": NodeStyle("#D64550", 65),
    "Phenotype": NodeStyle("#F29AA6", 50),
    "GenomicAlteration": NodeStyle("#8D6E63", 50),
    # the clinic and the body: trials and endpoints in slate blues, places in sand, domains in tan
    "ClinicalTrial": NodeStyle("#34495E", 65),
    "ClinicalEndpoint": NodeStyle("#9FB3C8", 50),
    "Compartment": NodeStyle("#D9C58B", 60),
    "ProteinDomain": NodeStyle("#E0B483", 45),
    # what is not known: a muted grey-green, apart from the mechanism's colours
    "OpenQuestion": NodeStyle("#7F9C8E", 45),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    # the mechanism
    "binds": EdgeStyle("#1F4E9E", 3),
    "degrades": EdgeStyle("#C2185B", 3),
    "increases": EdgeStyle("#2E7D32", 2),
    "decreases": EdgeStyle("#D84315", 2),
    "potentiates": EdgeStyle("#00897B", 2),
    "modulates": EdgeStyle("#26A69A", 1),
    "mediates": EdgeStyle("#6A1B9A", 2),
    "produced_by": EdgeStyle("#6D4C41", 2),
    "contributes_to": EdgeStyle("#AD7A00", 2),
    # the clinic
    "approved_for": EdgeStyle("#0D47A1", 3),
    "studied_clinically_for": EdgeStyle("#4A90D9", 2),
    "active_preclinically_in": EdgeStyle("#8BB8E8", 1),
    "has_side_effect": EdgeStyle("#E65100", 2),
    "tested": EdgeStyle("#34495E", 2),
    "has_outcome": EdgeStyle("#5C7A99", 2),
    "given_with": EdgeStyle("#4DB6AC", 1),
    # resistance and sensitivity
    "associated_with_resistance_to": EdgeStyle("#8B1A1A", 2),
    "associated_with_sensitivity_to": EdgeStyle("#558B2F", 2),
    # structure
    "subclass_of": EdgeStyle("#8A8F98", 1),
    "has_part": EdgeStyle("#6B7079", 1),
    "derived_from": EdgeStyle("#A0A5AD", 1),
    "correlated_with": EdgeStyle("#78909C", 1),
    "located_in": EdgeStyle("#B59F5B", 1),
    "model_of": EdgeStyle("#9E9D24", 1),
    "required_for": EdgeStyle("#7E57C2", 2),
    # what is not known
    "concerns": EdgeStyle("#7F9C8E", 1),
}

DEFAULT_NODE = NodeStyle("#A5ABB6", 50)
DEFAULT_EDGE = EdgeStyle("#A5ABB6", 1)


def node_style(category: str) -> NodeStyle:
    return NODE_STYLES.get(category, DEFAULT_NODE)


def edge_style(predicate: str) -> EdgeStyle:
    return EDGE_STYLES.get(predicate, DEFAULT_EDGE)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(colour: str, factor: float) -> str:
    return "#" + "".join(f"{round(c * factor):02X}" for c in _rgb(colour))


def _luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rule(selector: str, props: dict[str, str]) -> str:
    body = "".join(f"  {key}: {value};\n" for key, value in props.items())
    return f"{selector} {{\n{body}}}\n"


def grass() -> str:
    """The Neo4j Browser style (GraSS) for every category label and relationship type.

    Rules that come later win in the Browser, so the generic ``node``/``node.Imidgraph`` rules
    come first and give every node a colour and caption: the Browser then invents no colour
    of its own for a label. The Browser's GraSS reader knows no comments, so there are none.
    """
    rules = [
        _rule(
            "node",
            {
                "diameter": f"{DEFAULT_NODE.diameter}px",
                "color": DEFAULT_NODE.colour,
                "border-color": DEFAULT_NODE.border,
                "border-width": "2px",
                "text-color-internal": DEFAULT_NODE.text,
                "font-size": "10px",
            },
        ),
        _rule(
            "relationship",
            {
                "color": DEFAULT_EDGE.colour,
                "shaft-width": f"{DEFAULT_EDGE.width}px",
                "font-size": "8px",
                "padding": "3px",
                "text-color-external": "#000000",
                "text-color-internal": "#FFFFFF",
                "caption": "'<type>'",
            },
        ),
        _rule(f"node.{ENTITY_LABEL}", {"caption": "'{name}'"}),
        _rule(
            f"node.{META_LABEL}",
            {
                "diameter": "40px",
                "color": "#DDDDDD",
                "border-color": "#AAAAAA",
                "text-color-internal": "#1D1D1D",
                "caption": "'{status}'",
            },
        ),  # fmt: skip
    ]
    for category in schema.CATEGORIES:
        style = node_style(category)
        rules.append(
            _rule(
                f"node.{category}",
                {
                    "diameter": f"{style.diameter}px",
                    "color": style.colour,
                    "border-color": style.border,
                    "text-color-internal": style.text,
                    "caption": "'{name}'",
                },
            )
        )
    for predicate in schema.PREDICATES:
        style = edge_style(predicate)
        rules.append(
            _rule(
                f"relationship.{schema.rel_type(predicate)}",
                {"color": style.colour, "shaft-width": f"{style.width}px", "caption": "'<type>'"},
            )
        )
    return "\n".join(rules)
