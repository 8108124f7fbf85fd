"""The load plan: what a load writes, in memory (:class:`LoadPlan`) or streamed batch by batch
(:class:`StreamedPlan`), with the content hash that names it.

Both give the loaders the same thing: counts per label and type, the content hash (a digest
of every row, in a fixed order), and the rows group by group. Labels and types are checked
against the schema's vocabulary (they are spliced into Cypher).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from .. import schema
from ..facts import FactSet
from ..properties import stored_edge_properties, stored_node_properties
from .vocabulary import CATEGORY_LABELS, REL_TYPES

Groups = Iterable[tuple[str, Iterable[dict]]]


class _Plan:
    """What every plan gives the loader: counts, the content hash, and its rows group by group
    (labels, then types, in ascending order; rows in ascending id order)."""

    content_hash: str

    def label_counts(self) -> dict[str, int]:
        raise NotImplementedError

    def type_counts(self) -> dict[str, int]:
        raise NotImplementedError

    def node_groups(self) -> Groups:
        raise NotImplementedError

    def relationship_groups(self) -> Groups:
        raise NotImplementedError

    @property
    def entity_count(self) -> int:
        return sum(self.label_counts().values())

    @property
    def relation_count(self) -> int:
        return sum(self.type_counts().values())

    @property
    def rows(self) -> int:
        return self.entity_count + self.relation_count


def _check_vocabulary(labels, types) -> None:
    unknown = set(labels) - set(CATEGORY_LABELS)
    unknown |= set(types) - set(REL_TYPES)
    if unknown:  # labels and types are spliced into Cypher: only the vocabulary may pass
        raise ValueError(f"not in the schema vocabulary: {sorted(unknown)}")


@dataclass
class LoadPlan(_Plan):
    """The rows to write, in memory: node rows by category label, relationship rows by type.

    Node row: ``{"id", "p"}``; relationship row: ``{"id", "s", "o", "p"}`` where ``p`` is the
    full property map as Neo4j stores it (``build.stored_node_properties`` and
    ``stored_edge_properties``: no empty lists, nothing derivable).
    """

    nodes: dict[str, list[dict]]
    relationships: dict[str, list[dict]]
    content_hash: str = ""

    def __post_init__(self) -> None:
        _check_vocabulary(self.nodes, self.relationships)
        for kind, groups in (("entity", self.nodes), ("relation", self.relationships)):
            ids = [row["id"] for rows in groups.values() for row in rows]
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {kind} ids in the plan")
        if not self.content_hash:
            self.content_hash = _content_hash(self.node_groups(), self.relationship_groups())

    @classmethod
    def from_facts(cls, facts: FactSet) -> LoadPlan:
        nodes: dict[str, list[dict]] = defaultdict(list)
        for entity in facts.entities.values():
            props = stored_node_properties(entity)
            nodes[entity.category].append({"id": entity.id, "p": props})
        rels: dict[str, list[dict]] = defaultdict(list)
        for relation in facts.relations:
            rels[schema.rel_type(relation.predicate)].append(
                {
                    "id": relation.id,
                    "s": relation.subject,
                    "o": relation.object,
                    "p": stored_edge_properties(relation),
                }
            )
        return cls(dict(nodes), dict(rels))

    def node_groups(self) -> Groups:
        return _sorted_groups(self.nodes)

    def relationship_groups(self) -> Groups:
        return _sorted_groups(self.relationships)

    def property_samples(self) -> dict[str, dict]:
        """For each label and type, every property name its rows use, with one value of it."""
        samples: dict[str, dict] = {}
        for groups in (self.nodes, self.relationships):
            for name, rows in groups.items():
                sample = samples[name] = {}
                for row in rows:
                    sample.update({k: v for k, v in row["p"].items() if k not in sample})
        return samples

    def node_ids(self) -> list[str]:
        return [row["id"] for rows in self.nodes.values() for row in rows]

    def label_counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in sorted(self.nodes.items()) if rows}

    def type_counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in sorted(self.relationships.items()) if rows}


def _sorted_groups(groups: dict[str, list[dict]]) -> Groups:
    return [(name, sorted(groups[name], key=lambda r: r["id"])) for name in sorted(groups) if groups[name]]


class StreamedPlan(_Plan):
    """A plan whose rows are produced group by group, batch by batch, never all held at once.

    ``nodes()`` and ``relationships()`` return the groups afresh at each call (they are read
    once for the content hash, once more to write): ``(label, rows)`` with labels in ascending
    order and rows in ascending id order, which is the order the content hash is defined over,
    so a streamed plan has the hash of the same rows in a :class:`LoadPlan`. The order is
    checked while hashing (it also rules out duplicate ids within a label or type), and so are
    the counts given and, across labels, the node ids.
    """

    def __init__(
        self,
        label_counts: dict[str, int],
        type_counts: dict[str, int],
        nodes: Callable[[], Groups],
        relationships: Callable[[], Groups],
    ):
        _check_vocabulary(label_counts, type_counts)
        self._labels = {k: v for k, v in sorted(label_counts.items()) if v}
        self._types = {k: v for k, v in sorted(type_counts.items()) if v}
        self._nodes = nodes
        self._relationships = relationships
        self._hash = ""
        self._samples: dict[str, dict] = {}

    def label_counts(self) -> dict[str, int]:
        return dict(self._labels)

    def type_counts(self) -> dict[str, int]:
        return dict(self._types)

    def node_groups(self) -> Groups:
        return self._nodes()

    def relationship_groups(self) -> Groups:
        return self._relationships()

    @property
    def content_hash(self) -> str:  # one pass over every row, the first time it is asked for
        if not self._hash:
            counted: dict[str, int] = {}
            node_ids: set[str] = set()

            samples: dict[str, dict] = {}

            def counting(groups: Groups, nodes: bool) -> Groups:
                for name, rows in groups:
                    counted[name] = 0
                    sample = samples[name] = {}
                    for row in rows:
                        counted[name] += 1
                        if nodes:
                            node_ids.add(row["id"])
                        p = row["p"]
                        if p.keys() - sample.keys():  # a property name not seen yet in this group
                            sample.update({k: v for k, v in p.items() if k not in sample})
                        yield name, row

            def regroup(pairs) -> Groups:  # (name, row) pairs back into groups, lazily
                for name, group in groupby(pairs, key=lambda pair: pair[0]):
                    yield name, (row for _, row in group)

            digest = _content_hash(
                regroup(counting(self._nodes(), True)), regroup(counting(self._relationships(), False))
            )
            if counted != {**self._labels, **self._types}:
                raise ValueError("the streamed rows do not match the plan's counts")
            if len(node_ids) != sum(self._labels.values()):
                raise ValueError("duplicate entity ids in the plan")
            self._samples = samples
            self._hash = digest
        return self._hash

    def property_samples(self) -> dict[str, dict]:
        """For each label and type, every property name its rows use, with one value of it
        (collected while hashing; for writing typed CSV headers)."""
        _ = self.content_hash
        return self._samples

    def materialize(self) -> LoadPlan:
        """The same plan held in memory (for small plans: tests, the baseline benchmark)."""
        nodes = {name: list(rows) for name, rows in self.node_groups()}
        rels = {name: list(rows) for name, rows in self.relationship_groups()}
        return LoadPlan(nodes, rels)


Plan = LoadPlan | StreamedPlan


def _content_hash(node_groups: Groups, relationship_groups: Groups) -> str:
    """A digest of everything written: rows by label, then by type, each in ascending id order
    (so independent of the order rows were given in). Refuses groups or rows out of order."""
    digest = hashlib.sha256()
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    for groups in (node_groups, relationship_groups):
        last_name = None
        for name, rows in groups:
            if last_name is not None and name <= last_name:
                raise ValueError(f"the plan's groups are not in ascending order ({name} after {last_name})")
            last_name, last_id = name, None
            for row in rows:
                if last_id is not None and row["id"] <= last_id:
                    raise ValueError(f"the rows of {name} are not in ascending id order ({row['id']} after {last_id})")
                last_id = row["id"]
                digest.update(encode([name, row]).encode())
    return digest.hexdigest()[:20]
