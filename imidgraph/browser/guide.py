"""The Browser guide (``:play <url>``): a walk through the mechanism, one slide a step, each
slide's query returning paths of our relations only (see :mod:`.paths`)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from .. import style
from ..catalogue import default_dir, read_catalogue
from ..cypher_text import param_line
from ..neo4j.vocabulary import ENTITY_LABEL, OWNER
from .paths import CONFIG_COMMAND, neighbourhood_cypher


def _ours(var: str) -> str:
    return f"{var}.{OWNER} IS NOT NULL"


# --------------------------------------------------------------------------- the guide


@dataclass(frozen=True)
class GuideStep:
    """One slide: a title, a few sentences (HTML), and the commands its play buttons run."""

    title: str
    text: str
    commands: tuple[str, ...]


def _step(title: str, text: str, *commands: str) -> GuideStep:
    return GuideStep(title, text, commands)


def guide_steps() -> list[GuideStep]:
    """The walk through the mechanism, with real entities of the seeds.

    The last steps run queries of the ``cypher/`` catalogue as they are in their files, with
    ``:param`` lines setting their parameters to CURIEs.
    """
    catalogue = read_catalogue(default_dir())
    return [
        _step(
            "1. The drug",
            "<p><b>Lenalidomide</b> is an immunomodulatory imide drug (IMiD), made from "
            "thalidomide. Each relation cites its source: click one, then its properties.</p>",
            f"MATCH p = (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[r:SUBCLASS_OF|DERIVED_FROM WHERE {_ours('r')}]->(x:{ENTITY_LABEL})\nRETURN p",
        ),
        _step(
            "2. Drug &rarr; cereblon",
            "<p>Lenalidomide, its relatives and their shared glutarimide ring <b>bind CRBN</b>, "
            "the substrate receptor of the CRL4-CRBN ubiquitin ligase.</p>",
            f"MATCH p = (d:{ENTITY_LABEL})-[r:BINDS WHERE {_ours('r')}]->(c:{ENTITY_LABEL}:Gene {{name: 'CRBN'}})\n"
            f"OPTIONAL MATCH q = (ligase:{ENTITY_LABEL}:Complex)-[h:HAS_PART WHERE {_ours('h')}]->(c)\n"
            "RETURN p, q",
        ),
        _step(
            "3. Cereblon &rarr; neosubstrates",
            "<p>Bound to the drug, CRBN marks new substrates for the proteasome: the "
            "transcription factors <b>IKZF1</b> (Ikaros) and <b>IKZF3</b> (Aiolos), the kinase "
            "<b>CSNK1A1</b> (CK1&alpha;), and for CC-885 PLK1. Open a DEGRADES relation to see "
            "<code>q_via</code> and <code>q_more_than</code>.</p>",
            f"MATCH p = (d:{ENTITY_LABEL}:Drug)-[r:DEGRADES WHERE {_ours('r')}]->(n:{ENTITY_LABEL}:Gene)\nRETURN p",
        ),
        _step(
            "4. Neosubstrates &rarr; effectors",
            "<p>Ikaros and Aiolos keep <b>IRF4</b> and <b>MYC</b> on in malignant B and "
            "myeloma cells, and hold <b>IL2</b> down in T cells. Degrading them turns "
            "both around.</p>",
            f"MATCH p = (n:{ENTITY_LABEL}:Gene)-[r:INCREASES|DECREASES WHERE {_ours('r')}]->(e:{ENTITY_LABEL}:Gene)\n"
            "WHERE n.name IN ['IKZF1', 'IKZF3']\n"
            "RETURN p",
        ),
        _step(
            "5. Effectors &rarr; cells",
            "<p>IRF4 and MYC drive <b>myeloma</b> and <b>malignant B cells</b>; IL-2, made by "
            "<b>T cells</b>, drives natural killer cell proliferation and killing.</p>",
            f"MATCH p = (e:{ENTITY_LABEL}:Gene)-[r:INCREASES|DECREASES|PRODUCED_BY WHERE {_ours('r')}]->(c:{ENTITY_LABEL})\n"
            "WHERE e.name IN ['IRF4', 'MYC', 'IL2'] AND (c:CellType OR c:BiologicalProcess)\n"
            "RETURN p",
        ),
        _step(
            "6. Cells &rarr; indications",
            "<p>Myeloma cells (and the bone marrow stroma) make <b>multiple myeloma</b>, for "
            "which lenalidomide is approved.</p>",
            f"MATCH p = (c:{ENTITY_LABEL}:CellType)-[r:CONTRIBUTES_TO WHERE {_ours('r')}]->(x:{ENTITY_LABEL}:Disease)"
            f"<-[a:APPROVED_FOR WHERE {_ours('a')}]-(d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})\n"
            "RETURN p",
        ),
        _step(
            "7. All approved uses",
            "<p>Every approval of lenalidomide the sources report; the regulator, year and "
            "setting are qualifiers (<code>q_regulator</code>, <code>q_year</code>, "
            "<code>q_setting</code>).</p>",
            f"MATCH p = (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[r:APPROVED_FOR WHERE {_ours('r')}]->(x:{ENTITY_LABEL})\nRETURN p",
        ),
        _step(
            "8. The whole chain",
            "<p>From the drug to the disease in one picture: binding, degradation, effector, "
            "cell and indication (multiple myeloma): each chain is a path, drawn with exactly its "
            "relations (with <i>Connect result nodes</i> off, see the first slide).</p>",
            f"MATCH chain = (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[:DEGRADES]->(:{ENTITY_LABEL}:Gene)-[:INCREASES|DECREASES]->(:{ENTITY_LABEL}:Gene)\n"
            f"      -[:INCREASES|PRODUCED_BY]->(:{ENTITY_LABEL}:CellType)-[:CONTRIBUTES_TO]->(:{ENTITY_LABEL}:Disease {{name: 'multiple myeloma'}})\n"
            f"WHERE all(r IN relationships(chain) WHERE {_ours('r')})\n"
            f"MATCH target = (d)-[b:BINDS WHERE {_ours('b')}]->(:{ENTITY_LABEL}:Gene {{name: 'CRBN'}})\n"
            "RETURN chain, target",
        ),
        _step(
            "9. A second story: CK1&alpha; and del(5q) MDS",
            "<p>Cells with the 5q deletion keep one copy of <b>CSNK1A1</b>, so lenalidomide, "
            "which degrades it, hits them hardest. This is what <code>imidgraph browser "
            "CSNK1A1</code> prints.</p>",
            neighbourhood_cypher("HGNC:2451", "CSNK1A1 (CK1α)"),
        ),
        _step(
            "10. The query catalogue: targets",
            "<p>Every query of <code>cypher/</code> runs here too, with its parameters set to "
            "CURIEs by <code>:param</code>. First run the parameter line, then the query "
            "(a table: switch to <i>Table</i>).</p>",
            param_line("drug", "CHEBI:63791"),
            catalogue["drug_targets"].cypher,
        ),
        _step(
            "11. The query catalogue: downstream of Ikaros",
            "<p>The <code>downstream</code> query follows chains of up to three steps from a "
            "neosubstrate.</p>",
            param_line("start", "HGNC:13176"),
            catalogue["downstream"].cypher,
        ),
    ]


def guide_html() -> str:
    """The guide as Neo4j Browser reads it: ``<slide>`` elements with ``pre.runnable`` blocks."""
    grass = style.grass()
    slides = [
        '<slide class="row-fluid">\n'
        "<h3>imidgraph: how the IMiDs work</h3>\n"
        "<p>A cited knowledge graph of the immunomodulatory imide drugs. This guide follows "
        "one drug, lenalidomide, along the mechanism: <b>drug &rarr; CRBN &rarr; "
        "neosubstrates &rarr; effectors &rarr; cells &rarr; indications</b>.</p>\n"
        "<p>First give the graph its colours and captions (categories as colours, drugs "
        f'largest): <a href="#" data-exec="style {html.escape(grass, quote=True)}">'
        "apply the imidgraph style</a>.</p>\n"
        "<p>Then switch off the Browser's <i>Connect result nodes</i> setting: with it on, the "
        "Browser adds every relationship among the nodes a query returns, and a drug with many "
        "relations becomes a ball. Every query of this guide returns the paths of the mechanism "
        "itself (our relations only, at most about 40 nodes); press the &#9654; below so that "
        "exactly those are drawn (the Browser keeps the setting; "
        "<code>:config autoComplete: true</code> turns it back on).</p>\n"
        f'<pre class="runnable">{html.escape(CONFIG_COMMAND, quote=False)}</pre>\n'
        "<p>Then, on each slide, press the &#9654; of a query to run it.</p>\n"
        f"<p>Nodes are <code>:{ENTITY_LABEL}</code> plus their category; relationships are the "
        "upper-case predicate, with <code>evidence</code>, <code>source</code>, "
        "<code>source_doi</code>, <code>section</code>, <code>primary_dois</code> and "
        "<code>paraphrase</code>.</p>\n"
        "</slide>"
    ]
    for step in guide_steps():
        blocks = "\n".join(
            f'<pre class="runnable">{html.escape(block, quote=False)}</pre>' for block in step.commands
        )
        slides.append(f'<slide class="row-fluid">\n<h3>{step.title}</h3>\n{step.text}\n{blocks}\n</slide>')
    return (
        "<!-- Generated by imidgraph.browser.guide_html(); run 'python -m imidgraph.browser' after changes. -->\n"
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + "\n".join(slides)
        + "\n</carousel>\n</article>\n"
    )
