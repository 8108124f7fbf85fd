"""Print the qualifier and citation block that every one-relation query of ``cypher/`` returns.

Its columns are every qualifier of the schema in its order, then the paraphrase and the
citation (``tests/test_catalogue.py`` checks each query's header and rows against the schema);
``imidgraph.embedded.answers.rows._cited`` answers the same offline. After a change of ``schema.QUALIFIERS``,
rewrite the block (from ``r.q_aspect AS aspect`` to ``r.id AS relation_id``) and the header
columns of every such query in place (its relation is ``r``; no other variable of the query may
be called ``x``), or print the block::

    python tools/catalogue_qualifiers.py --write
    python tools/catalogue_qualifiers.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from imidgraph import schema
from imidgraph.properties import EDGE_LIST_PROPERTIES

CYPHER = Path(__file__).resolve().parent.parent / "cypher"

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
    return lines + [_citation_column(c) for c in CITATION]


# the list properties Neo4j does not store when empty (build.EDGE_LIST_PROPERTIES): [] back
def _citation_column(column: str) -> str:
    if column == "relation_id":
        return "r.id AS relation_id"
    if column in EDGE_LIST_PROPERTIES:
        return f"coalesce(r.{column}, []) AS {column}"
    return f"r.{column} AS {column}"


def columns() -> list[str]:
    return [*schema.QUALIFIERS, *CITATION]


def rewrite(path: Path) -> bool:
    """Put the current block and columns into one query file; True if it changed."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if "r.q_aspect AS aspect" in line), None)
    if first is None:
        return False
    last = next(i for i in range(first, len(lines)) if "r.id AS relation_id" in lines[i])
    prefix = lines[first][: lines[first].index("r.q_aspect")]
    suffix = lines[last][lines[last].index("r.id AS relation_id") + len("r.id AS relation_id") :]
    body = block()
    new = [prefix + body[0]] + ["       " + line for line in body[1:]]
    new = [line + "," for line in new[:-1]] + [new[-1] + suffix]
    lines[first : last + 1] = new
    header = next(i for i, line in enumerate(lines) if line.startswith("// columns: "))
    lines[header] = re.sub(r"aspect, .*relation_id", ", ".join(columns()), lines[header])
    out = "\n".join(lines)
    if out != text:
        path.write_text(out, encoding="utf-8")
    return out != text


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        for path in sorted(CYPHER.glob("*.cypher")):
            if rewrite(path):
                print(f"rewrote {path.name}")
    else:
        print("// columns: ..., " + ", ".join(columns()))
        print(",\n".join("       " + line for line in block()))
