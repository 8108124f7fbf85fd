"""`imidgraph explain`: harms read as harms, real partners only, the target's hierarchy at any
depth (issue 19, items 1, 4 and 5), the same on both backends."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from imidgraph import explain as ex
from imidgraph.cli import main


def routes(kg, paths) -> list[list[tuple[str, str, str]]]:
    return [[(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in p.steps] for p in paths]


def standing(kg, e) -> list[tuple[str, str, str]]:
    return [(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in e.uses]


def partners(kg, e) -> list[str]:
    """The agents the drug's paths with a partner go through."""
    return sorted({kg.name(p.nodes[p.chain_length + 1]) for p in e.with_partner})


# --------------------------------------------------------------------------- 1. harm mode


@pytest.mark.parametrize("drug", ["thalidomide", "pomalidomide"])
def test_teratogenicity_is_a_harm_reached_by_binding_crbn_not_a_myeloma_resistance_marker(kg, backend, drug):
    e = kg.explain(drug, "teratogenicity", top=0, backend=backend)
    assert e.mode == "harm"
    assert routes(kg, e.paths) == [[(drug, "binds", "CRBN"), ("CRBN", "contributes_to", "teratogenicity")]]
    assert e.paths[0].benefit == 1 and e.paths[0].effect == 0  # the route; a binding changes no amount
    assert e.against == e.unsigned == e.with_partner == []
    assert not any(p.kind in ("sensitivity", "resistance") for p in e.all_paths)
    text = e.to_text()
    assert "works less well" not in text and "resistance" not in text
    assert f"Main route: {drug} binds CRBN, which contributes to teratogenicity. Net: {drug} binds CRBN; 1 reason(s)." in e.summary()
    assert "Harm mode: teratogenicity is a harm" in text and "\nReasons (routes that raise it)\n" in text
    if drug == "thalidomide":
        assert standing(kg, e) == [("thalidomide", "has_side_effect", "teratogenicity")]
    else:
        assert standing(kg, e) == []


def test_lenalidomide_raises_t_mn_through_ck1a_loss_and_hspc_expansion(kg, backend):
    e = kg.explain("lenalidomide", "therapy-related myeloid neoplasm", top=0, backend=backend)
    assert e.mode == "harm"
    assert routes(kg, e.paths) == [
        [
            ("lenalidomide", "increases", "hematopoietic stem and progenitor cell"),
            ("hematopoietic stem and progenitor cell", "observed_in", "therapy-related myeloid neoplasm"),
        ],
        [("lenalidomide", "degrades", "CSNK1A1"), ("CSNK1A1", "observed_in", "therapy-related myeloid neoplasm")],
        # the steps as relations (2.2, ref 171): CK1α holds HSPC expansion back, HSPCs give rise to t-MN
        [
            ("lenalidomide", "degrades", "CSNK1A1"),
            ("CSNK1A1", "decreases", "hematopoietic stem and progenitor cell"),
            ("hematopoietic stem and progenitor cell", "contributes_to", "therapy-related myeloid neoplasm"),
        ],
        [
            ("lenalidomide", "degrades", "CSNK1A1"),
            ("CSNK1A1", "decreases", "hematopoietic stem and progenitor cell"),
            ("hematopoietic stem and progenitor cell", "observed_in", "therapy-related myeloid neoplasm"),
        ],
    ]
    assert [p.benefit for p in e.paths] == [1, 1, 1, 1]
    # the chain through CK1α folds the stated expansion (a variant of route 1, damped by novelty)
    assert kg.name(e.paths[2].stated.object) == "hematopoietic stem and progenitor cell" and e.paths[2].repeats
    # the HSPC expansion goes via CSNK1A1: the degradation seen in Trp53-mutant HSPCs supports it
    expansion = e.paths[0].steps[0]
    assert [(kg.name(v), r["predicate"], r["evidence"], r.get("q_cell_context")) for v, r in expansion.support] == [
        ("CSNK1A1", "degrades", "review_statement", kg.entity("hematopoietic stem and progenitor cell").id),
        ("CSNK1A1", "degrades", "in_vitro", None),
    ]
    assert e.summary() == (
        "Main route: lenalidomide increases hematopoietic stem and progenitor cell (expansion) via CSNK1A1; "
        "lenalidomide has the side effect therapy-related myeloid neoplasm via hematopoietic stem and progenitor "
        "cell. Net: lenalidomide raises hematopoietic stem and progenitor cell (expansion); 4 reason(s). "
        "Standing: a known side effect."
    )
    assert "        through: lenalidomide degrades CSNK1A1\n" in e.to_text()
    assert e.against == []
    assert standing(kg, e) == [("lenalidomide", "has_side_effect", "therapy-related myeloid neoplasm")]
    text = e.to_text()
    assert "Reasons (routes that raise it)" in text and "(raises it)" in text
    assert "works less well" not in text and "(harms)" not in text


@pytest.mark.parametrize(
    "target, relation",
    [
        ("cytokine release syndrome", "Cytokine release syndrome is a toxicity to watch for when CAR-T cells are combined with\nIMiDs."),
        ("cytopenia", "Giving CAR-T cells together with IMiDs may cause severe drops in blood counts, a toxicity\nthat needs close study."),
    ],
)
def test_a_harm_of_the_imid_car_t_combination_reaches_lenalidomide_as_standing(kg, backend, target, relation):
    e = kg.explain("lenalidomide", target, backend=backend)
    assert e.mode == "harm"
    assert standing(kg, e) == [("CAR-T cell therapy", "has_side_effect", target)]
    [cited] = e.uses[0].relations
    assert cited["q_combined_with"] == [kg.entity("IMiD").id]
    assert " ".join(cited["paraphrase"].split()) == " ".join(relation.split())
    assert e.summary() == (
        f"No mechanism route by which lenalidomide raises {target} is in the graph. "
        f"Standing: CAR-T cell therapy has the side effect {target}, given with IMiD (lenalidomide is an IMiD)."
    )
    # pomalidomide is an IMiD too; a drug of no class named there is not reached
    assert standing(kg, kg.explain("pomalidomide", target, backend=backend)) == [("CAR-T cell therapy", "has_side_effect", target)]
    assert standing(kg, kg.explain("avadomide", target, backend=backend)) == []


def test_harm_flag_reads_a_disease_the_other_way_and_shows_what_lowers_it_apart(kg, backend):
    e = kg.explain("lenalidomide", "del(5q) MDS", top=0, backend=backend, harm=True)
    assert e.mode == "harm" and e.paths == []
    assert routes(kg, e.against) == [
        [
            ("lenalidomide", "degrades", "CSNK1A1"),
            ("chromosome 5q deletion", "decreases", "CSNK1A1"),
            ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
        ]
    ]
    text = e.to_text()
    assert "\nLowers it\n" in text and "(lowers it)" in text and "\nAgainst\n" not in text
    assert e.summary() == (
        "No mechanism route by which lenalidomide raises myelodysplastic syndrome with isolated del(5q) is in the graph. "
        "Found: 0 reason(s), 1 lowering it. Standing: approved; studied clinically."
    )
    assert "\nLowers it\n\n1. [lesion]" in text and "   1) lenalidomide degrades CSNK1A1 via CRBN\n" in text
    # the default for a disease the drug is used for: condition mode, the same route a reason
    plain = kg.explain("lenalidomide", "del(5q) MDS", top=0, backend=backend)
    assert plain.mode == "condition" and routes(kg, plain.paths)[0] == routes(kg, e.against)[0]
    # and a harm can be read as a disease on request
    assert kg.explain("thalidomide", "teratogenicity", backend=backend, harm=False).mode == "condition"


def test_harm_mode_needs_a_condition(kg):
    with pytest.raises(ex.ExplainError, match="harm mode needs a disease or phenotype"):
        kg.explain("lenalidomide", "rituximab", harm=True)


def test_the_cli_json_and_picture_say_which_mode_answered(kg):
    run = CliRunner()
    out = run.invoke(main, ["explain", "thalidomide", "teratogenicity", "--format", "json"], catch_exceptions=False)
    doc = json.loads(out.output)
    assert doc["mode"] == "harm" and [p["benefit"] for p in doc["paths"]] == ["raises it"]
    crs = json.loads(run.invoke(main, ["explain", "lenalidomide", "CRS", "--format", "json"], catch_exceptions=False).output)
    assert [x["text"] for x in crs["standing"]] == [
        "CAR-T cell therapy has the side effect cytokine release syndrome, given with IMiD (lenalidomide is an IMiD)"
    ]
    forced = run.invoke(main, ["explain", "lenalidomide", "del(5q) MDS", "--harm", "--format", "json"], catch_exceptions=False)
    assert json.loads(forced.output)["mode"] == "harm"
    plain = run.invoke(main, ["explain", "thalidomide", "teratogenicity", "--no-harm", "--format", "json"], catch_exceptions=False)
    assert json.loads(plain.output)["mode"] == "condition"
    page = kg.explain("lenalidomide", "del(5q) MDS", harm=True).to_html()
    assert "(harm mode)" in page and "lowers it" in page
    assert "(harm mode)" not in kg.explain("lenalidomide", "del(5q) MDS").to_html()


def test_a_marker_stated_for_another_disease_does_not_reach_the_target(kg, backend):
    # CRBN is a marker of IMiD resistance in myeloma: it reaches myeloma, not a birth defect
    e = kg.explain("thalidomide", "teratogenicity", top=0, backend=backend, harm=False)
    assert e.mode == "condition"
    assert not any(p.kind in ("sensitivity", "resistance") for p in e.all_paths)
    mm = kg.explain("lenalidomide", "multiple myeloma", top=0, backend=backend)
    crbn = [p for p in mm.against if p.kind == "resistance" and kg.name(p.nodes[p.chain_length + 1]) == "CRBN"]
    assert crbn and all(
        r.get("q_disease_context") in (None, kg.entity("multiple myeloma").id)
        for p in crbn
        for s in p.steps
        if s.predicate == "associated_with_resistance_to"
        for r in s.relations
    )


# --------------------------------------------------------------------------- 4. real partners


def test_partners_for_mcl_are_agents_given_with_lenalidomide_not_its_regimens_or_cousins(kg, backend):
    e = kg.explain("lenalidomide", "mantle cell lymphoma", top=0, backend=backend)
    assert partners(kg, e) == [
        "CAR-T cell therapy",
        "anti-CD20 monoclonal antibody",
        "anti-PD-1/PD-L1 therapy",
        "bispecific T-cell engager",
        "bispecific antibody",
        "immune checkpoint inhibitor",
        "immunotherapy",
        "monoclonal antibody",
        "rituximab",
    ]
    every = {kg.name(n) for p in e.all_paths for n in p.nodes}
    assert not every & {"R2 regimen", "GALEN regimen", "avadomide", "pomalidomide", "iberdomide"}
    # the regimen that holds lenalidomide is its standing
    assert ("R2 regimen", "active_preclinically_in", "mantle cell lymphoma") in standing(kg, e)


def test_a_class_s_partner_list_is_short_and_only_agents_given_with_its_members(kg, backend):
    e = kg.explain("CELMoD", "B-cell lymphoma", top=0, backend=backend)
    assert e.with_partner == []
    assert routes(kg, [p for p in e.all_paths if p.kind == "partner"]) == [
        [
            ("avadomide", "subclass_of", "CELMoD"),
            ("avadomide", "increases", "CD274"),
            ("anti-PD-1/PD-L1 therapy", "binds", "CD274"),
            ("anti-PD-1/PD-L1 therapy", "studied_clinically_for", "non-Hodgkin lymphoma"),
            ("B-cell lymphoma", "subclass_of", "non-Hodgkin lymphoma"),
        ]
    ]


def test_a_partner_step_seen_only_with_lenalidomide_added_is_not_the_partner_s_own(kg, backend):
    drug = {kg.entity("lenalidomide").id, kg.entity("IMiD").id}
    pd1 = kg.entity("anti-PD-1/PD-L1 therapy").id
    # the graph holds such steps of PD-1 blockade (combined with lenalidomide) ...
    assert any(r.subject == pd1 and drug & set((r.qualifiers or {}).get("combined_with", ())) for r in kg.relations)
    e = kg.explain("lenalidomide", "anti-PD-1/PD-L1 therapy", top=0, backend=backend)
    # ... none is shown as the partner's own
    assert sorted(routes(kg, [p for p in e.all_paths if p.kind == "partner"])) == [
        [("lenalidomide", "decreases", "PDCD1"), ("anti-PD-1/PD-L1 therapy", "binds", "PDCD1")],
        [("lenalidomide", "increases", "IFNG"), ("IFNG", "increases", "CD274"), ("anti-PD-1/PD-L1 therapy", "binds", "CD274")],
    ]
    for target in ("anti-PD-1/PD-L1 therapy", "multiple myeloma", "chronic lymphocytic leukemia"):
        for p in kg.explain("lenalidomide", target, top=0, backend=backend).all_paths:
            if p.kind == "partner":
                own = next(s for s in p.steps if not s.forward and s.predicate != "subclass_of")
                assert not any(drug & set(r.get("q_combined_with") or ()) for r in own.relations), (target, p.nodes)


# --------------------------------------------------------------------------- 5. hierarchy


def test_mcl_gets_the_treg_rise_stated_two_levels_up_as_counter_evidence_damped(kg, backend):
    e = kg.explain("lenalidomide", "mantle cell lymphoma", top=0, backend=backend)
    assert routes(kg, e.against) == [
        [
            ("lenalidomide", "increases", "regulatory T cell"),
            ("regulatory T cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
            ("mantle cell lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
        # the class's MHC class II rise primes CD4+ T cells (3.2.4), and CD4+ T cells of the TME
        # support lymphoma cells (3.2): far below, as pomalidomide's own CD4+ priming route is
        [
            ("lenalidomide", "subclass_of", "IMiD"),
            ("IMiD", "increases", "MHC class II"),
            ("MHC class II", "increases", "CD4-positive T cell"),
            ("CD4-positive T cell", "increases", "malignant B cell"),
            ("malignant B cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
            ("mantle cell lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
    ]
    assert e.against[1].score < e.against[0].score / 10
    assert e.against[0].distance == pytest.approx(ex.HIERARCHY**2)
    assert "which contributes to B-cell neoplasm (of which mantle cell lymphoma is a kind)" in ex.lead(e, e.against[0])
    assert "× distance 0.64" in e.to_text()


def test_pomalidomide_del5q_mds_mentions_its_study_in_mds_stated_for_the_parent(kg, backend):
    e = kg.explain("pomalidomide", "del(5q) MDS", backend=backend)
    assert standing(kg, e) == [("pomalidomide", "studied_clinically_for", "myelodysplastic syndrome")]
    assert e.summary() == (
        "No mechanism path links pomalidomide to myelodysplastic syndrome with isolated del(5q) in the graph "
        "as a reason. Standing: pomalidomide is studied clinically in myelodysplastic syndrome (stated for the parent)."
    )


def test_a_parent_s_standing_shows_its_subtypes_uses_marked_as_such(kg, backend):
    e = kg.explain("lenalidomide", "myelodysplastic syndrome", backend=backend)
    assert ("lenalidomide", "approved_for", "myelodysplastic syndrome with isolated del(5q)") in standing(kg, e)
    assert "\n  lenalidomide is approved for myelodysplastic syndrome with isolated del(5q) (a subtype)\n" in e.to_text()
    assert e.summary().endswith("Standing: approved; active in preclinical models (+2 more under Standing: regimens, partners, relatives).")
