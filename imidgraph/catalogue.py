"""The named Cypher queries of ``cypher/``: one file per query, a header, then the query.

Header lines start with ``//`` and come before the query::

    // name: drug_targets
    // description: A drug's direct targets and the neosubstrates it degrades.
    // param: drug (entity) = lenalidomide | the drug (name, synonym or CURIE)
    // columns: relation, target, ...

Every ``$parameter`` the query uses must be declared, and every declared one used. An
``(entity)`` parameter is given as a name, synonym or CURIE and reaches the query as the
entity's CURIE (resolved the same way for both backends); a ``(predicate)`` one must be a
predicate of the vocabulary (any case; a mistyped one is refused with close matches); a
``(text)`` one is passed as is.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .names import AmbiguousName, UnknownEntity
from .schema import UnknownPredicate, predicate_name

_HEADER = re.compile(r"^//\s*(name|description|param|columns)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<key>[a-z_][a-z0-9_]*)\s*\((?P<kind>entity|predicate|text)\)\s*=\s*(?P<example>[^|]+?)\s*\|\s*(?P<doc>.+)$"
)
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class CatalogueError(ValueError):
    """A catalogue file is malformed, or a query is asked for wrongly; one line, for users."""


@dataclass(frozen=True)
class Param:
    key: str
    kind: str
    example: str
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path

    def bind(self, given: dict[str, str]) -> dict[str, str]:
        """Check ``given`` against the declared parameters (missing or unexpected: error)."""
        declared = {p.key for p in self.params}
        unexpected = sorted(set(given) - declared)
        if unexpected:
            raise CatalogueError(
                f"query {self.name!r} has no parameter {unexpected[0]!r} "
                f"(it takes: {', '.join(sorted(declared)) or 'none'})"
            )
        missing = [p.key for p in self.params if p.key not in given]
        if missing:
            example = " ".join(f"-p {p.key}={p.example!r}" for p in self.params)
            raise CatalogueError(f"query {self.name!r} needs parameter {missing[0]!r} (e.g. {example})")
        return dict(given)

    def examples(self) -> dict[str, str]:
        return {p.key: p.example for p in self.params}


def default_dir() -> Path:
    """The project's ``cypher/`` folder, or the copy packaged with the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "cypher", here / "cypher"):
        if candidate.is_dir():
            return candidate
    raise CatalogueError("no cypher/ folder found next to the package")


def read_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[tuple[int, str]]] = {}
    body_lines = []
    in_header = True
    for number, line in enumerate(text.splitlines(), start=1):
        if in_header:
            match = _HEADER.match(line)
            if match:
                fields.setdefault(match.group(1), []).append((number, match.group(2)))
                continue
            if line.startswith("//") or not line.strip():
                continue  # a free comment or a blank line in the header
            in_header = False
        body_lines.append(line)
    cypher = "\n".join(body_lines).strip()

    def one(key: str) -> str:
        values = fields.get(key, [])
        if len(values) != 1:
            raise CatalogueError(f"{path}:1: field {key!r}: needs exactly one '// {key}:' header line")
        return values[0][1]

    name = one("name")
    if name != path.stem:
        raise CatalogueError(
            f"{path}:{fields['name'][0][0]}: field 'name': {name!r} differs from the file name"
        )
    params = []
    for number, value in fields.get("param", []):
        match = _PARAM.match(value)
        if not match:
            raise CatalogueError(
                f"{path}:{number}: field 'param': expected 'key (entity|predicate|text) = example | description'"
            )
        params.append(Param(match["key"], match["kind"], match["example"], match["doc"]))
    columns = tuple(c.strip() for c in one("columns").split(",") if c.strip())
    used = set(_USED.findall(cypher))
    declared = {p.key for p in params}
    if used != declared:
        what = sorted(used - declared) or sorted(declared - used)
        problem = "used but not declared" if used - declared else "declared but not used"
        raise CatalogueError(f"{path}: field 'param': ${what[0]} is {problem}")
    if not cypher:
        raise CatalogueError(f"{path}: no query after the header")
    return NamedQuery(name, one("description"), tuple(params), columns, cypher, path)


@functools.cache
def read_catalogue(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every query of ``folder`` (default: the project's ``cypher/``), read once per process."""
    folder = folder or default_dir()
    queries = {}
    for path in sorted(folder / n for n in os.listdir(folder) if n.endswith(".cypher")):  # glob: slower to start
        query = read_query(path)
        queries[query.name] = query
    return queries


def get(queries: dict[str, NamedQuery], name: str) -> NamedQuery:
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean: {', '.join(close)}?" if close else "; see 'imidgraph query --list'"
        raise CatalogueError(f"no query named {name!r}{hint}")
    return queries[name]


def resolve_params(kg, query: NamedQuery, given: dict[str, str]) -> dict[str, str]:
    """Check ``given`` and turn ``(entity)`` parameters (names, synonyms, CURIEs) into CURIEs
    and ``(predicate)`` ones into the vocabulary's predicate (close matches if mistyped).

    Both backends then receive the same CURIEs, so they answer the same question.
    """
    params = query.bind(given)
    for param in query.params:
        if param.kind == "predicate":
            try:
                params[param.key] = predicate_name(params[param.key])
            except UnknownPredicate as e:
                raise CatalogueError(f"parameter {param.key!r}: {e}") from e
        if param.kind != "entity":
            continue
        try:
            params[param.key] = kg.entity(params[param.key]).id
        except (UnknownEntity, AmbiguousName) as e:
            raise CatalogueError(f"parameter {param.key!r}: {e}") from e
    return params
