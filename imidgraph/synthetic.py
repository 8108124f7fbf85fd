"""Generated graphs of the curated graph's schema, for benchmarks and load tests.

Each generated entity copies the properties of a curated entity of some category (new id and
name); each generated relation copies a curated relation's properties (predicate, qualifiers,
citation, paraphrase) with a new id, between generated entities of categories the curated
relation's predicate joins. So the rows have the shapes, sizes and types of real rows. Nothing
generated is a fact: ids use the ``SYNTH:`` prefix and never reach the seeds.
"""

from __future__ import annotations

import random
from collections import defaultdict

from .facts import FactSet
from .loader import LoadPlan


def generate(facts: FactSet, relations: int, entities: int | None = None, seed: int = 5) -> LoadPlan:
    """A plan of ``relations`` relationships over ``entities`` nodes (default relations/10)."""
    rng = random.Random(seed)
    base = LoadPlan.from_facts(facts)
    entities = entities if entities is not None else max(relations // 10, 50)
    labels = sorted(base.nodes)
    weights = [len(base.nodes[label]) for label in labels]

    nodes: dict[str, list[dict]] = defaultdict(list)
    ids_by_label: dict[str, list[str]] = defaultdict(list)
    for i in range(entities):
        label = labels[i] if i < len(labels) else rng.choices(labels, weights)[0]
        template = rng.choice(base.nodes[label])["p"]
        node_id = f"SYNTH:{i:08d}"
        props = dict(template, id=node_id, name=f"{template['name']} #{i}")
        nodes[label].append({"id": node_id, "p": props})
        ids_by_label[label].append(node_id)

    label_of = {row["id"]: label for label, rows in base.nodes.items() for row in rows}
    templates = [
        (rel_type, row, label_of[row["s"]], label_of[row["o"]])
        for rel_type, rows in sorted(base.relationships.items())
        for row in rows
    ]
    rels: dict[str, list[dict]] = defaultdict(list)
    for i in range(relations):
        rel_type, row, s_label, o_label = templates[rng.randrange(len(templates))]
        rel_id = f"synth:{i:010d}"
        rels[rel_type].append(
            {
                "id": rel_id,
                "s": rng.choice(ids_by_label[s_label]),
                "o": rng.choice(ids_by_label[o_label]),
                "p": dict(row["p"], id=rel_id),
            }
        )
    return LoadPlan(dict(nodes), dict(rels))
