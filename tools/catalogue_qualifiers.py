"""Print the qualifier and citation block that every one-relation query of ``cypher/`` returns.

Its columns are every qualifier of the schema in its order, then the paraphrase and the
citation (``tests/test_catalogue.py`` checks each query's header and rows against the schema);
``imidgraph.offline._cited`` answers the same offline. After a change of ``schema.QUALIFIERS``,
paste the printed RETURN lines and header columns into each such query (its relation is ``r``;
no other variable of the query may be called ``x``)::

    python tools/catalogue_qualifiers.py
"""

from __future__ import annotations

from imidgraph import schema

CITATION = ["paraphrase", "evidence", "source", "source_doi", "section", "refs", "primary_dois", "relation_id"]


def block() -> list[str]:
    lines = []
    for key, kind in schema.QUALIFIERS.items():
        if kind == "entity":
            lines.append(f"head(COLLECT {{ MATCH (x:Imidgraph {{id: r.q_{key}}}) RETURN x.name }}) AS {key}")
        elif kind == "entities":
            lines.append(
                f"COLLECT {{ MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_{key}, []) RETURN x.name ORDER BY x.name }} AS {key}"
            )
        else:
            lines.append(f"r.q_{key} AS {key}")
    return lines + [f"r.{c} AS {c}" if c != "relation_id" else "r.id AS relation_id" for c in CITATION]


if __name__ == "__main__":
    print("// columns: ..., " + ", ".join([*schema.QUALIFIERS, *CITATION]))
    print(",\n".join("       " + line for line in block()))
