"""Every check fires on the map that shows its problem, and stays quiet on a healthy map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from agent.checks import CHECKS, check_map
from agent.checks.divergence import embed_propositions, find_divergences
from schemas import CoreQuestion, Severity
from tests.map_builders import build, healthy_map_data, quote

Data = dict[str, Any]


def _find(items: list[Data], element_id: str) -> Data:
    return next(item for item in items if item["id"] == element_id)


def only_stages(d: Data) -> None:
    for key in ("veps", "resistances", "thresholds", "exchanges", "propositions"):
        d[key] = []


def unlinked_stage(d: Data) -> None:
    d["stages"].append({"id": "st-qa", "name": "Internal QA", "order": 2, "value_link": "unknown",
                        "evidence": [quote("QA checks every profile", "src-internal", "Ivan")]})


def improved_internal_stage(d: Data) -> None:
    d["stages"].append({"id": "st-review", "name": "Profile review", "order": 2, "value_link": "indirect",
                        "customer_visible": False, "improvements": [{"description": "review time cut 30%"}],
                        "evidence": [quote("review is faster now", "src-internal", "Ivan")]})


def many_unanchored_stages(d: Data) -> None:
    for i in range(8):
        d["stages"].append({"id": f"st-int-{i}", "name": f"Internal step {i}", "order": 10 + i, "value_link": "none",
                            "evidence": [quote("we do this internally", "src-internal", "Ivan")]})


def threshold_without_resistance(d: Data) -> None:
    d["resistances"] = [r for r in d["resistances"] if r["vep_id"] != "vep-mark"]


def resistance_unresolved(d: Data) -> None:
    _find(d["resistances"], "res-db")["resolution"] = "unresolved"
    d["exchanges"] = [e for e in d["exchanges"] if e["threshold_id"] != "th-mark"]


def resistance_unclassified(d: Data) -> None:
    _find(d["resistances"], "res-db")["resources_lacking"] = []


def threshold_without_exchange(d: Data) -> None:
    d["exchanges"] = [e for e in d["exchanges"] if e["threshold_id"] != "th-mark"]


def exchange_nothing_given(d: Data) -> None:
    _find(d["exchanges"], "ex-mark")["customer_gives"] = []


def exchange_value_overstated(d: Data) -> None:
    _find(d["exchanges"], "ex-mark")["organisation_gives"].append({"what": "a lawyer guaranteed in an hour",
                                                                   "delivery": "not_delivered"})


def exchange_customer_over_gives(d: Data) -> None:
    _find(d["exchanges"], "ex-mark")["balance"] = "customer_over_gives"


def value_only_resonates(d: Data) -> None:
    _find(d["veps"], "vep-mark")["activation"] = "resonates"


def vep_without_value(d: Data) -> None:
    _find(d["veps"], "vep-mark")["proposition_ids"] = []


def recorded_duplication(d: Data) -> None:
    d["propositions"].append({"id": "vp-cheap", "name": "Cheapest lawyers", "statement": "The cheapest lawyers around",
                              "audience": "lawyers", "evidence": [quote("we say cheapest to some")]})
    d["duplications"] = [{"id": "dup-1", "name": "Two stories", "kind": "audience_divergence",
                          "proposition_ids": ["vp-find", "vp-cheap"], "threshold_ids": ["th-mark"],
                          "evidence": [quote("sales tells it differently")]}]
    d["losses"] = [{"id": "loss-1", "name": "Churn", "kind": "churn", "duplication_ids": ["dup-1"],
                    "evidence": [quote("they left after a month")]}]


def duplication_without_loss(d: Data) -> None:
    recorded_duplication(d)
    d["losses"] = []


def loss_without_trace(d: Data) -> None:
    d["losses"] = [{"id": "loss-1", "name": "Refunds", "kind": "refunds", "evidence": [quote("refunds went up")]}]


def no_final_threshold(d: Data) -> None:
    del _find(d["thresholds"], "th-pay")["purchase"]


def discount_at_purchase(d: Data) -> None:
    _find(d["thresholds"], "th-pay")["purchase"]["compensation"] = [{"kind": "discount", "detail": "50% first year"}]


def loss_exceeds_value(d: Data) -> None:
    _find(d["thresholds"], "th-pay")["purchase"].update(perceived_value=40, accumulated_loss=55)


def final_without_numbers(d: Data) -> None:
    _find(d["thresholds"], "th-pay")["purchase"] = {"price": {"amount": 49}}


def element_without_evidence(d: Data) -> None:
    _find(d["stages"], "st-browse")["evidence"] = []


def element_with_unverified_evidence(d: Data) -> None:
    _find(d["stages"], "st-browse")["evidence"] = [{**quote("made up"), "match": "unverified"}]


def element_with_unconfirmed_evidence(d: Data) -> None:
    _find(d["stages"], "st-browse")["evidence"] = [
        {**quote("the setup call is optional"), "match": "fuzzy", "claimed": "the setup call is mandatory"}]


def only_internal_voices(d: Data) -> None:
    for source in d["sources"]:
        source["perspective"] = "internal"


def threshold_without_metric(d: Data) -> None:
    del _find(d["thresholds"], "th-mark")["crossing_metric"]


FIRES: list[tuple[str, Callable[[Data], None], list[str]]] = [
    ("activity-map", only_stages, ["st-browse", "st-pay"]),
    ("suspect-stage", unlinked_stage, ["st-qa"]),
    ("efficiency-trap", improved_internal_stage, ["st-review"]),
    ("completeness-illusion", many_unanchored_stages, [f"st-int-{i}" for i in range(8)]),
    ("unexplained-threshold", threshold_without_resistance, ["th-mark"]),
    ("unresolved-resistance", resistance_unresolved, ["res-db", "vep-mark"]),
    ("unclassified-resistance", resistance_unclassified, ["res-db"]),
    ("missing-exchange", threshold_without_exchange, ["th-mark"]),
    ("one-sided-exchange", exchange_nothing_given, ["ex-mark", "th-mark"]),
    ("overstated-exchange", exchange_value_overstated, ["ex-mark", "th-mark"]),
    ("customer-over-gives", exchange_customer_over_gives, ["ex-mark", "th-mark"]),
    ("inert-value", value_only_resonates, ["th-mark", "vep-mark", "vp-find"]),
    ("unnamed-value", vep_without_value, ["vep-mark"]),
    ("duplication", recorded_duplication, ["dup-1", "vp-find", "vp-cheap", "th-mark"]),
    ("latent-loss", duplication_without_loss, ["dup-1"]),
    ("untraced-loss", loss_without_trace, ["loss-1"]),
    ("missing-final-threshold", no_final_threshold, []),
    ("subsidized-growth", discount_at_purchase, ["th-pay"]),
    ("value-not-surviving", loss_exceeds_value, ["th-pay"]),
    ("value-unreckoned", final_without_numbers, ["th-pay"]),
    ("ungrounded", element_without_evidence, ["st-browse"]),
    ("unconfirmed-evidence", element_with_unconfirmed_evidence, ["st-browse"]),
    ("internal-narrative", only_internal_voices, None),  # type: ignore[list-item]
    ("pull-unmeasured", threshold_without_metric, ["th-mark"]),
]


def test_a_healthy_map_has_no_findings() -> None:
    report = check_map(build(healthy_map_data()))
    assert report.findings == []


def test_every_registered_check_has_a_firing_case() -> None:
    assert {code for code, _, _ in FIRES} == set(CHECKS)


@pytest.mark.parametrize(("code", "breakage", "element_ids"), FIRES, ids=[c for c, _, _ in FIRES])
def test_check_fires_on_the_problem_it_names(code: str, breakage: Callable[[Data], None], element_ids: list[str] | None) -> None:
    data = healthy_map_data()
    breakage(data)
    report = check_map(build(data))
    hits = [f for f in report.findings if f.code == code]
    assert len(hits) == 1, [f.code for f in report.findings]
    if element_ids is not None:
        assert hits[0].element_ids == element_ids
    assert hits[0].reason and hits[0].next_question.endswith("?")
    assert hits[0].severity is CHECKS[code].severity


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_check_is_quiet_on_the_healthy_map(code: str) -> None:
    assert not [f for f in check_map(build(healthy_map_data()), only={code}).findings]


def test_unverified_quotes_do_not_ground_an_element() -> None:
    data = healthy_map_data()
    element_with_unverified_evidence(data)
    codes = [f.code for f in check_map(build(data)).findings]
    assert codes == ["ungrounded"]


def test_ungrounded_findings_sit_under_the_question_their_element_answers() -> None:
    data = healthy_map_data()
    _find(data["exchanges"], "ex-mark")["evidence"] = []
    _find(data["stages"], "st-browse")["evidence"] = []
    questions = {f.element_ids[0]: f.question for f in check_map(build(data)).findings}
    assert questions == {"ex-mark": CoreQuestion.VALUE_USED, "st-browse": CoreQuestion.WHERE_IT_STOPS}


def test_findings_are_ordered_by_question_then_severity() -> None:
    data = healthy_map_data()
    loss_exceeds_value(data)
    threshold_without_metric(data)
    exchange_nothing_given(data)
    report = check_map(build(data))
    order = [(f.question.number, -f.severity.rank) for f in report.findings]
    assert order == sorted(order)
    assert report.worst() is Severity.ERROR


def test_checks_are_deterministic() -> None:
    data = healthy_map_data()
    recorded_duplication(data)
    loss_without_trace(data)
    first = check_map(build(data)).model_dump_json()
    assert all(check_map(build(data)).model_dump_json() == first for _ in range(3))


class KeywordEmbedder:
    """A transparent embedder for tests: one axis per keyword, so similarities are known by design."""

    axes = ("lawyer", "fast", "cheap", "guarantee", "database", "access")

    def embed(self, texts: Any) -> np.ndarray:
        rows = np.array([[1.0 if axis in t.lower() else 0.0 for axis in self.axes] + [0.3] for t in texts],
                        dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _two_propositions(d: Data, second: Data) -> None:
    d["propositions"].append({"evidence": [quote("we pitch it another way")], **second})


def test_semantic_comparison_finds_an_unrecorded_layering() -> None:
    data = healthy_map_data()
    _find(data["propositions"], "vp-find").update(statement="A lawyer, fast", claims=["lawyer", "fast"])
    _two_propositions(data, {"id": "vp-more", "name": "Lawyer fast and cheap", "statement": "A lawyer, fast and cheap",
                             "claims": ["lawyer", "fast", "cheap"], "used_at_ids": ["th-pay"], "audience": "SMB owners"})
    findings = [f for f in check_map(build(data), embedder=KeywordEmbedder()).findings if f.code == "duplication"]
    assert len(findings) == 1
    assert findings[0].element_ids == ["vp-find", "vp-more"]
    assert "layering" in findings[0].reason


def test_semantic_comparison_ignores_unrelated_value_and_the_same_value_told_twice() -> None:
    data = healthy_map_data()
    _find(data["propositions"], "vp-find").update(statement="A lawyer, fast", claims=["lawyer", "fast"])
    _two_propositions(data, {"id": "vp-db", "name": "Database access", "statement": "Access to the database",
                             "claims": ["database access"], "used_at_ids": ["th-pay"]})
    _two_propositions(data, {"id": "vp-same", "name": "Same", "statement": "A lawyer, fast!", "claims": ["lawyer fast"],
                             "used_at_ids": ["th-mark"]})
    findings = [f for f in check_map(build(data), embedder=KeywordEmbedder()).findings if f.code == "duplication"]
    assert findings == []


def test_semantic_comparison_names_conditional_value_and_stays_quiet_below_the_calibrated_cut() -> None:
    data = healthy_map_data()
    _find(data["propositions"], "vp-find").update(statement="A lawyer you can trust, fast", claims=["lawyer"])
    # Another audience, but hardly the same value (cosine 0.44 with this embedder): not suggested.
    _two_propositions(data, {"id": "vp-law", "name": "For lawyers", "statement": "Cheap leads for your firm",
                             "claims": ["cheap lawyer leads"], "audience": "lawyers"})
    _two_propositions(data, {"id": "vp-if", "name": "Conditional", "statement": "A fast lawyer if you mark ten profiles",
                             "claims": ["marking"], "audience": "SMB owners", "used_at_ids": ["th-pay"]})
    findings = [f for f in check_map(build(data), embedder=KeywordEmbedder()).findings if f.code == "duplication"]
    assert len(findings) == 1
    assert findings[0].element_ids == ["vp-find", "vp-if"]
    assert "'Find a lawyer fast' vs 'Conditional': conditional_value" in findings[0].reason
    assert "For lawyers" not in findings[0].reason


def test_many_look_alike_propositions_give_a_linear_number_of_pairs() -> None:
    from benchmarks.generated_maps import generated_map

    value_map = generated_map(3_000)
    vectors = embed_propositions(value_map.propositions, KeywordEmbedder())
    pairs = find_divergences(value_map.propositions, vectors)
    assert 0 < len(pairs) <= 3 * len(value_map.propositions)


def test_summary_figures_and_chains() -> None:
    data = healthy_map_data()
    recorded_duplication(data)
    loss_without_trace(data)
    data["losses"].append({"id": "loss-2", "name": "Churn", "kind": "churn", "duplication_ids": ["dup-1"],
                           "evidence": [quote("they left")]})
    unlinked_stage(data)
    summary = check_map(build(data)).summary
    assert summary.stages_anchored_share == pytest.approx(2 / 3)
    assert summary.thresholds_explained_share == 1.0
    assert summary.evidenced_share == 1.0
    assert summary.losses_traced_share == pytest.approx(1 / 2)
    assert [(c.threshold_id, c.duplication_id, c.loss_id) for c in summary.chains] == [("th-mark", "dup-1", "loss-2")]
    assert summary.surviving_value[0].surviving_value == 70


@pytest.mark.parametrize(("code", "breakage"), [(c, b) for c, b, _ in FIRES], ids=[c for c, _, _ in FIRES])
def test_every_next_question_passes_the_interview_question_lint(code: str, breakage: Callable[[Data], None]) -> None:
    """A check's next question may be asked as it is, so it must be open, single and neutral."""
    from agent.interview.planning.question_lint import lint_question

    data = healthy_map_data()
    breakage(data)
    for finding in check_map(build(data)).findings:
        assert lint_question(finding.next_question, session_text="") == [], finding.next_question


def test_an_unconfirmed_quote_shows_what_the_model_claimed_beside_what_the_source_says() -> None:
    data = healthy_map_data()
    element_with_unconfirmed_evidence(data)

    findings = check_map(build(data)).findings

    assert [f.code for f in findings] == ["unconfirmed-evidence"]  # not also `ungrounded`
    assert "'the setup call is mandatory'" in findings[0].reason
    assert "'the setup call is optional'" in findings[0].reason
