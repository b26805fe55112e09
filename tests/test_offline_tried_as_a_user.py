"""Four conversations written to try `vsm map` as a new user would, none of them a benchmark example: a discovery
call (Markdown), a customer interview (WebVTT), an internal meeting (SubRip) and a sales call (JSON), in
`tests/data/offline/`. Each miss they showed is a case here, through the commands a user runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.extraction.offline import extract_offline
from agent.extraction.offline.reading import read_sentences
from agent.sources import parse_transcript
from tests.cli_runner import run_vsm

DATA = Path(__file__).parent / "data" / "offline"


def _mapped(folder: Path, source: str, *options: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The map `vsm map` writes for a file of DATA, and the findings `vsm check` raises on it."""
    result = run_vsm("map", DATA / source, "-o", folder / "map.json", *options, cwd=folder)
    assert result.returncode == 0, result.stderr
    checked = run_vsm("check", folder / "map.json", "--format", "json", cwd=folder)
    mapped: dict[str, Any] = json.loads((folder / "map.json").read_text(encoding="utf-8"))
    return mapped, json.loads(checked.stdout)["findings"]


@pytest.fixture(scope="module")
def payroll_call(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return _mapped(tmp_path_factory.mktemp("payroll"), "payroll_discovery_call.md")


@pytest.fixture(scope="module")
def veg_box_customer(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return _mapped(tmp_path_factory.mktemp("veg"), "veg_box_customer_interview.vtt", "--customer", "Priya")


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return _mapped(tmp_path_factory.mktemp("meeting"), "trial_conversion_meeting.srt")


def _quoting(elements: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [e for e in elements if any(text in q["text"] for q in e["evidence"])]


# The discovery call

def test_one_in_ten_leaving_in_the_first_year_is_churn_with_its_share(payroll_call: Any) -> None:
    churn = [loss for loss in payroll_call[0]["losses"] if loss["kind"] == "churn"]

    assert [(loss["metric"]["value"], loss["metric"]["text"]) for loss in churn] == [(10.0, "one in ten")]
    assert churn[0]["evidence"][0]["text"].startswith("About one in ten leave in the first year")


def test_the_customers_data_held_by_their_old_provider_is_a_lack_of_data(payroll_call: Any) -> None:
    """"Why don't they send it? -- ... Their old provider holds the data, and getting an export out of them takes a
    ticket and a week." was read as no resistance at the upload: the customer lacks their own data."""
    [held] = _quoting(payroll_call[0]["resistances"], "Their old provider holds the data")

    assert "data" in held["resources_lacking"]
    upload = next(v for v in payroll_call[0]["veps"] if "upload" in v["name"].lower())
    assert held["vep_id"] == upload["id"]


def test_two_audiences_told_two_things_is_an_audience_divergence(payroll_call: Any) -> None:
    mapped = payroll_call[0]
    (divergence,) = [d for d in mapped["duplications"] if d["kind"] == "audience_divergence"]

    names = {p["id"]: p["name"] for p in mapped["propositions"]}
    assert {names[i] for i in divergence["proposition_ids"]} == {"Free for partners", "Accountant promise"}
    assert _quoting([divergence], 'The accountants hear "free for partners"')


def test_a_share_said_before_the_steps_bare_verb_is_its_crossing_rate(payroll_call: Any) -> None:
    """'When they see it, about eighty percent sign.' names the act by its verb alone: the contract signing was
    "pull-unmeasured" though its figure had been said."""
    mapped, findings = payroll_call
    signing = next(t for t in mapped["thresholds"] if t["name"] == "Contract signing")

    assert (signing["crossing_metric"]["value"], signing["crossing_metric"]["text"]) == (80.0, "eighty percent")
    assert not [f for f in findings if f["code"] == "pull-unmeasured" and signing["id"] in f["element_ids"]]


# The customer interview

def test_steps_a_customer_says_were_required_of_them_are_veps(veg_box_customer: Any) -> None:
    """Mapped with `--customer` as the README says: "I had to create an account, pick a box size, and put in my card"
    and "they wanted me to choose a two-hour delivery slot ... I nearly gave up there" made no VEP and no threshold
    (only a stage, "Account creation", taken as the organisation's), so the map was an activity map. Putting in her
    card, listed with the others, is the payment: the final threshold (the map had none)."""
    mapped, findings = veg_box_customer

    assert {"Account signup", "Box size choice", "Card entry", "Delivery slot choice"} <= {v["name"] for v in mapped["veps"]}
    assert [t["name"] for t in mapped["thresholds"]] == ["Card entry", "Delivery slot choice"]
    (payment,) = [t for t in mapped["thresholds"] if t.get("purchase")]
    assert payment["condition"] == "The customer must put in their card"
    assert "missing-final-threshold" not in {f["code"] for f in findings}
    (signup,) = [s for s in mapped["stages"] if s["name"] == "Account signup"]
    assert signup["actor"] == "customer"
    assert "activity-map" not in {f["code"] for f in findings}


def test_the_ad_against_the_terms_is_a_duplication_and_pointing_at_a_part_of_the_line_quotes_it(
    veg_box_customer: Any,
) -> None:
    """"the ad said skip any week, not skip by Monday" is the value told one way at the ad and another at the step (no
    duplication was found), and "That skip bit was what got me" is one more quote of the ad's line (it was a
    proposition of its own, "Skip bit")."""
    mapped = veg_box_customer[0]

    (reframing,) = [d for d in mapped["duplications"] if d["kind"] == "stage_reframing"]
    assert _quoting([reframing], "the ad said skip any week, not skip by Monday")
    line = next(p for p in mapped["propositions"] if p["statement"].startswith("Fresh local veg"))
    assert _quoting(mapped["propositions"], "That skip bit was what got me") == [line]


def test_what_the_customer_paid_for_and_threw_away_is_a_loss(veg_box_customer: Any) -> None:
    """"Twice I missed it and paid for a box that sat on the step [...] That's forty-eight pounds of veg in the bin."
    made no loss."""
    assert _quoting(veg_box_customer[0]["losses"], "That's forty-eight pounds of veg in the bin.")


@pytest.mark.parametrize(("said", "required"), [
    ("I had to create an account, pick a box size, and put in my card.",
     ["Account signup", "Box size choice", "Card entry"]),  # the card listed with the stream's steps: its payment
    ("They made me create an account first.", ["Account signup"]),
    ("I was required to create an account.", ["Account signup"]),
    ("Last month I had to buy new lenses for my glasses.", []),  # what else they buy is their life
    ("I had to create an account, pick a plan, and buy a new phone because the app wouldn't run on mine.",
     ["Account signup", "Plan choice"]),  # listed with the stream's steps, but bought for their own life
    ("They didn't ask me to create an account, which was nice.", []),
    ("If I had to create an account I would have left.", []),
    ("I got to choose my own delivery slot, which was lovely.", []),  # allowed, not required
    ("I had to admit I booked the wrong slot.", []),  # another clause's act
])
def test_what_a_customer_says_was_required_of_them(said: str, required: list[str]) -> None:
    text = f"Consultant: How did it start?\n\nPriya: {said}\n\nConsultant: And then?\n\nPriya: It was fine.\n"
    draft = extract_offline(parse_transcript(text, format="markdown", source_id="s", interviewers=["Consultant"]),
                            customers=frozenset({"Priya"}))
    assert [v.name for v in draft.veps] == required


# The internal meeting

def test_a_share_of_those_who_crossed_is_not_the_crossing_rate(meeting: Any) -> None:
    """"Of those who pay, roughly one in five cancel within three months" gave the payment a crossing rate of 20%:
    the share counts who cancel among those who paid."""
    mapped = meeting[0]
    payment = next(t for t in mapped["thresholds"] if t.get("purchase"))

    assert payment.get("crossing_metric") is None
    assert [loss["metric"]["value"] for loss in mapped["losses"] if loss["kind"] == "churn"] == [20.0]
    importing = next(t for t in mapped["thresholds"] if t["name"] == "Invoices import")
    assert importing["crossing_metric"]["value"] == 60.0  # "About forty percent never import anything"


@pytest.mark.parametrize("said", [
    "Roughly one in five of those who pay cancel within three months.",
    "Roughly one in five of those who pay end up cancelling.",
    "Roughly one in five of those who pay are gone within a year.",
])
def test_a_share_counted_among_those_who_paid_is_no_step_and_no_crossing_rate(said: str) -> None:
    """Said the other way round, "Roughly one in five of those who pay cancel" made a "Cancel payment" step with a
    crossing rate of 20%: the share counts who cancel among those who paid, and "cancel" is no object of paying."""
    text = ("Consultant: What happens at the end of the trial?\n\nRavi: Sales calls them and they sign the order form "
            f"for the annual plan.\n\nConsultant: And after that?\n\nRavi: {said}\n")
    draft = extract_offline(parse_transcript(text, format="markdown", source_id="s", interviewers=["Consultant"]))

    assert [(t.name, t.crossing_metric) for t in draft.thresholds] == [("Order form signing", None), ("Plan payment", None)]
    assert [(loss.kind.value, loss.metric.value if loss.metric else None) for loss in draft.losses] == [("churn", 20.0)]


def test_a_second_trial_offered_is_compensation_and_nothing_is_no_loss(meeting: Any) -> None:
    """"Sales offers a second trial of fourteen days to anyone who asks" was not recorded at the purchase, and
    "for CSV users nothing is automatic" was a loss ("Bit awkward"), read as "for nothing"."""
    mapped = meeting[0]
    payment = next(t for t in mapped["thresholds"] if t.get("purchase"))

    assert [c["kind"] for c in payment["purchase"]["compensation"]] == ["free_extension"]
    assert mapped["losses"] and not _quoting(mapped["losses"], "for CSV users nothing is automatic")


def test_a_moderator_written_before_her_name_asks_the_questions(meeting: Any) -> None:
    """"Moderator (Lena):" was the speaker "Moderator" with the role "Lena"."""
    people = {p["name"]: p for source in meeting[0]["sources"] for p in source["stakeholders"]}

    assert people["Lena"]["interviewer"] and people["Lena"]["role"] == "Moderator"
    assert "Moderator" not in people


# The sales call

def test_a_line_in_single_quotes_is_told_value(tmp_path: Path) -> None:
    """"Your brochure says 'no more paper', but your sales guy told me ..." made no proposition: only double quotes
    were read as a line said."""
    mapped, _ = _mapped(tmp_path, "sales_call.json", "--customer", "Morgan", "--no-interviewer")

    assert [p["name"] for p in mapped["propositions"]] == ["No more paper"]


def test_what_the_brochure_says_against_what_the_seller_told_is_a_duplication(tmp_path: Path) -> None:
    """"Your brochure says 'no more paper', but your sales guy told me last week the run sheet still prints." is two
    versions of the value, the page's and the seller's: the map had none."""
    mapped, findings = _mapped(tmp_path, "sales_call.json", "--customer", "Morgan", "--no-interviewer")

    [duplication] = mapped["duplications"]
    assert duplication["kind"] == "stage_reframing" and duplication["name"] == "No more paper"
    assert "your sales guy told me" in duplication["evidence"][0]["text"]
    assert "duplication" in {f["code"] for f in findings}


@pytest.mark.parametrize(("said", "plain"), [
    ("Your brochure says 'no more paper', honestly.", 'Your brochure says "no more paper", honestly.'),
    ("We're the drivers' favourite, y'know.", "We're the drivers' favourite, y'know."),  # apostrophes
    ("He said \"it's 'fine'\" to me.", "He said \"it's 'fine'\" to me."),  # a quote inside a quote
])
def test_single_quotes_read_as_quotation_marks_and_apostrophes_stay(said: str, plain: str) -> None:
    text = f"Consultant: What happened?\n\nMorgan: {said}\n"
    (sentence,) = read_sentences(parse_transcript(text, format="markdown", source_id="s",
                                                  interviewers=["Consultant"])).sentences[1:]
    assert (sentence.plain, len(sentence.plain)) == (plain, len(said))
