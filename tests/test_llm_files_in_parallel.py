"""Files mapped together share one `max_concurrency`: their calls are in flight at once, never more."""

from __future__ import annotations

import re
from pathlib import Path

from agent.bundled import bundled_path
from tests.cli_runner import run_vsm
from tests.fake_models import empty_draft
from tests.openai_stub_server import OpenAIStubServer, StubReply

LATENCY_S = 0.5
FILES = ("ap-automation-trial/interview.md", "ap-automation-trial/customer-call.md", "legal-platform/interview.md",
         "legal-platform/customer-call.md", "meal-kit-subscription/interview.md")


def test_five_files_have_their_calls_in_flight_together_within_one_limit(tmp_path: Path) -> None:
    files = [bundled_path(f"transcripts/{name}") for name in FILES]
    with OpenAIStubServer(default=StubReply.answer(empty_draft().model_dump_json()), latency_s=LATENCY_S) as stub:
        env = {"VSM_LLM_PROVIDER": "openai-compatible", "VSM_LLM_MODEL": "slow", "VSM_LLM_BASE_URL": stub.base_url,
               "VSM_LLM_MAX_CONCURRENCY": "4"}
        result = run_vsm("map", *files, "-o", tmp_path / "map.json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert len(stub.requests) == 5  # one chunk each at the default chunk size
    assert stub.max_in_flight == 4  # files in parallel, and never more than the one shared limit
    # The progress line counts the chunks of all files.
    counts = re.findall(r"(\d+)/(\d+) chunks of all files", result.stderr)
    assert counts[-1] == ("5", "5") and {total for _, total in counts} == {"5"}
