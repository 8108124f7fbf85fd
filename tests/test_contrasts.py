"""Fair contrasts (issue 19, item 6): ``explain --versus``, ``drug_difference`` and
``side_effects_compared`` are symmetric, count a class's statements for its members, compare
like with like, keep three states (yes, no, not stated), name their columns after the drugs and
say why a contrast is empty. Every case runs on the embedded graph and on Neo4j."""

from __future__ import annotations

import pytest

from imidgraph import catalogue
from imidgraph.backends import MemoryBackend
from imidgraph.catalogue import resolve_params
from imidgraph.neo4j.backend import Neo4jBackend

from .conftest import ROOT

QUERIES = catalogue.read_catalogue(ROOT / "cypher")
IMIDS = ["thalidomide", "lenalidomide", "pomalidomide", "iberdomide", "avadomide", "IMiD"]



@pytest.fixture
def backend(backend, kg):
    """The conftest's backend, with the embedded graph as a MemoryBackend (catalogue queries run on it)."""
    return MemoryBackend(kg) if backend is None else backend


def rows(kg, backend, name: str, a: str, b: str) -> list[dict]:
    query = QUERIES[name]
    return backend.run(query, resolve_params(kg, query, {"drug_a": a, "drug_b": b})).records()


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["drug_difference", "side_effects_compared"])
def test_both_backends_give_the_same_rows_for_every_pair(kg, loaded_server, name):
    memory = MemoryBackend(kg)
    for a in IMIDS:
        for b in IMIDS:
            if a != b:
                assert rows(kg, loaded_server, name, a, b) == rows(kg, memory, name, a, b), (name, a, b)


def mirrored(records: list[dict]) -> list[dict]:
    """The rows of (b, a) as the rows of (a, b) would read: every _a column swapped with its _b
    column, the difference's words as they are (they name the drugs)."""
    out = []
    for row in records:
        flipped = dict(row)
        for key in row:
            if key.endswith("_a"):
                flipped[key], flipped[key[:-2] + "_b"] = row[key[:-2] + "_b"], row[key]
        out.append(flipped)
    return out


def without_ids(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "relation_ids"} for r in records]


def shown(records: list[dict], *keys: str) -> list[dict]:
    return [{k: r[k] for k in keys} for r in records]


# --------------------------------------------------------------------------- drug_difference


def test_an_approval_and_a_study_of_one_disease_are_both_uses_not_a_difference(kg, backend):
    found = rows(kg, backend, "drug_difference", "lenalidomide", "thalidomide")
    wanted = {"follicular lymphoma", "mantle cell lymphoma", "myelodysplastic syndrome", "marginal zone lymphoma", "myelodysplastic syndrome with isolated del(5q)"}
    uses = [r for r in found if r["relation"] == "use" and r["object"] in wanted]
    assert shown(uses, "object", "difference", "state_a", "state_b", "stated_a", "stated_b") == [
        {"object": "follicular lymphoma", "difference": "both used; lenalidomide approved, thalidomide studied clinically",
         "state_a": "yes", "state_b": "yes", "stated_a": ["approved"], "stated_b": ["studied clinically"]},
        {"object": "mantle cell lymphoma", "difference": "both used; lenalidomide approved, thalidomide studied clinically",
         "state_a": "yes", "state_b": "yes", "stated_a": ["active preclinically", "approved"], "stated_b": ["studied clinically"]},
        # thalidomide's study in MALT lymphoma, a subtype, is a use in marginal zone lymphoma
        {"object": "marginal zone lymphoma", "difference": "both used; lenalidomide approved, thalidomide studied clinically",
         "state_a": "yes", "state_b": "yes", "stated_a": ["approved"], "stated_b": ["studied clinically (subtype MALT lymphoma)"]},
        {"object": "myelodysplastic syndrome", "difference": "both used; lenalidomide approved, thalidomide studied clinically",
         "state_a": "yes", "state_b": "yes", "stated_a": ["active preclinically", "approved"], "stated_b": ["studied clinically"]},
        # a study in the parent (MDS) is noted, not counted as a use in del(5q) MDS
        {"object": "myelodysplastic syndrome with isolated del(5q)", "difference": "lenalidomide only",
         "state_a": "yes", "state_b": "not stated", "stated_a": ["approved", "studied clinically"],
         "stated_b": ["studied clinically (parent myelodysplastic syndrome)"]},
    ]  # fmt: skip
    # nothing is "thalidomide only" that lenalidomide is approved or studied for
    assert not [r for r in found if r["relation"] == "use" and r["difference"] == "thalidomide only" and r["object"] in wanted]
    assert {r["drug_a"] for r in found} == {"lenalidomide"} and {r["drug_b"] for r in found} == {"thalidomide"}


def test_a_class_statement_counts_for_its_members_and_not_with_is_a_stated_no(kg, backend):
    found = rows(kg, backend, "drug_difference", "lenalidomide", "pomalidomide")
    by_key = {(r["relation"], r["object"]): r for r in found}
    # lenalidomide raises IL-2 itself, pomalidomide through the IMiD class: no difference
    assert ("increases", "IL2") not in by_key
    assert shown([by_key[("degrades", "CSNK1A1")], by_key[("has_side_effect", "therapy-related myeloid neoplasm")]],
                 "difference", "state_a", "state_b", "stated_a", "stated_b") == [
        {"difference": "lenalidomide, not pomalidomide", "state_a": "yes", "state_b": "no",
         "stated_a": ["more than pomalidomide", "stated"], "stated_b": ["less than lenalidomide", "stated not (relation of lenalidomide)"]},
        {"difference": "lenalidomide, not pomalidomide", "state_a": "yes", "state_b": "no",
         "stated_a": ["stated"], "stated_b": ["stated not (relation of lenalidomide)"]},
    ]  # fmt: skip
    # a class's statement, marked as the class's, where the other drug has none
    avadomide = {(r["relation"], r["object"]): r for r in rows(kg, backend, "drug_difference", "lenalidomide", "avadomide")}
    assert ("increases", "IL2") not in avadomide  # avadomide raises IL-2 too
    tnf = avadomide[("decreases", "TNF")]
    assert (tnf["difference"], tnf["state_a"], tnf["state_b"], tnf["stated_a"]) == ("lenalidomide only", "yes", "not stated", ["stated (IMiD class)"])


@pytest.mark.parametrize("name", ["drug_difference", "side_effects_compared"])
def test_comparing_b_with_a_gives_the_rows_of_a_with_b_mirrored(kg, backend, name):
    order = "object" if name == "drug_difference" else "side_effect"
    for a, b in [("lenalidomide", "thalidomide"), ("lenalidomide", "pomalidomide"), ("thalidomide", "iberdomide")]:
        ab, ba = rows(kg, backend, name, a, b), rows(kg, backend, name, b, a)
        assert ab

        def key(r: dict) -> tuple:
            return (r.get("relation", ""), r[order])

        assert sorted(without_ids(mirrored(ba)), key=key) == sorted(without_ids(ab), key=key), (a, b)
        # the ids follow the citations: a's then b's
        assert sorted(sorted(r["relation_ids"]) for r in ab) == sorted(sorted(r["relation_ids"]) for r in ba)


# --------------------------------------------------------------------------- side_effects_compared


def test_side_effects_keep_silence_apart_from_a_stated_no(kg, backend):
    thal = {r["side_effect"]: r for r in rows(kg, backend, "side_effects_compared", "lenalidomide", "thalidomide")}
    assert shown([thal["teratogenicity"], thal["venous thromboembolism"]], "state_a", "state_b", "stated_a", "stated_b", "evidence_a", "evidence_b") == [
        {"state_a": "not stated", "state_b": "yes", "stated_a": [], "stated_b": ["stated"], "evidence_a": [], "evidence_b": ["clinical_observation"]},
        {"state_a": "yes", "state_b": "yes", "stated_a": ["stated"], "stated_b": ["stated"],
         "evidence_a": ["clinical_observation"], "evidence_b": ["clinical_observation"]},
    ]  # fmt: skip
    pom = {r["side_effect"]: r for r in rows(kg, backend, "side_effects_compared", "lenalidomide", "pomalidomide")}
    tmn = pom["therapy-related myeloid neoplasm"]
    assert (tmn["state_a"], tmn["state_b"], tmn["stated_b"]) == ("yes", "no", ["stated not (relation of lenalidomide)"])
    # the "no" cites the relation that says it
    assert tmn["citations_b"] == ["guo2022 doi:10.3389/fimmu.2022.1017990 §2.2 Mechanism of action refs 171"]
    assert {r["state_a"] for r in pom.values()} | {r["state_b"] for r in pom.values()} == {"yes", "no", "not stated"}


def test_the_table_heads_the_columns_with_the_drugs_names_and_json_keeps_the_keys():
    from click.testing import CliRunner

    from imidgraph.cli import main

    table = CliRunner().invoke(main, ["query", "side_effects_compared", "-p", "drug_a=lenalidomide", "-p", "drug_b=pomalidomide"], env={"COLUMNS": "100"})
    assert table.exit_code == 0, table.output
    block = table.output.split("side_effect              therapy-related myeloid neoplasm\n")[1].split("\n[")[0].splitlines()
    assert block[:4] == [
        "lenalidomide             yes",
        "pomalidomide             no",
        "lenalidomide: how        stated",
        "pomalidomide: how        stated not (relation of lenalidomide)",
    ]
    assert "in_a" not in table.output and "state_a" not in table.output and "drug_a " not in table.output
    as_json = CliRunner().invoke(main, ["query", "drug_difference", "-p", "drug_a=lenalidomide", "-p", "drug_b=thalidomide", "--format", "json"])
    import json

    first = json.loads(as_json.output)[0]
    assert list(first) == list(QUERIES["drug_difference"].columns)


# --------------------------------------------------------------------------- explain --versus


@pytest.fixture
def explain_backend(backend):
    """What kg.explain searches: the embedded graph (None) or Neo4j."""
    return backend if isinstance(backend, Neo4jBackend) else None


def contrasts(kg, e) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [(kg.name(c.drug), kg.name(c.step.subject), c.step.predicate, kg.name(c.step.object), c.statuses) for c in e.contrasts]


def versus_section(e) -> list[str]:
    text = e.to_text()
    text = text[text.index(f"\nVersus {e.name(e.versus)}\n") + 1 :]
    return text.split("\nNot known\n")[0].rstrip("\n").splitlines()


def test_nk_cells_count_the_imid_class_il2_fact_for_pomalidomide_and_show_its_zap70_route(kg, explain_backend):
    """Pomalidomide's NK activation goes through ZAP-70, which it binds and phosphorylates, and
    ZAP-70 activates NK cells (3.2.2, ref 218): its own route, not stated for lenalidomide."""
    e = kg.explain("lenalidomide", "natural killer cell", versus="pomalidomide", backend=explain_backend)
    assert contrasts(kg, e) == [
        ("lenalidomide", "lenalidomide", "increases", "IL2", ("shared_class",)),
        ("lenalidomide", "IMiD", "degrades", "IKZF1", ("shared",)),
        ("lenalidomide", "IMiD", "degrades", "IKZF3", ("shared",)),
        ("pomalidomide", "pomalidomide", "binds", "ZAP70", ("not_stated",)),
        ("pomalidomide", "pomalidomide", "increases", "ZAP70", ("not_stated",)),
    ]
    lines = versus_section(e)
    assert [line for line in lines if not line.startswith("      ")] == [
        "Versus pomalidomide",
        "  shared with pomalidomide (stated for its class): lenalidomide increases IL2 (production)",
        "  shared with pomalidomide: IMiD degrades IKZF1",
        "  shared with pomalidomide: IMiD degrades IKZF3",
        "  not stated for lenalidomide: pomalidomide binds ZAP70 (CRBN-independent)",
        "  not stated for lenalidomide: pomalidomide increases ZAP70 (phosphorylation) (CRBN-independent)",
        "",
        "  pomalidomide's own routes to natural killer cell (none of lenalidomide's paths takes them):",
        "  1. [reach, reaches it] pomalidomide increases ZAP70 (phosphorylation); ZAP70 increases natural killer cell (activation) (CRBN-independent)",
        "  2. [reach, reaches it] pomalidomide binds ZAP70; ZAP70 increases natural killer cell (activation) (CRBN-independent)",
    ]
    assert "not stated for pomalidomide" not in e.to_text()
    summary = " ".join(e.summary().split())
    assert "both act on IKZF1, IKZF3, IL2 (pomalidomide through its class)" in summary
    assert "pomalidomide's own steps act on ZAP70, not stated (or less) for lenalidomide" in summary
    assert "pomalidomide has 2 route(s) here that lenalidomide has not" in summary
    document = e.to_dict()["versus"]
    assert [p["sentence"] for p in document["other_routes"]] == [
        "pomalidomide increases ZAP70 (phosphorylation); ZAP70 increases natural killer cell (activation).",
        "pomalidomide binds ZAP70; ZAP70 increases natural killer cell (activation).",
    ]
    assert document["own_routes"] == [] and document["empty_reason"] is None


def test_t_mn_versus_pomalidomide_says_what_is_stated_not_and_why_pomalidomide_has_nothing(kg, explain_backend):
    e = kg.explain("lenalidomide", "therapy-related myeloid neoplasm", versus="pomalidomide", backend=explain_backend)
    assert versus_section(e) == [
        "Versus pomalidomide",
        "  stronger than pomalidomide, not with pomalidomide: lenalidomide degrades CSNK1A1 via CRBN",
        "  not with pomalidomide: lenalidomide increases hematopoietic stem and progenitor cell (expansion) via CSNK1A1",
        "  not with pomalidomide: lenalidomide has the side effect therapy-related myeloid neoplasm (risk) (via CSNK1A1, hematopoietic stem and progenitor cell)",
        "",
        "  lenalidomide's own routes to therapy-related myeloid neoplasm (none of pomalidomide's paths takes them):",
        "  1. [observed, raises it] lenalidomide increases hematopoietic stem and progenitor cell (expansion) via CSNK1A1; lenalidomide has the side effect therapy-related myeloid neoplasm via hematopoietic stem and progenitor cell",
        "  2. [observed, raises it] lenalidomide degrades CSNK1A1 via CRBN; lenalidomide has the side effect therapy-related myeloid neoplasm via CSNK1A1",
        "  3. [driver, raises it] lenalidomide degrades CSNK1A1 via CRBN; CSNK1A1 decreases hematopoietic stem and progenitor cell (expansion); so lenalidomide raises hematopoietic stem and progenitor cell (expansion), which contributes to therapy-related myeloid neoplasm",
        "  4. [observed, raises it] lenalidomide degrades CSNK1A1 via CRBN; CSNK1A1 decreases hematopoietic stem and progenitor cell (expansion); lenalidomide has the side effect therapy-related myeloid neoplasm via hematopoietic stem and progenitor cell",
        "  Pomalidomide has no path to therapy-related myeloid neoplasm in the graph.",
    ]
    assert e.to_dict()["versus"]["empty_reason"] == "pomalidomide has no path to therapy-related myeloid neoplasm in the graph"
    # from pomalidomide's side: the same contrasts, and its summary says it is stated not to
    back = kg.explain("pomalidomide", "therapy-related myeloid neoplasm", versus="lenalidomide", backend=explain_backend)
    assert versus_section(back)[1:] == versus_section(e)[1:]
    assert " ".join(back.summary().split()).endswith(
        "Versus lenalidomide: pomalidomide is stated not to act as lenalidomide does on CSNK1A1, hematopoietic stem and "
        "progenitor cell, therapy-related myeloid neoplasm; lenalidomide has 4 route(s) here that pomalidomide has not; "
        "pomalidomide has no path to therapy-related myeloid neoplasm in the graph."
    )


def test_an_empty_comparison_says_why_instead_of_an_empty_heading(kg, explain_backend):
    e = kg.explain("iberdomide", "ACTH stimulation", versus="avadomide", backend=explain_backend)
    assert e.contrasts == []
    assert versus_section(e) == [
        "Versus avadomide",
        "  Neither iberdomide nor avadomide has a path to ACTH stimulation in the graph; nothing to compare.",
    ]
    assert e.summary().endswith("Versus avadomide: neither iberdomide nor avadomide has a path to ACTH stimulation in the graph; nothing to compare.")


def test_a_use_in_a_parent_disease_is_noted_not_counted(kg, explain_backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", versus="pomalidomide", backend=explain_backend)
    (use,) = [c for c in e.contrasts if c.step.predicate == "approved_for"]
    assert use.statuses == ("not_stated", "parent")
    assert [(kg.name(r["_subject"]), r["predicate"], kg.name(r["_object"])) for r in use.other_relations] == [
        ("pomalidomide", "studied_clinically_for", "myelodysplastic syndrome")
    ]
    assert "no use of pomalidomide in myelodysplastic syndrome with isolated del(5q) is stated (it is studied clinically in myelodysplastic syndrome, a parent)" in " ".join(e.summary().split())


def facts(kg, e) -> set[tuple]:
    """What the contrasts say, drug by drug, whichever drug was explained: who states the step
    (by its own relation or its class's), who is stated not to, who does it more, whose route
    is not stated for the other, who has it only for a subtype or a parent."""
    said = {
        "more_than": (0, "more"), "own_route": (0, "route"), "other_more": (1, "more"), "other_route": (1, "route"),
        "not_with": (1, "no"), "not_stated": (1, "not stated"), "subtype": (1, "subtype"), "parent": (1, "parent"),
    }  # fmt: skip
    out = set()
    for c in e.contrasts:
        key = ("use" if c.step.predicate in ("approved_for", "studied_clinically_for", "active_preclinically_in") else c.step.predicate, c.step.object)
        drug, other = kg.name(c.drug), kg.name(c.other)
        out.add((key, drug, "has"))
        if "class_only" not in c.statuses:
            out.add((key, drug, "own"))
        if {"shared", "shared_class"} & set(c.statuses):
            out.add((key, other, "has"))
        if "shared" in c.statuses:
            out.add((key, other, "own"))
        for status in c.statuses:
            if status in said:
                side, word = said[status]
                out.add((key, (drug, other)[side], word))
    return out


@pytest.mark.parametrize(
    "a, b, target",
    [
        ("lenalidomide", "pomalidomide", "natural killer cell"),
        ("lenalidomide", "pomalidomide", "therapy-related myeloid neoplasm"),
        ("lenalidomide", "pomalidomide", "del(5q) MDS"),
        ("lenalidomide", "thalidomide", "multiple myeloma"),
        ("thalidomide", "iberdomide", "erythema nodosum leprosum"),
    ],
)
def test_versus_says_the_same_from_both_sides(kg, explain_backend, a, b, target):
    ab = kg.explain(a, target, versus=b, backend=explain_backend)
    ba = kg.explain(b, target, versus=a, backend=explain_backend)
    assert ab.contrasts and facts(kg, ab) == facts(kg, ba)
    from imidgraph.explain.versus import own_routes, signature

    assert [signature(p) for p in own_routes(ab)] == [signature(p) for p in ba.other_routes]
    assert [signature(p) for p in ab.other_routes] == [signature(p) for p in own_routes(ba)]
    routes = [sorted(line for line in versus_section(e) if "own routes" in line or line[:3] in ("  1", "  2", "  3", "  4", "  5")) for e in (ab, ba)]
    assert routes[0] == routes[1]
