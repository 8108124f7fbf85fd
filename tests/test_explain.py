"""`imidgraph explain`: the mechanisms users ask about, cited, ranked, the same on both backends."""

from __future__ import annotations

import json
import math
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

from imidgraph import explain as ex
from imidgraph import schema
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.names import UnknownEntity

from .conftest import SEEDS, SERVER_THREADS


def names(kg, path: ex.Path) -> list[str]:
    return [kg.name(n) for n in path.nodes]


def chain_of(kg, path: ex.Path) -> list[tuple[str, str, str]]:
    return [(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in path.steps]


# --------------------------------------------------------------------------- acceptance

# lenalidomide's best route to del(5q) MDS: CK1α degradation meets CSNK1A1 haploinsufficiency
DEL5Q_CHAIN = [
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
        ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
]


def test_lenalidomide_helps_del5q_mds_through_ck1a_degradation_and_haploinsufficiency(kg, backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", backend=backend)
    best = e.top_paths[0]
    assert best.kind == "lesion"
    assert chain_of(kg, best) == DEL5Q_CHAIN
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
    assert summary.endswith("Standing: approved; studied clinically.")
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
        for p in lymphoma.with_partner
    )
    assert not any(p.kind in ("partner", "potentiates") for p in lymphoma.paths)  # only under "with a partner"


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
        assert route + ["multiple myeloma"] in [names(kg, p) for p in mm.with_partner]


def test_versus_shows_ck1a_degradation_is_lenalidomides_and_says_so(kg, backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", versus="pomalidomide", backend=backend)
    (ck1a,) = [c for c in e.contrasts if c.step.object == "HGNC:2451"]
    assert ck1a.drug == "CHEBI:63791" and ck1a.statuses == ("more_than", "not_with")
    summary = e.summary()
    assert "Versus pomalidomide: lenalidomide degrades CSNK1A1 via CRBN more than pomalidomide does" in summary
    assert "where pomalidomide does not" in summary
    assert "pomalidomide has no path to myelodysplastic syndrome with isolated del(5q) in the graph" in summary
    # myeloma: IKZF degradation is shared, and said to be
    mm = kg.explain("lenalidomide", "multiple myeloma", versus="pomalidomide", backend=backend)
    shared = {(c.step.predicate, kg.name(c.step.object)) for c in mm.contrasts if c.status == "shared"}
    assert ("degrades", "IKZF3") in shared and "both act on" in mm.summary()


def routes(kg, paths) -> list[list[tuple[str, str, str]]]:
    return [chain_of(kg, p) for p in paths]


# --------------------------------------------------------------------------- signs, contexts, hierarchy (issue 13)


def test_treg_rise_in_patients_is_against_lenalidomide_in_myeloma_not_a_reason(kg, backend):
    e = kg.explain("lenalidomide", "multiple myeloma", top=0, backend=backend)
    rise = [
        ("lenalidomide", "increases", "regulatory T cell"),
        ("regulatory T cell", "contributes_to", "B-cell neoplasm"),
        ("multiple myeloma", "subclass_of", "B-cell neoplasm"),
    ]
    # the in vitro suppression goes through FOXP3 (3.2.1): the stated drug relation folds into it
    fall = [("lenalidomide", "decreases", "FOXP3"), ("FOXP3", "increases", "regulatory T cell")] + rise[1:]
    assert rise not in routes(kg, e.paths + e.with_partner)
    assert rise in routes(kg, e.against)
    against = e.against[routes(kg, e.against).index(rise)]
    assert against.benefit == -1 and against.effect == 1
    # cited with the patients' observations, beside the in vitro suppression shown as a reason
    assert {r["evidence"] for r in against.steps[0].relations} == {"clinical_observation"}
    reason = e.paths[routes(kg, e.paths).index(fall)]
    assert {r["evidence"] for r in reason.stated.relations} >= {"in_vitro"}
    assert kg.name(reason.stated.object) == "regulatory T cell" and reason.stated.predicate == "decreases"
    # a conflict is marked on one route only: the two now differ (one goes through FOXP3)
    assert not against.conflict and not reason.conflict
    assert ex.net_effect(e, against) == "lenalidomide raises regulatory T cell (number)"
    # every reason lowers the disease: its net effect on what contributes to the disease is down
    for p in e.paths:
        assert p.benefit == 1
        if p.kind == "driver":
            assert p.effect == -1, chain_of(kg, p)
    # the summary says the net effect and how many paths are against; the text shows them
    summary = e.summary()
    assert re.search(r"Net: lenalidomide lowers myeloma cell \(survival\); \d+ reason\(s\), \d+ with a partner, \d+ against", summary)
    text = e.to_text()
    assert "\nAgainst\n" in text and "lenalidomide -increases-> regulatory T cell -contributes_to-> B-cell neoplasm" in text


def test_imid_class_does_not_chain_dendritic_cell_irf4_into_myeloma_cell_survival(kg, backend):
    e = kg.explain("IMiD", "multiple myeloma", top=0, backend=backend)
    dc_chain = [
        ("IMiD", "increases", "IRF4"),
        ("IRF4", "increases", "myeloma cell"),
        ("myeloma cell", "contributes_to", "multiple myeloma"),
    ]
    assert dc_chain not in routes(kg, e.all_paths)
    # IRF4 lowered in myeloma cells does keep its path to the disease
    mm = kg.explain("lenalidomide", "multiple myeloma", top=0, backend=backend)
    irf4 = [
        ("lenalidomide", "decreases", "IRF4"),
        ("IRF4", "increases", "myeloma cell"),
        ("myeloma cell", "contributes_to", "multiple myeloma"),
    ]
    path = mm.paths[routes(kg, mm.paths).index(irf4)]
    # only the relation observed in myeloma cells carries the step; the one in ABC-DLBCL cells does not
    assert {kg.name(r["q_cell_context"]) for r in path.steps[0].relations} == {"myeloma cell"}


def test_lenalidomide_mds_reaches_csnk1a1_through_the_del5q_subtype(kg, backend):
    e = kg.explain("lenalidomide", "MDS", backend=backend)
    best = e.top_paths[0]
    assert best.kind == "lesion"
    assert chain_of(kg, best) == [
        *DEL5Q_CHAIN,
        ("myelodysplastic syndrome with isolated del(5q)", "subclass_of", "myelodysplastic syndrome"),
    ]
    assert "shown for its subtype myelodysplastic syndrome with isolated del(5q)" in e.summary()
    assert e.to_dict()["paths"][0]["subtype"] == "myelodysplastic syndrome with isolated del(5q)"


def test_a_step_observed_in_the_disease_ends_a_path(kg, backend):
    enl = kg.explain("thalidomide", "ENL", backend=backend)
    # the use via TNF observed in the disease, and the stated step: TNF-α drives ENL (2.1)
    assert routes(kg, enl.paths) == [
        [("thalidomide", "decreases", "TNF"), ("TNF", "observed_in", "erythema nodosum leprosum")],
        [("thalidomide", "decreases", "TNF"), ("TNF", "contributes_to", "erythema nodosum leprosum")],
    ]
    cited = enl.paths[0].steps[1].relations
    assert [(kg.name(r["_subject"]), r["predicate"], kg.name(r["_object"]), r["q_via"]) for r in cited] == [
        ("thalidomide", "studied_clinically_for", "erythema nodosum leprosum", ["HGNC:11892"])
    ]
    # a side effect via the entity, read as a disease to treat (harm mode off): the paths work
    # against the patient, never as reasons (harm mode: tests/test_explain_harm.py)
    tmn = kg.explain("lenalidomide", "therapy-related myeloid neoplasm", top=0, backend=backend, harm=False)
    assert not tmn.paths and not tmn.with_partner
    # CK1α's loss lets pre-leukaemic HSPCs expand, and they give rise to t-MN (2.2, ref 171)
    ck1a = [
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("CSNK1A1", "decreases", "hematopoietic stem and progenitor cell"),
    ]
    assert sorted(routes(kg, tmn.against)) == [
        ck1a + [("hematopoietic stem and progenitor cell", "contributes_to", "therapy-related myeloid neoplasm")],
        ck1a + [("hematopoietic stem and progenitor cell", "observed_in", "therapy-related myeloid neoplasm")],
        [("lenalidomide", "degrades", "CSNK1A1"), ("CSNK1A1", "observed_in", "therapy-related myeloid neoplasm")],
        [
            ("lenalidomide", "increases", "hematopoietic stem and progenitor cell"),
            ("hematopoietic stem and progenitor cell", "observed_in", "therapy-related myeloid neoplasm"),
        ],
    ]
    assert all(
        any(r["predicate"] == "has_side_effect" for r in p.steps[-1].relations)
        for p in tmn.against
        if p.steps[-1].predicate == "observed_in"
    )


def test_lenalidomide_with_pembrolizumab_shows_the_trials_stopped_for_deaths(kg, backend):
    e = kg.explain("lenalidomide", "pembrolizumab", top=0, backend=backend)
    keynote = [
        ("pembrolizumab, lenalidomide and dexamethasone", "has_part", "lenalidomide"),
        ("pembrolizumab, lenalidomide and dexamethasone", "has_part", "pembrolizumab"),
    ]
    assert keynote in routes(kg, e.against)
    trial = e.against[routes(kg, e.against).index(keynote)]
    # the sign comes from the graph: the regimen's has_outcome edge to death, raised in KEYNOTE-185
    assert [(kg.name(o.subject), o.predicate, kg.name(o.object)) for o in trial.outcomes] == [
        ("pembrolizumab, lenalidomide and dexamethasone", "has_outcome", "death")
    ]
    results = {(kg.name(r["q_in_trial"]), r["q_direction"]) for o in trial.outcomes for r in o.relations}
    assert results == {("KEYNOTE-185", "increased")}
    assert e.entities[trial.outcomes[0].object]["favourable"] == "decreased"
    assert trial.benefit == -1
    assert {r["evidence"] for o in trial.outcomes for r in o.relations} >= {"phase_3"}
    # the favourable early trial of pembrolizumab with an IMiD, stated for the class
    assert [("lenalidomide", "subclass_of", "IMiD"), ("IMiD", "tested_with", "pembrolizumab")] in routes(kg, e.trials)
    # the rationale: lenalidomide enhances checkpoint inhibitors
    assert [("lenalidomide", "potentiates", "immune checkpoint inhibitor"), ("pembrolizumab", "subclass_of", "immune checkpoint inhibitor")] in routes(kg, e.paths)
    text = e.to_text()
    assert "\nAgainst\n" in text and "pembrolizumab, lenalidomide and dexamethasone raised death (KEYNOTE-185)" in text
    data = e.to_dict()
    assert data["against"][0]["benefit"] == "unfavourable" or any(p["kind"] == "trial" for p in data["against"])


def test_the_json_contract_has_reasons_and_against_each_step_cited(kg):
    data = kg.explain("lenalidomide", "multiple myeloma", top=3).to_dict()
    assert {"paths", "against", "with_partner", "trials", "unsigned", "counts"} <= set(data)
    assert len(data["paths"]) == 3 and data["counts"]["against"] > 3
    for group in ("paths", "against"):
        for p in data[group]:
            assert p["benefit"] == ("helps" if group == "paths" else "harms")
            assert p["net_effect"].startswith("lenalidomide ")
            for step in p["steps"]:
                assert step["relations"] and all("qualifiers" in r and r["source"] for r in step["relations"])
    cypher = kg.explain("lenalidomide", "multiple myeloma", top=3).to_cypher()
    for group in ("paths", "against"):
        for p in data[group]:
            for step in p["steps"]:
                assert all(r["id"] in cypher for r in step["relations"])


def test_every_predicate_has_a_documented_polarity():
    assert set(schema.POLARITY) == set(schema.PREDICATES)
    assert schema.POLARITY["increases"] == 1 and schema.POLARITY["decreases"] == -1
    assert schema.POLARITY["degrades"] == -1 and schema.POLARITY["associated_with_resistance_to"] == -1
    assert schema.POLARITY["binds"] == 0 and schema.POLARITY["has_part"] == 0


@pytest.mark.parametrize(
    "outcome, sign",
    [
        ("discontinued owing to a higher risk of death", -1),
        ("about 50% ORR", 1),
        ("effective", 1),
        (None, 0),
    ],
)
def test_trial_outcomes_are_read_as_favourable_or_not(outcome, sign):
    from imidgraph.explain.signs import outcome as read

    relation = {"predicate": "studied_clinically_for", **({"q_outcome": outcome} if outcome else {})}
    assert read(relation) == sign


def test_the_context_rule_on_its_own():
    from imidgraph.explain.signs import compatible

    ancestors = {"M1": {"macrophage"}, "del5q": {"MDS", "myeloid"}, "MDS": {"myeloid"}}
    assert compatible(("M1", None, None), ("macrophage", None, None), ancestors)  # an ancestor
    assert compatible((None, "del5q", None), (None, "myeloid", "mouse"), ancestors)  # no species: any
    assert not compatible(("DC", None, None), ("myeloma cell", None, None), ancestors)
    assert not compatible((None, None, "human"), (None, None, "mouse"), ancestors)
    assert not compatible((None, "MDS", None), (None, "multiple myeloma", None), ancestors)


# --------------------------------------------------------------------------- every step is cited


def test_every_step_of_every_path_is_cited(kg):
    for drug, target in [("lenalidomide", "multiple myeloma"), ("thalidomide", "teratogenicity"), ("IMiD", "B-cell lymphoma")]:
        e = kg.explain(drug, target, top=0)
        assert e.all_paths, (drug, target)
        for path in e.all_paths:
            assert path.nodes[0] == e.drug and path.nodes[-1] == e.target
            assert len(set(path.nodes)) == len(path.nodes)
            for step in path.steps + path.outcomes:
                assert step.relations
                for r in step.relations:
                    if step.predicate in ("observed_in", "tested_with"):  # cites relations of their own
                        assert r["predicate"] in schema.PREDICATES and r["_subject"] and r["_object"]
                    else:
                        assert r["predicate"] == step.predicate
                    assert r["source"] and r["section"] and r["paraphrase"]
                    assert r["evidence"] in ex.EVIDENCE_WEIGHT


def test_ranking_is_by_score_and_scores_follow_the_documented_rule(kg):
    e = kg.explain("lenalidomide", "multiple myeloma", top=0)
    for group in e.every_group.values():
        # the disease's own evidence first, then borrowed (docs/explain.md#5-ranking), each best
        # first, a variant's score cut by its novelty
        assert [p.tier for p in group] == sorted(p.tier for p in group)
        for tier in (0, 1, 2):
            scores = [p.score for p in group if p.tier == tier]
            assert scores == sorted(scores, reverse=True)
    for p in e.all_paths:
        weights = [s.weight for s in p.steps if s.predicate != "subclass_of"]
        assert p.evidence == pytest.approx(math.prod(weights) ** (1 / len(weights)))
        degrees = [kg.graph.degree(n) for n in p.nodes[1:-1]]
        assert p.specificity == pytest.approx(math.prod(d ** -ex.DAMPING for d in degrees))
        secondary = ("partner", "potentiates", "sensitivity", "resistance")
        assert p.mechanism == (ex.SECONDARY if p.kind in secondary else 1.0)
        # distance: HIERARCHY per subclass_of step between the target and what the ending names
        levels = len(p.steps) - max(i + 1 for i, s in enumerate(p.steps) if s.predicate != "subclass_of")
        assert p.distance == pytest.approx(ex.HIERARCHY**levels)
        assert p.score == pytest.approx(
            max(p.evidence * p.specificity * p.context * p.mechanism * p.distance, p.stated_score) * p.novelty
        )
        assert p.novelty == ex.NOVELTY ** len(p.repeats)
    # a path through a hub explains less: the same route through the IMiD class ranks lower
    # (the stated lenalidomide -> angiogenesis folds into the route through Akt and bFGF it names)
    own = next(p for p in e.paths if names(kg, p) == ["lenalidomide", "Akt", "FGF2", "angiogenesis", "multiple myeloma"])
    assert kg.name(own.stated.object) == "angiogenesis"
    via_class = [p for p in e.all_paths if p.nodes[1] == "IMIDGRAPH:imid"]
    assert via_class and all(p.score < own.score for p in via_class)
    assert e.dwpc == pytest.approx(sum(p.specificity for p in e.all_paths))


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
    imids = ["thalidomide", "lenalidomide", "pomalidomide", "avadomide", "iberdomide", "CC-885", "IMiD"]
    targets = [e.id for e in kg.entities if e.category in ("Disease", "Phenotype")]
    targets += ["rituximab", "daratumumab", "anti-CD20 monoclonal antibody", "IRF4", "natural killer cell"]
    compared = nonempty = 0
    pairs = [(drug, target) for drug in imids for target in targets]
    # the server answers a few pairs at once while the embedded graph answers them here
    with ThreadPoolExecutor(SERVER_THREADS) as pool:
        answers = pool.map(lambda pair: kg.explain(*pair, top=0, backend=loaded_server).to_dict(), pairs)
        for (drug, target), online in zip(pairs, answers, strict=True):
            offline = kg.explain(drug, target, top=0).to_dict()
            assert online == offline, (drug, target)
            compared += 1
            nonempty += bool(offline["paths"] or offline["against"] or offline["with_partner"])
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
    # both sections, in text and JSON
    mm = run("explain", "lenalidomide", "multiple myeloma", "--top", "1")
    assert "\nReasons\n\n1. [driver]" in mm.output and "\nAgainst\n\n1. [driver]" in mm.output
    assert "   net: lenalidomide raises regulatory T cell (number) (harms)" in mm.output
    data = json.loads(run("explain", "lenalidomide", "multiple myeloma", "--top", "1", "--format", "json").output)
    assert [len(data[k]) for k in ("paths", "against")] == [1, 1]
    assert data["against"][0]["steps"][0]["predicate"] == "increases" and data["against"][0]["benefit"] == "harms"


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
    e = kg.explain("thalidomide", "Hodgkin lymphoma")
    assert not e.all_paths
    assert e.summary().startswith("No mechanism path links thalidomide to Hodgkin lymphoma in the graph as a reason.")


def test_a_path_through_the_target_s_parent_says_what_the_fact_is_about(kg):
    """angiogenesis is said to feed B-cell lymphomas, not Burkitt lymphoma itself."""
    e = kg.explain("thalidomide", "Burkitt lymphoma")
    best = e.paths[0]
    # thalidomide lowers VEGF signalling, VEGF drives angiogenesis (3.2.5), which feeds B-cell lymphomas
    assert [s.predicate for s in best.steps] == ["decreases", "increases", "contributes_to", "subclass_of"]
    assert [kg.name(n) for n in best.nodes[1:3]] == ["VEGFA", "angiogenesis"]
    assert "which contributes to B-cell lymphoma (of which Burkitt lymphoma is a kind)" in e.summary()
    assert "contributes to Burkitt lymphoma" not in e.summary()


@pytest.mark.neo4j
def test_the_cypher_format_shows_exactly_the_paths_in_neo4j(kg, loaded_server, neo4j_server):
    result = CliRunner().invoke(
        main, ["explain", "lenalidomide", "multiple myeloma", "--format", "cypher", "--backend", "neo4j"],
        env=neo4j_server.env(), catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    e = kg.explain("lenalidomide", "multiple myeloma")
    records = loaded_server.driver.execute_query(result.output, database_="neo4j").records
    assert list(records[0].keys()) == ["group", "rank", "kind", "says", "path", "cites"]
    # one row per shown path, group by group in rank order, then the standing
    groups = [(g, rank) for g, paths in e.groups.items() for rank in range(1, len(paths) + 1)]
    assert [(r["group"], r["rank"]) for r in records] == groups + [("standing", k) for k in range(1, len(e.uses) + 1)]
    paths = [p for r in records for p in [r["path"], *r["cites"]]]
    assert {x["id"] for p in paths for x in p.relationships} == set(e.relation_ids())
    shown = {n["id"] for p in paths for n in p.nodes}
    assert shown >= set(e.entity_ids())
    # and the text on the server is the text offline
    text = CliRunner().invoke(
        main, ["explain", "lenalidomide", "multiple myeloma", "--backend", "neo4j"], env=neo4j_server.env()
    )
    assert text.output == run("explain", "lenalidomide", "multiple myeloma").output


def test_the_page_draws_the_paths_against_as_their_own_group(kg):
    import re

    from imidgraph.view import explanation_page

    e = kg.explain("lenalidomide", "multiple myeloma")
    page = explanation_page(kg, e)
    data = json.loads(re.search(r'<script type="application/json" id="imidgraph-data">(.*?)</script>', page, re.S).group(1))
    assert [g[0] for g in data["groups"]] == ["reasons", "with a partner", "against", "direction not stated", "standing"]
    rise = {r["id"] for r in e.against[0].steps[0].relations}
    edge = next(x for x in data["edges"] if rise & {r["id"] for r in x["relations"]})
    assert (edge["source"], edge["predicate"], edge["target"], edge["group"]) == (
        "CHEBI:63791", "increases", "CL:0000815", "against"
    )


def test_drug_effects_on_a_cell_include_its_subtypes_each_saying_which(kg, backend):
    from imidgraph.backends import MemoryBackend
    from imidgraph.catalogue import get, read_catalogue

    query = get(read_catalogue(), "drug_effects_on_cell")
    runner = backend or MemoryBackend(kg)
    table = runner.run(query, {"drug": "CHEBI:63791", "cell": "CL:0000235"})  # lenalidomide, macrophage
    where = table.columns.index("cell_context")
    said = {(r[0], r[1], r[where]) for r in table.rows}
    assert ("increases", "M1 macrophage", "myeloma-associated macrophage") in said
    assert ("decreases", "M2 macrophage", "myeloma-associated macrophage") in said


@pytest.mark.neo4j
def test_the_readme_context_query_filters_by_a_cell_and_its_subtypes(kg, loaded_server):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    query = re.search(r"```text\n(MATCH \(d:Imidgraph \{id: 'CHEBI:63791'\}\)-\[r\]->.*?)```", readme, re.S).group(1)
    got = sorted(tuple(row) for row in loaded_server.cypher(query).rows)
    macrophages = {"CL:0000235"} | {
        s for s, o, d in kg.graph.edges(data=True) if d["predicate"] == "subclass_of" and o == "CL:0000235"
    }
    macrophages |= {s for s, o, d in kg.graph.edges(data=True) if d["predicate"] == "subclass_of" and o in macrophages}
    expected = sorted(
        (d["predicate"], kg.name(o), d["q_cell_context"])
        for s, o, d in kg.graph.out_edges("CHEBI:63791", data=True)
        if d.get("q_cell_context") in macrophages
    )
    assert got == expected and len(got) >= 4


def test_a_class_asked_for_includes_its_members_and_says_which(kg, backend):
    e = kg.explain("lenalidomide", "anti-CD20 monoclonal antibody", top=0, backend=backend)
    r2 = [
        ("R2 regimen", "has_part", "lenalidomide"),
        ("R2 regimen", "has_part", "rituximab"),
        ("rituximab", "subclass_of", "anti-CD20 monoclonal antibody"),
    ]
    assert r2 in routes(kg, e.trials)
    trial = e.trials[routes(kg, e.trials).index(r2)]
    assert trial.benefit == 1 and trial.outcomes
    assert ex.net_effect(e, trial) == "lenalidomide and rituximab were tried together"
    adcc = [
        ("lenalidomide", "increases", "antibody-dependent cellular cytotoxicity"),
        ("rituximab", "increases", "antibody-dependent cellular cytotoxicity"),
        ("rituximab", "subclass_of", "anti-CD20 monoclonal antibody"),
    ]
    assert adcc in routes(kg, e.paths)
    assert "shown for its member rituximab" in e.to_text()


def test_a_drug_class_asked_about_includes_what_its_members_do_ranked_after_its_own(kg, backend):
    e = kg.explain("IMiD", "del(5q) MDS", backend=backend)
    best = e.top_paths[0]
    assert chain_of(kg, best) == [
        ("lenalidomide", "subclass_of", "IMiD"),
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
        ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
    ]
    assert best.via_member and best.benefit == 1
    assert ex.net_effect(e, best) == "lenalidomide lowers CSNK1A1"
    assert "stated for its member lenalidomide" in e.summary()
    assert e.to_dict()["paths"][0]["stated_for_member"] == "lenalidomide"
    # the class's own statements come first; a member's same statement is not repeated
    mm = kg.explain("IMiD", "multiple myeloma", top=0, backend=backend)
    own = [p for p in mm.paths if not p.via_member]
    assert own and mm.paths[: len(own)] == own
    # the class's own summary statement, folded into its step-by-step route (docs/explain.md)
    stated = [p for p in own if p.stated is not None]
    assert [(kg.name(p.stated.subject), p.stated.predicate, kg.name(p.stated.object)) for p in stated][:1] == [
        ("IMiD", "decreases", "myeloma cell")
    ]
    assert routes(kg, stated[:1])[0][-1] == ("myeloma cell", "contributes_to", "multiple myeloma")


def test_trial_signs_come_from_has_outcome_edges_and_the_endpoints_favourable_change():
    from imidgraph.explain.signs import endpoint_sign as sign

    rel = {"predicate": "has_outcome"}
    assert sign({**rel, "q_direction": "increased"}, "increased") == 1  # overall survival up
    assert sign({**rel, "q_direction": "increased"}, "decreased") == -1  # deaths up
    assert sign({**rel, "q_direction": "decreased"}, "decreased") == 1  # tumour burden down
    assert sign({**rel, "q_direction": "not_improved"}, "increased") == -1
    assert sign(rel, "increased") == 1 and sign(rel, "decreased") == -1  # reached: a response rate, deaths
    assert sign({**rel, "q_direction": "increased"}, None) == 0  # the endpoint does not say
    # text is not read: an outcome written in words signs nothing
    assert sign({"predicate": "studied_clinically_for", "q_outcome": "stopped: excess deaths"}, None) == 0
    assert sign({"predicate": "approved_for"}, None) == 1


def test_flipping_the_endpoint_in_the_graph_flips_the_trial(tmp_path):
    """Same seeds, but death marked as favourable when it rises: KEYNOTE-185 (which raised
    deaths) moves from Against to the favourable trials. Nothing else changed: the sign is
    read from the has_outcome edge and the endpoint, not from outcome text."""
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    endpoints = seeds / "entities" / "endpoints.yaml"
    text = endpoints.read_text(encoding="utf-8")
    assert text.count("favourable: decreased") == 2  # death and tumour burden
    endpoints.write_text(text.replace("name: death\n  category: ClinicalEndpoint\n  favourable: decreased",
                                      "name: death\n  category: ClinicalEndpoint\n  favourable: increased"), encoding="utf-8")
    flipped = load(seeds)
    e = flipped.explain("lenalidomide", "pembrolizumab", top=0)
    keynote = [
        ("pembrolizumab, lenalidomide and dexamethasone", "has_part", "lenalidomide"),
        ("pembrolizumab, lenalidomide and dexamethasone", "has_part", "pembrolizumab"),
    ]
    assert keynote not in routes(flipped, e.against)
    trial = e.trials[routes(flipped, e.trials).index(keynote)]
    assert trial.benefit == 1


@pytest.mark.neo4j
def test_both_backends_give_the_same_outcomes(kg, loaded_server):
    from imidgraph.explain.sources import source_for

    ids = [kg.entity(n).id for n in ("DRd", "pembrolizumab, lenalidomide and dexamethasone", "lenalidomide", "R2-CHOP", "MAIA", "KEYNOTE-185")]
    memory, server = source_for(kg), source_for(kg, loaded_server)
    for i in ids:
        assert memory.outcomes([i]) == server.outcomes([i]), kg.name(i)
    assert any(r["q_direction"] == "increased" for _, _, r in memory.outcomes(ids))
    ends = {o for _, o, _ in memory.outcomes(ids)}
    assert {i: memory.entities(ends)[i]["favourable"] for i in ends} == {i: server.entities(ends)[i]["favourable"] for i in ends}


def test_given_with_is_never_a_mechanism_step(kg, backend):
    """``given_with`` (two parts of one regimen) is unsigned and no path walks it: lenalidomide and
    dexamethasone are given together (DRd, Rd, ...), yet no reason, partner, trial or unsigned
    path of lenalidomide on dexamethasone or on myeloma has a given_with step."""
    len_, dex = kg.entity("lenalidomide").id, kg.entity("dexamethasone").id
    assert schema.POLARITY["given_with"] == 0
    assert any(
        r.predicate == "given_with" and {r.subject, r.object} == {len_, dex} for r in kg.relations
    )
    for target in ("dexamethasone", "multiple myeloma"):
        e = kg.explain("lenalidomide", target, top=0, backend=backend)
        groups = e.paths + e.with_partner + e.trials + e.against + e.unsigned
        assert groups, target
        assert not [p for p in groups for s in p.steps if s.predicate == "given_with"], target


def test_a_trial_s_finding_is_read_once_from_the_regimen_it_tested(kg):
    """KEYNOTE-185's finding (more deaths) is stated once, on the regimen it tested, with
    in_trial; explain reads it there, and asked about the trial itself reads it through the
    trial's tested relation, still once."""
    from imidgraph.explain.sources import source_for

    trial, regimen = kg.entity("KEYNOTE-185").id, kg.entity("pembrolizumab, lenalidomide and dexamethasone").id
    assert not [r for r in kg.relations if r.subject == trial and r.predicate == "has_outcome"]
    found = source_for(kg).outcomes([regimen])
    assert [(s, kg.name(o), r["q_in_trial"]) for s, o, r in found] == [(regimen, "death", trial)]
    assert [(s, kg.name(o)) for s, o, _ in source_for(kg).outcomes([trial])] == [(regimen, "death")]
    # MAIA tested DRd (and its parts): only the findings that name MAIA, not DRd's other ones
    maia = kg.entity("MAIA").id
    assert sorted(kg.name(o) for _, o, _ in source_for(kg).outcomes([maia])) == ["overall survival", "progression-free survival"]
