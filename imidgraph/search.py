"""Full-text search over what the graph says: entity names and synonyms, and each relation's
paraphrase and text qualifiers (detail, trial, outcome, setting, model, ...), ranked, each hit
with its citation. The same hits, in the same order, offline and on Neo4j.

How parity holds by design:

* **One tokeniser** (:func:`words`): NFKC, look-alike letters read as Latin, case folded,
  accents dropped (ASCII-folded), Greek letters spelled out as words (``CK1α`` = ``CK1 alpha``;
  a single a/b/g/d/k right after a digit is read as alpha/beta/gamma/delta/kappa, ``CK1a``),
  letters and digits split (``IL2`` = ``IL-2``), each word singular and in American spelling
  (:func:`imidgraph.names.singular`, :func:`imidgraph.names.american`), and a few English
  stop words dropped. Entity documents also hold each name's lenient lookup key
  (:func:`imidgraph.names.lookup_key`, ``TNFa`` = ``TNF-α``) as one extra token, and so does a
  query.
* **Stored tokens**: every node and relationship carries ``search_text``, its tokens joined by
  spaces (``build.node_properties``/``edge_properties``), and Neo4j indexes it with the
  ``whitespace`` analyzer (full-text indexes ``imidgraph_entity_search`` and two
  ``imidgraph_relation_search_<hash of their relationship types>``), which splits on spaces and
  changes nothing else: Lucene's terms are exactly our tokens.
* **Candidates**: a document is a candidate when it holds any token of the query. Offline
  that is a scan of the token sets; on Neo4j the full-text indexes answer the query
  ``"t1" OR "t2" ...`` built from the same tokens: the same set.
* **One ranking** (:func:`rank`), in Python, on both backends, from the same documents
  (rebuilt from the node and relationship properties on Neo4j): Lucene's own score is not used.

The score of a document for query words q₁…qₙ (documented in README and used as is)::

    score = Σᵢ idf(qᵢ) · maxꜰ wꜰ · sat(tfꜰ(qᵢ), |F|)   over the fields F of the document
            × (matched words / n)                      coverage (1 for an exact name)
            × 1.5 if n ≥ 2 and the words occur in this order, adjacent, in one field
            + 3 · idf(key) if the query is one of the entity's names (its name key is)
    idf(q)     = ln(1 + (N − df(q) + 0.5) / (df(q) + 0.5)), N documents, df(q) holding q
    sat(tf, L) = tf / (tf + 1.2 · (0.25 + 0.75 · L / 10))

with field weights 3 for a name or synonym and 1 for a paraphrase or text qualifier, scores
rounded to 6 decimals. Ties go entities first, then by id.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import schema
from .model import Entity, Relation
from .names import _LOOKALIKES, american, lookup_key, singular
from .search_answer import Naming, naming, single_term

PROPERTY = "search_text"  # on every node and relationship: the tokens, space-separated
MAX_QUERY_TOKENS = 64

STOP_WORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with"]
)
_GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ξ": "xi", "π": "pi", "σ": "sigma",
    "ς": "sigma", "τ": "tau", "φ": "phi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_SPELLED = str.maketrans({k: f" {v} " for k, v in _GREEK_LETTERS.items()})
_LATIN_GREEK = {"a": "alpha", "b": "beta", "g": "gamma", "d": "delta", "k": "kappa"}  # after a digit: CK1a, IL1b
_TEXT_QUALIFIERS = tuple(k for k, kind in schema.QUALIFIERS.items() if kind == "text")
NAME_WEIGHT, TEXT_WEIGHT = 3.0, 1.0


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).casefold().translate(_GREEK_SPELLED)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The search tokens of ``text``, in order (see the module's docstring)."""
    out = []
    for run in re.findall(r"[a-z0-9]+", _fold(text)):
        parts = re.findall(r"[a-z]+|[0-9]+", run)
        for i, part in enumerate(parts):
            if part.isdigit():
                out.append(part)
                continue
            if len(part) == 1 and i > 0 and parts[i - 1].isdigit() and part in _LATIN_GREEK:
                part = _LATIN_GREEK[part]
            elif part in STOP_WORDS:
                continue
            out.append(american(singular(part)))
    return out


def name_key(text: str) -> str:
    """A name as one token: its lenient lookup key, ASCII-folded (``TNF-α`` -> ``tnfa``)."""
    key = unicodedata.normalize("NFKD", lookup_key(text))
    return "".join(ch for ch in key if not unicodedata.combining(ch) and not ch.isspace())


# --------------------------------------------------------------------------- documents


@dataclass
class Document:
    """What one entity or relation offers the search: its fields (name, weight, text, tokens)."""

    kind: str  # "entity" or "relation"
    id: str
    fields: list[tuple[str, float, str, list[str]]]
    keys: frozenset[str] = frozenset()  # entity: the name keys of its names and synonyms
    entity: Entity | None = None
    relation: Relation | None = None

    @functools.cached_property
    def tokens(self) -> set[str]:
        return {t for _, _, _, tokens in self.fields for t in tokens} | set(self.keys)


def entity_document(entity: Entity) -> Document:
    fields = [("name", NAME_WEIGHT, entity.name, words(entity.name))]
    fields += [("synonym", NAME_WEIGHT, s, words(s)) for s in entity.synonyms]
    keys = frozenset(k for k in map(name_key, (entity.name, *entity.synonyms)) if k)
    return Document("entity", entity.id, fields, keys, entity=entity)


def relation_document(relation: Relation) -> Document:
    fields = [("paraphrase", TEXT_WEIGHT, relation.paraphrase, words(relation.paraphrase))]
    for key in _TEXT_QUALIFIERS:
        value = relation.qualifiers.get(key)
        if isinstance(value, str) and value:
            fields.append((key, TEXT_WEIGHT, value, words(value)))
    return Document("relation", relation.id, fields, relation=relation)


def search_text(document: Document) -> str:
    """The stored property Neo4j's full-text index reads: the document's tokens, sorted."""
    return " ".join(sorted(document.tokens))


def query_tokens(text: str) -> tuple[list[str], str]:
    """The query's words (in order, each once) and its name key."""
    seen = list(dict.fromkeys(words(text)))[:MAX_QUERY_TOKENS]
    return seen, name_key(text)


def lucene_query(tokens: Iterable[str]) -> str:
    """``"t1" OR "t2" ...``: any of the tokens (which hold only letters and digits)."""
    return " OR ".join(f'"{t}"' for t in sorted(set(tokens)) if t)


# --------------------------------------------------------------------------- ranking


@dataclass
class Hit:
    """One search result: an entity or a relation, its score, the field that matched best and
    its citation (a relation's source, section, DOIs; an entity's sources and relation count)."""

    rank: int
    kind: str
    id: str
    title: str
    category: str
    score: float
    field: str
    text: str
    citation: str
    details: dict[str, Any] = field(default_factory=dict)
    match: str = "text"  # name, synonym (the query is its name), text (every word), partial


    def __repr__(self) -> str:
        return f"<Hit {self.rank}. {self.kind} {self.title!r} ({self.category}) score {self.score:g}>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "score": self.score,
            "match": self.match,
            "field": self.field,
            "text": self.text,
            "citation": self.citation,
            **self.details,
        }


def _saturation(tf: int, length: int) -> float:
    return tf / (tf + 1.2 * (0.25 + 0.75 * length / 10))


def _in_order(needle: list[str], hay: list[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def score(document: Document, query: list[str], key: str, idf: dict[str, float]) -> tuple[float, str, str]:
    """The document's score for the query, and the field (name, text) that matched best."""
    total, matched = 0.0, 0
    best: dict[int, float] = {}
    for term in query:
        term_best = 0.0
        for i, (_, weight, _, tokens) in enumerate(document.fields):
            tf = tokens.count(term)
            if tf:
                value = weight * _saturation(tf, len(tokens))
                term_best = max(term_best, value)
                best[i] = best.get(i, 0.0) + idf[term] * value
        if term_best:
            matched += 1
            total += idf[term] * term_best
    exact = bool(key) and key in document.keys
    if not matched and not exact:
        return 0.0, "", ""
    coverage = 1.0 if exact or not query else matched / len(query)
    result = total * coverage
    if len(query) >= 2 and any(_in_order(query, tokens) for _, _, _, tokens in document.fields):
        result *= 1.5
    if exact:
        result += NAME_WEIGHT * idf[key]
        field_name, text = next((f, t) for f, _, t, _ in document.fields if name_key(t) == key)
    else:
        at = max(best, key=lambda i: (best[i], -i)) if best else 0
        field_name, _, text, _ = document.fields[at]
    return round(result, 6), field_name, text


def rank(
    documents: list[Document], query: str, total: int
) -> list[tuple[Document, float, str, str]]:
    """The candidates that match, best first: (document, score, field, text).

    ``documents`` must hold every document with any token of the query (df is counted on
    them); ``total`` is the number of documents in the whole graph (N).
    """
    terms, key = query_tokens(query)
    df = {t: sum(1 for d in documents if t in d.tokens) for t in [*terms, key] if t}
    idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    found = []
    for document in documents:
        value, field_name, text = score(document, terms, key, idf)
        if value > 0:
            found.append((document, value, field_name, text))
    order = {"entity": 0, "relation": 1}
    found.sort(key=lambda x: (-x[1], order[x[0].kind], x[0].id))
    return found


# --------------------------------------------------------------------------- the backends


class SearchError(ValueError):
    """A search that cannot be run as asked (no words, an unknown category); one line."""


@dataclass
class Found:
    """The candidates of a backend: documents, the names and categories of the entities they
    mention, each entity's relation sources, and N."""

    documents: list[Document]
    names: dict[str, tuple[str, str]]  # id -> (name, category)
    entity_sources: dict[str, tuple[int, list[str]]]  # id -> (relations, sources)
    total: int


class Searchable(Protocol):
    """What the embedded search reads of a graph (the embedded graph and the facade have it)."""

    @property
    def entities(self) -> list[Entity]: ...

    @property
    def relations(self) -> list[Relation]: ...

    def relations_of(self, entity_id: str) -> list[Relation]: ...

    def entity(self, name: str) -> Entity: ...


def _documents(kg: Searchable) -> list[tuple[Document, frozenset[str]]]:
    """Every document of the graph with its tokens, made once per graph."""
    cached = getattr(kg, "_search_documents", None)
    if cached is None:
        documents = [entity_document(e) for e in kg.entities] + [relation_document(r) for r in kg.relations]
        cached = [(d, frozenset(d.tokens)) for d in documents]
        kg._search_documents = cached
    return cached


def memory_candidates(kg: Searchable, tokens: set[str]) -> Found:
    """The candidates of the embedded graph: every document with one of ``tokens``."""
    documents = _documents(kg)
    chosen = [d for d, held in documents if held & tokens]
    names = {e.id: (e.name, e.category) for e in kg.entities}
    sources = {}
    for d in chosen:
        if d.kind == "entity":
            rels = kg.relations_of(d.id)
            sources[d.id] = (len(rels), sorted({r.citation.source for r in rels}))
    return Found(chosen, names, sources, len(documents))


class Hits(list):
    """The hits of :func:`search`, best first: a list, :attr:`naming` (whether the query
    names an entity; :class:`~imidgraph.search_answer.Naming`), and :meth:`to_frame` for pandas."""

    naming: Naming | None = None

    def __repr__(self) -> str:
        """One line: how many hits, the first three."""
        first = "; ".join(f"{h.rank}. {h.title} ({h.kind}, {h.category})" for h in self[:3])
        more = f"; ... {len(self) - 3} more" if len(self) > 3 else ""
        return f"<{len(self)} search hit{'' if len(self) == 1 else 's'}{': ' + first if self else ''}{more}>"

    def to_dataframe(self):
        """The same as :meth:`to_frame`."""
        return self.to_frame()

    def to_frame(self):
        """One row per hit (``Hit.to_dict``'s keys); pandas is imported here, when asked for."""
        import pandas as pd  # imported only when a data frame is asked for

        return pd.DataFrame([h.to_dict() for h in self], columns=None if self else ["rank", "kind", "id", "title", "category", "score", "match", "field", "text", "citation"])


def search(
    kg: Searchable,
    text: str,
    *,
    category: str | None = None,
    kind: str | None = None,
    limit: int = 10,
    backend=None,
) -> Hits:
    """The entities and relations whose text matches ``text``, best first (at most ``limit``;
    0 for all). ``category`` keeps entities of that category and relations with an end of it;
    ``kind`` keeps only ``entity`` or ``relation`` hits. Offline by default;
    ``backend=Neo4jBackend(driver)`` asks the server's full-text indexes (the same hits)."""
    if category is not None:
        category = category_name(category)
    if kind not in (None, "entity", "relation"):
        raise SearchError(f"unknown kind {kind!r} (entity or relation)")
    terms, key = query_tokens(text)
    tokens = {*terms, key} - {""}
    if not tokens:
        raise SearchError(f"nothing to search for in {text!r}: give a word or a name")
    found = memory_candidates(kg, tokens) if backend is None else backend.search_candidates(tokens)
    ranked = [(d, v, f, t, _match(d, f, terms, key)) for d, v, f, t in rank(found.documents, text, found.total)]
    near = [d.entity.name for d, _, _, _, m in ranked if d.entity is not None and m == "partial"]
    hits = Hits()
    hits.naming = naming(kg, text, near)
    # a name that is not in the graph: what holds only part of it goes to the nearest names
    drop_partial = hits.naming.entity is None and not hits.naming.several and single_term(text)
    for document, value, field_name, matched, match in ranked:
        if (kind is not None and document.kind != kind) or (drop_partial and match == "partial"):
            continue
        hit = _hit(document, value, field_name, matched, found)
        if category is not None and category not in hit.details["categories"]:
            continue
        hit.rank, hit.match = len(hits) + 1, match
        hits.append(hit)
        if limit and len(hits) >= limit:
            break
    return hits


def _match(document: Document, field_name: str, terms: list[str], key: str) -> str:
    """How a document matched: name or synonym (the query is one of its names), text (every
    word of the query), partial (some words)."""
    if key and key in document.keys:
        return "name" if field_name == "name" else "synonym"
    return "text" if all(t in document.tokens for t in terms) else "partial"


def category_name(name: str) -> str:
    """A category of the schema, in any case; close matches if mistyped."""
    for c in schema.CATEGORIES:
        if c.casefold() == name.strip().casefold():
            return c
    close = difflib.get_close_matches(name, list(schema.CATEGORIES), n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else f" (one of: {', '.join(schema.CATEGORIES)})"
    raise SearchError(f"unknown category {name!r}{hint}")


def _hit(document: Document, value: float, field_name: str, text: str, found: Found) -> Hit:
    if document.entity is not None:
        e = document.entity
        n, sources = found.entity_sources.get(e.id, (0, []))
        cites = f"{n} relation(s) citing {', '.join(sources)}" if sources else "no relations"
        details = {"categories": [e.category], "relations": n, "sources": sources}
        return Hit(0, "entity", e.id, e.name, e.category, value, field_name, text, cites, details)
    r = document.relation
    assert r is not None
    subject, object_ = found.names[r.subject], found.names[r.object]
    c = r.citation
    details = {
        "categories": sorted({subject[1], object_[1]}),
        "subject": subject[0],
        "predicate": r.predicate,
        "object": object_[0],
        "evidence": r.evidence,
        "source": c.source,
        "source_doi": c.doi or "",
        "section": c.section,
        "refs": list(c.refs),
        "primary_dois": list(c.primary_dois),
        "paraphrase": r.paraphrase,
    }
    title = f"{subject[0]} -{r.predicate}-> {object_[0]}"
    return Hit(0, "relation", r.id, title, r.predicate, value, field_name, text, str(c), details)
