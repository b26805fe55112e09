"""URLs are shown with their user-info and secret-looking query values redacted, everywhere vsm prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.url_redaction import redact_url, redact_urls, url_host
from tests.cli_runner import run_vsm
from tests.openai_stub_server import OpenAIStubServer, StubReply

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("url", "shown"), [
    ("https://user:pw@host.example/v1", "https://[redacted]@host.example/v1"),
    ("https://token@host.example/v1", "https://[redacted]@host.example/v1"),
    ("https://h.example/v1?api-key=abc&api-version=2024", "https://h.example/v1?api-key=[redacted]&api-version=2024"),
    ("https://h.example/x?key=k&page=2&access_token=t", "https://h.example/x?key=[redacted]&page=2&access_token=[redacted]"),
    ("https://s3.example/f?X-Amz-Signature=abc&X-Amz-Date=1", "https://s3.example/f?X-Amz-Signature=[redacted]&X-Amz-Date=1"),
    ("https://h.example/cb#access_token=zz&state=1", "https://h.example/cb#access_token=[redacted]&state=1"),
    ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"),
    ("https://h.example/?monkey=1&keyboard=2", "https://h.example/?monkey=1&keyboard=2"),
])
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert redact_url(shown) == shown  # redacting twice changes nothing


def test_urls_inside_text_are_redacted_and_the_punctuation_kept() -> None:
    text = "calling https://a:b@h.example/v1?token=t: 401 (see https://h.example/x?sig=1)."
    assert redact_urls(text) == ("calling https://[redacted]@h.example/v1?token=[redacted]: 401 "
                                 "(see https://h.example/x?sig=[redacted]).")


def test_a_server_name_never_carries_user_info() -> None:
    assert url_host("https://user:pw@h.example:8443/v1") == "h.example:8443"
    assert url_host("https://h.example/v1") == "h.example"


def test_a_failing_mapping_call_shows_no_credentials(tmp_path: Path) -> None:
    with OpenAIStubServer() as stub:
        stub.default = StubReply.error(500, message="upstream failed for /v1/?api-key=query-secret")
        base_url = stub.base_url.replace("http://", "http://proxy-user:pw-in-url@") + "?api-key=query-secret"
        env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": "", "OPENAI_API_KEY": "sk-never-shown",
               "VSM_LLM_MODEL": "gpt-4.1-mini", "VSM_LLM_BASE_URL": base_url, "VSM_LLM_MAX_RETRIES": "0"}
        result = run_vsm("map", ROOT / "transcripts" / "legal-platform" / "customer-call.md", "-o",
                         tmp_path / "map.json", cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    for secret in ("pw-in-url", "proxy-user", "query-secret", "sk-never-shown"):
        assert secret not in output
    assert output.strip().splitlines()[-1].startswith("vsm: error: ")
