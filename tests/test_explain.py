"""`imidgraph explain`: the mechanisms users ask about, cited, ranked, the same on both backends."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from imidgraph import explain as ex
from imidgraph.backends import Neo4jBackend
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.names import UnknownEntity

from .conftest import SEEDS


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


@pytest.fixture(scope="module")
def loaded_server(loaded):
    """Neo4j, holding the curated graph, as an explain backend."""
    return Neo4jBackend(loaded)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request):
    """None (the embedded graph) or a Neo4j backend: every acceptance test runs on both."""
    return None if request.param == "memory" else request.getfixturevalue("loaded_server")


def names(kg, path: ex.Path) -> list[str]:
    return [kg.name(n) for n in path.nodes]


def chain_of(kg, path: ex.Path) -> list[tuple[str, str, str]]:
    return [(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in path.steps]


# --------------------------------------------------------------------------- acceptance


def test_lenalidomide_helps_del5q_mds_through_ck1a_degradation_and_haploinsufficiency(kg, backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", backend=backend)
    best = e.top_paths[0]
    assert best.kind == "lesion"
    assert chain_of(kg, best) == [
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
        ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
    ]
    degradation, haploinsufficiency = best.steps[0], best.steps[1]
    # CRBN: the degradation goes via CRBN, and the drug's binding of CRBN is cited with it
    assert any("HGNC:30185" in (r.get("q_via") or []) for r in degradation.relations)
    assert [(via, kg.name(via)) for via, _ in degradation.support] == [("HGNC:30185", "CRBN")]
    assert {r["q_aspect"] for r in haploinsufficiency.relations} == {"gene_dosage"}
    # the efficiency comparison travels with the step
    assert any(set(r.get("q_more_than") or []) == {"CHEBI:72690", "CHEBI:9513"} for r in degradation.relations)
    summary = e.summary()
    assert "lenalidomide degrades CSNK1A1 via CRBN" in summary
    assert "chromosome 5q deletion" in summary and "gene dosage" in summary
    assert "is approved for myelodysplastic syndrome with isolated del(5q)" in summary
    # the sensitivity statements are there too, ranked after the mechanism
    kinds = [p.kind for p in e.paths]
    assert kinds[0] == "lesion" and "sensitivity" in kinds[1:]


@pytest.mark.parametrize("drug", ["lenalidomide", "pomalidomide"])
def test_imids_help_myeloma_through_ikaros_aiolos_degradation_then_irf4_myc(kg, backend, drug):
    e = kg.explain(drug, "multiple myeloma", backend=backend)
    best = e.top_paths[0]
    assert best.kind == "driver"
    steps = chain_of(kg, best)
    assert steps[0][:2] == (drug, "degrades") and steps[0][2] in ("IKZF1", "IKZF3")
    assert steps[1] in [(steps[0][2], "increases", x) for x in ("IRF4", "MYC")]
    assert steps[-2:] == [(steps[1][2], "increases", "myeloma cell"), ("myeloma cell", "contributes_to", "multiple myeloma")]
    # the review's one-line summary of the cascade is cited with it
    assert best.stated is not None and {kg.name(v) for r in best.stated.relations for v in r["q_via"]} == {
        "IKZF1", "IKZF3", "IRF4", "MYC"
    }
    assert best.steps[0].support and best.steps[0].support[0][0] == "HGNC:30185"  # through CRBN
    # every IKZF -> IRF4/MYC route is among the paths
    routes = {(p.nodes[1], p.nodes[2]) for p in e.paths if p.kind == "driver" and p.steps[0].predicate == "degrades"}
    assert {(kg.name(a), kg.name(b)) for a, b in routes} >= {
        ("IKZF1", "IRF4"), ("IKZF1", "MYC"), ("IKZF3", "IRF4"), ("IKZF3", "MYC")
    } - {(kg.name(best.nodes[1]), kg.name(best.nodes[2]))}
    assert f"{drug} degrades {steps[0][2]} via CRBN" in e.summary()


def test_lenalidomide_works_with_rituximab_through_il2_nk_cells_and_adcc(kg, backend):
    e = kg.explain("lenalidomide", "rituximab", backend=backend)
    best = e.top_paths[0]
    assert best.kind == "partner"
    assert names(kg, best) == [
        "lenalidomide", "IL2", "natural killer cell", "antibody-dependent cellular cytotoxicity", "rituximab"
    ]
    assert chain_of(kg, best)[-1] == ("rituximab", "increases", "antibody-dependent cellular cytotoxicity")
    # the stated synergy (lenalidomide potentiates rituximab via NK cells and ADCC) is folded in
    assert best.stated is not None and best.stated.predicate == "potentiates"
    assert "IL2 increases natural killer cell" in e.summary()
    # and in the disease: lymphoma, where rituximab is used
    lymphoma = kg.explain("lenalidomide", "B-cell lymphoma", top=0, backend=backend)
    assert any(
        names(kg, p)[:5] == names(kg, best) and p.steps[-1].predicate == "studied_clinically_for"
        for p in lymphoma.paths
    )


@pytest.mark.parametrize("partner", ["anti-CD20 monoclonal antibody", "anti-CD38 monoclonal antibody"])
def test_macrophage_repolarisation_feeds_adcp_by_anti_cd20_and_anti_cd38_antibodies(kg, backend, partner):
    e = kg.explain("lenalidomide", partner, backend=backend)
    route = ["lenalidomide", "M1 macrophage", "antibody-dependent cellular phagocytosis", partner]
    assert route in [names(kg, p) for p in e.top_paths]
    path = next(p for p in e.top_paths if names(kg, p) == route)
    assert {r["q_aspect"] for r in path.steps[0].relations} == {"polarization"}
    # in myeloma, the approved anti-CD38 antibodies carry the same route to the disease
    if "CD38" in partner:
        mm = kg.explain("lenalidomide", "multiple myeloma", top=0, backend=backend)
        assert route + ["multiple myeloma"] in [names(kg, p) for p in mm.paths]


def test_versus_shows_ck1a_degradation_is_lenalidomides_and_says_so(kg, backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", versus="pomalidomide", backend=backend)
    (ck1a,) = [c for c in e.contrasts if c.step.object == "HGNC:2451"]
    assert ck1a.drug == "CHEBI:63791" and ck1a.statuses == ("more_than", "not_with")
    summary = e.summary()
    assert "Versus pomalidomide: lenalidomide degrades CSNK1A1 via CRBN more than pomalidomide does" in summary
    assert "where pomalidomide does not" in summary
    assert "no mechanism path links pomalidomide to myelodysplastic syndrome with isolated del(5q)" in summary
    # myeloma: IKZF degradation is shared, and said to be
    mm = kg.explain("lenalidomide", "multiple myeloma", versus="pomalidomide", backend=backend)
    shared = {(c.step.predicate, kg.name(c.step.object)) for c in mm.contrasts if c.status == "shared"}
    assert ("degrades", "IKZF3") in shared and "both act on" in mm.summary()


# --------------------------------------------------------------------------- every step is cited


def test_every_step_of_every_path_is_cited(kg):
    for drug, target in [("lenalidomide", "multiple myeloma"), ("thalidomide", "teratogenicity"), ("IMiD", "B-cell lymphoma")]:
        e = kg.explain(drug, target, top=0)
        assert e.paths, (drug, target)
        for path in e.paths:
            assert path.nodes[0] == e.drug and path.nodes[-1] == e.target
            assert len(set(path.nodes)) == len(path.nodes)
            for step in path.steps:
                assert step.relations
                for r in step.relations:
                    assert r["predicate"] == step.predicate and r["source"] and r["section"] and r["paraphrase"]
                    assert r["evidence"] in ex.EVIDENCE_WEIGHT


def test_ranking_is_by_score_and_scores_follow_the_documented_rule(kg):
    e = kg.explain("lenalidomide", "multiple myeloma", top=0)
    scores = [p.score for p in e.paths]
    assert scores == sorted(scores, reverse=True)
    for p in e.paths:
        weights = [s.weight for s in p.steps if s.predicate != "subclass_of"]
        assert p.evidence == pytest.approx(math.prod(weights) ** (1 / len(weights)))
        degrees = [kg.graph.degree(n) for n in p.nodes[1:-1]]
        assert p.specificity == pytest.approx(math.prod(d ** -ex.DAMPING for d in degrees))
        assert p.mechanism == (ex.SECONDARY if p.kind in ("partner", "potentiates", "sensitivity") else 1.0)
        assert p.score == pytest.approx(max(p.evidence * p.specificity * p.context * p.mechanism, p.stated_score))
    # a path through a hub explains less: the same route through the IMiD class ranks lower
    own = next(p for p in e.paths if names(kg, p) == ["lenalidomide", "angiogenesis", "multiple myeloma"])
    via_class = [p for p in e.paths if p.nodes[1] == "IMIDGRAPH:imid"]
    assert via_class and all(p.score < own.score for p in via_class)
    assert e.dwpc == pytest.approx(sum(p.specificity for p in e.paths))


def test_a_drug_and_its_class_do_not_say_the_same_path_twice(kg):
    e = kg.explain("lenalidomide", "anti-CD38 monoclonal antibody", top=0)
    routes = [names(kg, p) for p in e.paths]
    assert ["lenalidomide", "M1 macrophage", "antibody-dependent cellular phagocytosis", "anti-CD38 monoclonal antibody"] in routes
    assert ["lenalidomide", "IMiD", "M1 macrophage", "antibody-dependent cellular phagocytosis", "anti-CD38 monoclonal antibody"] not in routes


def test_any_entity_can_be_the_target(kg):
    e = kg.explain("lenalidomide", "IRF4", top=0)
    assert e.mode == "entity" and e.paths
    assert all(p.kind == "reach" for p in e.paths)
    assert ["lenalidomide", "IKZF1", "IRF4"] in [names(kg, p) for p in e.paths]


# --------------------------------------------------------------------------- both backends


@pytest.mark.neo4j
def test_both_backends_give_the_same_explanations(kg, loaded_server):
    imids = ["thalidomide", "lenalidomide", "pomalidomide", "avadomide", "iberdomide", "CC-885"]
    targets = [e.id for e in kg.entities if e.category in ("Disease", "Phenotype")]
    targets += ["rituximab", "daratumumab", "anti-CD20 monoclonal antibody", "IRF4", "natural killer cell"]
    compared = nonempty = 0
    for drug in imids:
        for target in targets:
            offline = kg.explain(drug, target, top=0).to_dict()
            online = kg.explain(drug, target, top=0, backend=loaded_server).to_dict()
            assert online == offline, (drug, target)
            compared += 1
            nonempty += bool(offline["paths"])
    versus = kg.explain("lenalidomide", "multiple myeloma", versus="pomalidomide")
    assert versus.to_dict() == kg.explain(
        "lenalidomide", "multiple myeloma", versus="pomalidomide", backend=loaded_server
    ).to_dict()
    assert compared > 250 and nonempty > 50


# --------------------------------------------------------------------------- the command line


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_explain_from_the_cli_as_text_and_json():
    result = run("explain", "lenalidomide", "del(5q) MDS")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Why lenalidomide -> myelodysplastic syndrome with isolated del(5q)\n")
    assert "1. [lesion]" in result.output and "through: lenalidomide binds CRBN" in result.output
    assert "doi:10.3389/fimmu.2022.1017990" in result.output
    data = json.loads(run("explain", "Revlimid", "5q- MDS", "--format", "json", "--top", "2").output)
    assert data["drug"]["id"] == "CHEBI:63791" and data["target"]["id"] == "MONDO:0007925"
    assert len(data["paths"]) == 2 and data["path_count"] >= 3
    first = data["paths"][0]
    assert [s["predicate"] for s in first["steps"]] == ["degrades", "decreases", "contributes_to"]
    assert first["steps"][0]["support"][0]["binds"] == "HGNC:30185"
    assert all(r["source_doi"] for s in first["steps"] for r in s["relations"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["lenalidomid", "del(5q) MDS"], "no entity named 'lenalidomid'; did you mean: lenalidomide"),
        (["lenalidomide", "del5q MSD"], "no entity named 'del5q MSD'; did you mean:"),
        (["lenalidomide", "myeloma", "--versus", "pomalidomid"], "no entity named 'pomalidomid'; did you mean: pomalidomide"),
        (["lenalidomide", "multiple myeloma", "--versus", "Revlimid"], "--versus names the drug itself"),
        (["lenalidomide", "Revlimid"], "drug and target are the same entity"),
    ],
)
def test_unknown_names_give_close_matches_and_exit_1(args, message):
    result = CliRunner().invoke(main, ["explain", *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_unknown_names_raise_in_the_api(kg):
    with pytest.raises(UnknownEntity, match="did you mean: lenalidomide"):
        kg.explain("lenalidomid", "multiple myeloma")


def test_no_path_is_an_answer_not_an_error(kg):
    e = kg.explain("thalidomide", "ENL")
    assert not e.paths and e.uses
    assert e.summary().startswith("No mechanism path links thalidomide to erythema nodosum leprosum in the graph.")
    assert "thalidomide is studied clinically in erythema nodosum leprosum" in e.summary()


@pytest.mark.neo4j
def test_the_cypher_format_shows_exactly_the_paths_in_neo4j(kg, loaded_server, neo4j_server):
    result = CliRunner().invoke(
        main, ["explain", "lenalidomide", "multiple myeloma", "--format", "cypher", "--backend", "neo4j"],
        env=neo4j_server.env(), catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    e = kg.explain("lenalidomide", "multiple myeloma")
    table = loaded_server.cypher(result.output)
    assert table.columns == ["a", "r", "b"]
    assert sorted(row[1]["id"] for row in table.rows) == sorted(e.relation_ids())
    shown = {row[0]["id"] for row in table.rows} | {row[2]["id"] for row in table.rows}
    assert shown >= set(e.entity_ids())
    # and the text on the server is the text offline
    text = CliRunner().invoke(
        main, ["explain", "lenalidomide", "multiple myeloma", "--backend", "neo4j"], env=neo4j_server.env()
    )
    assert text.output == run("explain", "lenalidomide", "multiple myeloma").output
