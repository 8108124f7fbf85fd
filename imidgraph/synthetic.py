"""Generated graphs of the curated graph's schema, for benchmarks and load tests.

Each generated entity copies the properties of a curated entity of some category (new id and
name); each generated relation copies a curated relation's properties (predicate, qualifiers,
citation, paraphrase) with a new id, between generated entities of categories the curated
relation's predicate joins. So the rows have the shapes, sizes and types of real rows. Nothing
generated is a fact: ids use the ``SYNTH:`` prefix and never reach the seeds.

The plan is streamed (:class:`imidgraph.neo4j.plan.StreamedPlan`): the random choices are drawn
once into compact arrays (a few bytes per row), and the rows themselves are made batch by
batch each time the plan is read, so a million relations never sit in memory as rows.
"""

from __future__ import annotations

import random
from array import array
from collections import defaultdict
from collections.abc import Iterator

from .facts import FactSet
from .neo4j.plan import LoadPlan, StreamedPlan


def generate(facts: FactSet, relations: int, entities: int | None = None, seed: int = 5) -> StreamedPlan:
    """A plan of ``relations`` relationships over ``entities`` nodes (default relations/10)."""
    rng = random.Random(seed)
    base = LoadPlan.from_facts(facts)
    entities = entities if entities is not None else max(relations // 10, 50)
    labels = sorted(base.nodes)
    weights = [len(base.nodes[label]) for label in labels]

    # entity i: its label and the curated entity it copies
    node_label = array("H")
    node_template = array("I")
    ids_by_label: dict[str, array] = defaultdict(lambda: array("I"))
    for i in range(entities):
        label = labels[i] if i < len(labels) else rng.choices(labels, weights)[0]
        node_label.append(labels.index(label))
        node_template.append(rng.randrange(len(base.nodes[label])))
        ids_by_label[label].append(i)

    label_of = {row["id"]: label for label, rows in base.nodes.items() for row in rows}
    templates = [
        (rel_type, row, label_of[row["s"]], label_of[row["o"]])
        for rel_type, rows in sorted(base.relationships.items())
        for row in rows
    ]
    # relation i: the curated relation it copies, its subject and object (entity numbers)
    rel_template, rel_s, rel_o = array("I"), array("I"), array("I")
    by_type: dict[str, array] = defaultdict(lambda: array("I"))
    for i in range(relations):
        t = rng.randrange(len(templates))
        rel_type, _, s_label, o_label = templates[t]
        rel_template.append(t)
        rel_s.append(rng.choice(ids_by_label[s_label]))
        rel_o.append(rng.choice(ids_by_label[o_label]))
        by_type[rel_type].append(i)

    def node_id(i: int) -> str:
        return f"SYNTH:{i:08d}"

    def node_rows(label: str) -> Iterator[dict]:
        template_rows = base.nodes[label]
        for i in ids_by_label[label]:  # ascending: ids in ascending order
            template = template_rows[node_template[i]]["p"]
            yield {"id": node_id(i), "p": dict(template, id=node_id(i), name=f"{template['name']} #{i}")}

    def relationship_rows(rel_type: str) -> Iterator[dict]:
        for i in by_type[rel_type]:
            rel_id = f"synth:{i:010d}"
            row = templates[rel_template[i]][1]
            yield {"id": rel_id, "s": node_id(rel_s[i]), "o": node_id(rel_o[i]), "p": dict(row["p"], id=rel_id)}

    return StreamedPlan(
        {label: len(ids) for label, ids in ids_by_label.items()},
        {rel_type: len(ids) for rel_type, ids in by_type.items()},
        lambda: ((label, node_rows(label)) for label in sorted(ids_by_label)),
        lambda: ((rel_type, relationship_rows(rel_type)) for rel_type in sorted(by_type)),
    )
