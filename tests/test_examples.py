"""The bundled examples in transcripts/: valid maps whose every quote is its speaker's own words.

The examples are demo data, fixtures for the checks and gold annotations for extractors, so a quote that
drifts from its transcript (an edited word, a shifted offset, words moved to the interviewer) must fail
here. The transcripts are written in the canonical layout of `schemas.transcript`, so a quote's offsets
into the file are its offsets into the `Transcript` vsm ingests from it; quotes are checked against that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.checks.runner import check_map
from agent.sources import read_transcript
from schemas import Quote, Source, ValueMap
from schemas.transcript import Transcript

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "transcripts"
REPO_ROOT = EXAMPLES_DIR.parent
# Blind (transcripts/README.md): written by someone who never read the extractor, used only to measure it.
BLIND = ("blind-budgeting-app-freemium", "blind-kitchen-sensors-subscription", "blind-payroll-software",
         "blind-vet-wellness-plan", "blind-bike-service-plan", "blind-physio-clinic", "blind-ticketing-platform",
         "blind-pharmacy-delivery", "blind-contract-software", "blind-dog-daycare", "blind-food-wholesale")
# Development (transcripts/README.md): written blind like those, then used to tune the extractor, so no longer blind.
DEV = ("dev-tutoring-marketplace", "dev-security-training-saas", "dev-equipment-rental", "dev-gym-membership",
       "dev-solar-installer", "dev-coworking-space", "dev-ebike-subscription", "dev-translation-agency",
       "dev-dental-aligners", "dev-language-school",
       "dev-warehouse-robotics", "dev-coding-bootcamp", "dev-office-cleaning", "dev-pet-insurance",
       "dev-car-subscription", "dev-recruitment-agency", "dev-wedding-venue", "dev-accounting-practice",
       "dev-coffee-subscription", "dev-home-care",
       "dev-driving-school", "dev-furniture-rental", "dev-hr-onboarding-saas", "dev-print-shop",
       "dev-swim-school", "dev-event-catering", "dev-property-management", "dev-trades-job-app",
       "dev-garden-design", "dev-analytics-saas", "dev-hearing-clinic", "dev-freight-forwarder",
       "dev-cargo-bike-courier", "dev-tax-filing-app", "dev-music-school", "dev-it-support-msp",
       "dev-escape-room", "dev-plant-nursery", "dev-invoice-finance", "dev-moving-company",
       "dev-boat-charter", "dev-cyber-insurance", "dev-kids-coding-club", "dev-fleet-telematics",
       "dev-window-blinds", "dev-restaurant-pos", "dev-yoga-studio", "dev-will-writing", "dev-esignature-api",
       "dev-farm-box", "dev-roofing-contractor", "dev-piano-course", "dev-cloud-backup", "dev-mortgage-broker",
       "dev-laundry-pickup", "dev-seo-agency", "dev-pest-control", "dev-childcare-nursery", "dev-dental-software",
       "dev-car-garage", "dev-wine-club", "dev-corporate-travel", "dev-online-therapy", "dev-artisan-bakery",
       "dev-bookkeeping-app", "dev-conference-venue", "dev-home-insulation", "dev-company-data-api",
       "dev-campervan-rental", "dev-school-meals-app", "dev-boutique-hotel", "dev-site-safety-app",
       "dev-meal-prep-delivery", "dev-landlord-tax", "dev-bike-leasing", "dev-hearing-aid-online", "dev-studio-rental")
EXAMPLES = ("legal-platform", "ap-automation-trial", "meal-kit-subscription", "held-out-b2b-marketplace", *BLIND, *DEV)
# Held out: written without looking at the extractor, used only to measure it. The held-out example has no
# designed findings; the blind ones list theirs in design.json, checked below against their gold maps.
HELD_OUT = ("held-out-b2b-marketplace", *BLIND)
TURN_LINE = re.compile(r"(?P<speaker>[^:\s][^:\n]*): (?P<words>\S.*)")


def load_map(example: str) -> ValueMap:
    return ValueMap.model_validate_json((EXAMPLES_DIR / example / "map.json").read_text(encoding="utf-8"))


def source_text(source: Source) -> str:
    assert source.path is not None, f"source {source.id} has no path"
    return (REPO_ROOT / source.path).read_text(encoding="utf-8")


def read_source(source: Source) -> Transcript:
    """The source as vsm ingests it: quote offsets index this text (the file less its final newline)."""
    assert source.path is not None, f"source {source.id} has no path"
    interviewers = [person.name for person in source.stakeholders if person.interviewer]
    return read_transcript(REPO_ROOT / source.path, source_id=source.id, interviewers=interviewers)


def transcripts_of(value_map: ValueMap) -> dict[str, Transcript]:
    return {source.id: read_source(source) for source in value_map.sources}


def quotes_of(value_map: ValueMap) -> Iterator[tuple[str, Quote]]:
    for element in value_map.elements():
        for quote in element.evidence:
            yield element.id, quote
        for improvement in getattr(element, "improvements", ()):
            for quote in improvement.evidence:
                yield f"{element.id} (improvement)", quote


def quote_problems(quote: Quote, transcripts: dict[str, Transcript]) -> list[str]:
    """Why a quote is not its speaker's exact words at its span; empty when it is."""
    transcript = transcripts.get(quote.source_id)
    if transcript is None:
        return [f"source {quote.source_id!r} is not one of the map's sources"]
    if quote.match != "exact" or quote.start is None or quote.end is None or quote.line is None:
        return ["a bundled example quote must be an exact match with start, end and line"]
    problems = []
    found = transcript.text[quote.start : quote.end]
    if found != quote.text:
        problems.append(f"text at {quote.start}:{quote.end} is {found!r}, not {quote.text!r}")
    turn = transcript.turn_at(quote.start)
    if turn is None or quote.end > turn.end:
        return [*problems, f"span {quote.start}:{quote.end} is not inside one turn's words"]
    if turn.interviewer:
        problems.append(f"span is in an interviewer turn ({turn.speaker}, line {turn.line}); never evidence")
    if turn.speaker != quote.speaker:
        problems.append(f"span is in {turn.speaker}'s turn, but the quote credits {quote.speaker}")
    if turn.line != quote.line:
        problems.append(f"quote says line {quote.line}, its turn is on line {turn.line}")
    return problems


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_example_folder_is_bundled() -> None:
    folders = sorted(path.parent.name for path in EXAMPLES_DIR.glob("*/map.json"))
    assert folders == sorted(EXAMPLES)
    assert (EXAMPLES_DIR / "README.md").is_file()


def test_map_validates_as_a_value_map(example: str) -> None:
    value_map = load_map(example)
    assert value_map.title
    assert value_map.sources


def test_transcripts_are_in_the_canonical_layout(example: str) -> None:
    for source in load_map(example).sources:
        text = source_text(source)
        assert source.path == f"transcripts/{example}/{Path(source.path or '').name}"
        assert "\r" not in text and "\t" not in text
        assert text.endswith("\n") and not text.endswith("\n\n"), f"{source.path} must end with one newline"
        for number, line in enumerate(text[:-1].split("\n"), start=1):
            if number % 2:
                assert TURN_LINE.fullmatch(line), f"{source.path}:{number} is not one 'Speaker: words' turn"
                assert line == line.rstrip(), f"{source.path}:{number} has trailing white space"
            else:
                assert line == "", f"{source.path}:{number}: turns are separated by exactly one blank line"


def test_speakers_are_stakeholders_and_the_interviewer_only_asks(example: str) -> None:
    value_map = load_map(example)
    turn_count = 0
    for source in value_map.sources:
        transcript = read_source(source)
        turn_count += len(transcript.turns)
        named = {person.name for person in source.stakeholders}
        assert set(transcript.speakers) == named, f"{source.id}: speakers and stakeholders differ"
        assert sum(person.interviewer for person in source.stakeholders) == 1
        for turn in transcript.turns:
            if turn.interviewer:
                assert "?" in turn.text, f"{source.id} line {turn.line}: an interviewer turn should ask"
    assert 25 <= turn_count <= 100


def test_every_quote_is_its_speakers_exact_words(example: str) -> None:
    value_map = load_map(example)
    transcripts = transcripts_of(value_map)
    problems = [
        f"{element_id}: {problem}"
        for element_id, quote in quotes_of(value_map)
        for problem in quote_problems(quote, transcripts)
    ]
    assert problems == []


def test_example_has_thresholds_and_one_final_threshold(example: str) -> None:
    value_map = load_map(example)
    assert len(value_map.thresholds) >= 3
    finals = [threshold for threshold in value_map.thresholds if threshold.is_final]
    assert len(finals) == 1
    assert finals[0].purchase is not None and finals[0].purchase.price is not None


def test_most_elements_are_evidenced(example: str) -> None:
    value_map = load_map(example)
    elements = list(value_map.elements())
    evidenced = [element for element in elements if element.verified_evidence]
    assert len(evidenced) / len(elements) >= 0.9


def test_an_edited_quote_is_caught() -> None:
    value_map = load_map("legal-platform")
    transcripts = transcripts_of(value_map)
    quote = next(quote for _, quote in quotes_of(value_map) if "eighteen percent" in quote.text)
    assert quote_problems(quote, transcripts) == []
    assert quote.start is not None and quote.end is not None

    reworded = quote.model_copy(update={"text": quote.text.replace("eighteen", "eighty")})
    shifted = quote.model_copy(update={"start": quote.start + 1, "end": quote.end + 1})
    wrong_line = quote.model_copy(update={"line": (quote.line or 1) + 2})
    other_speaker = quote.model_copy(
        update={"speaker": "Ben Adeyemi" if quote.speaker != "Ben Adeyemi" else "Sofia Reyes"}
    )
    for broken in (reworded, shifted, wrong_line, other_speaker):
        assert quote_problems(broken, transcripts), f"not caught: {broken}"


def test_the_interviewers_words_are_never_evidence() -> None:
    value_map = load_map("legal-platform")
    transcripts = transcripts_of(value_map)
    transcript = transcripts["legal-interview"]
    question = next(turn for turn in transcript.turns if turn.interviewer)
    quote = Quote(
        text=question.text,
        source_id="legal-interview",
        speaker=question.speaker,
        start=question.start,
        end=question.end,
        line=question.line,
        match="exact",
    )
    assert any("interviewer" in problem for problem in quote_problems(quote, transcripts))


# What each example is built to make the checks say (transcripts/README.md says why): for each check
# code, the elements its findings must name. Checks run without an embedder, so this is deterministic.
DESIGNED_FINDINGS: dict[str, dict[str, set[str]]] = {
    "legal-platform": {
        "duplication": {"dup-owner-vs-lawyer", "dup-checked-vs-imperfect"},
    },
    "ap-automation-trial": {
        "efficiency-trap": {"stage-trial-review"},
        "suspect-stage": {
            "stage-lead-scoring",
            "stage-sdr-call",
            "stage-trial-review",
            "stage-health-scoring",
            "stage-deal-desk",
            "stage-cs-handover",
            "stage-qbr",
        },
        "completeness-illusion": {"stage-lead-scoring", "stage-qbr"},
        "missing-exchange": {"th-security-review"},
        "one-sided-exchange": {"ex-history-upload"},
        "duplication": {"dup-stacked-platform"},
        "untraced-loss": {"loss-sales-cycle"},
        "subsidized-growth": {"th-purchase"},
        "value-not-surviving": {"th-purchase"},
        "ungrounded": {"stage-health-scoring", "stage-deal-desk"},
    },
    "meal-kit-subscription": {
        "duplication": {"dup-quick-vs-chef", "dup-from-price"},
        "inert-value": {"th-cancel-save", "vp-food-waste"},
        "unresolved-resistance": {"res-courier-capacity"},
        "unexplained-threshold": {"th-email-gate"},
        "latent-loss": {"dup-from-price"},
        "pull-unmeasured": {"th-email-gate", "th-cancel-save"},
        "internal-narrative": {"th-first-box", "vp-twenty-minute-dinners"},
        "overstated-exchange": {"ex-first-box"},
    },
}

# Codes an example is built *not* to raise, so the three examples stay distinct fixtures.
QUIET: dict[str, set[str]] = {
    "ap-automation-trial": {
        "unresolved-resistance",
        "unexplained-threshold",
        "inert-value",
        "overstated-exchange",
        "internal-narrative",
        "latent-loss",
        "pull-unmeasured",
    },
    "meal-kit-subscription": {
        "suspect-stage",
        "completeness-illusion",
        "missing-exchange",
        "one-sided-exchange",
        "untraced-loss",
        "subsidized-growth",
        "value-not-surviving",
        "ungrounded",
    },
}


# Held-out and dev examples list their design in design.json, checked below, not in DESIGNED_FINDINGS.
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e not in (*HELD_OUT, *DEV)])
def test_checks_raise_the_findings_the_example_was_built_for(example: str) -> None:
    findings = check_map(load_map(example)).findings
    named: dict[str, set[str]] = {}
    for finding in findings:
        named.setdefault(finding.code, set()).update(finding.element_ids)
    missing = {
        code: sorted(ids - named.get(code, set()))
        for code, ids in DESIGNED_FINDINGS[example].items()
        if not ids <= named.get(code, set())
    }
    assert missing == {}, f"designed findings the checks no longer raise: {missing}"
    loud = sorted(QUIET.get(example, set()) & set(named))
    assert loud == [], "checks fired that this example is built to keep quiet"


def test_the_legal_platform_is_healthy_apart_from_its_duplications() -> None:
    report = check_map(load_map("legal-platform"))
    assert {finding.code for finding in report.findings} == {"duplication"}
    assert [(s.threshold_id, s.surviving_value) for s in report.summary.surviving_value] == [("th-subscription", 70)]


@pytest.mark.parametrize("example", [*BLIND, *DEV])
def test_a_blind_gold_map_raises_its_designed_findings_and_keeps_quiet_the_rest(example: str) -> None:
    design = json.loads((EXAMPLES_DIR / example / "design.json").read_text(encoding="utf-8"))
    raised = {finding.code for finding in check_map(load_map(example)).findings}
    assert set(design["designed"]) <= raised
    assert set(design["quiet"]) & raised == set()
