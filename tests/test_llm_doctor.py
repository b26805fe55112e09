"""`vsm doctor` as a user runs it: the settings, the key's status (never its value), the endpoint, the embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_runner import run_vsm
from tests.openai_stub_server import OpenAIStubServer, StubReply

SECRET = "sk-test-secret"


@pytest.fixture
def stub() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer() as server:
        yield server


def clean_env(home: Path, **values: str) -> dict[str, str]:
    # A fresh HOME, so no user config file leaks in; the VSM_LLM_* a developer has set are blanked.
    names = ("PROVIDER", "MODEL", "BASE_URL", "API_KEY_ENV", "MAX_CONCURRENCY", "TOKEN_BUDGET", "TIMEOUT")
    return {"HOME": str(home), "XDG_CONFIG_HOME": "", "OPENAI_API_KEY": "", **{f"VSM_LLM_{n}": "" for n in names},
            **values}


def test_with_nothing_configured_doctor_reports_offline_mode_and_succeeds(tmp_path: Path) -> None:
    result = run_vsm("doctor", cwd=tmp_path, env=clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "model:       (none)" in result.stdout
    assert "extraction:    offline extractor" in result.stdout
    assert "embedder:      none" in result.stdout


def test_doctor_shows_settings_and_their_origin_and_never_the_key(tmp_path: Path, stub: OpenAIStubServer) -> None:
    (tmp_path / "vsm.toml").write_text(f'[llm]\nmodel = "gpt-4.1-mini"\nbase_url = "{stub.base_url}"\n')
    env = clean_env(tmp_path, OPENAI_API_KEY=SECRET, VSM_LLM_MAX_CONCURRENCY="2")
    result = run_vsm("doctor", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert SECRET not in output and "sk-" not in output
    assert "OPENAI_API_KEY is set" in result.stdout
    assert f"model:       gpt-4.1-mini  ({tmp_path / 'vsm.toml'} [llm])" in result.stdout
    assert f"base_url:    {stub.base_url}" in result.stdout
    assert "max_concurrency 2" in result.stdout and "env VSM_LLM_MAX_CONCURRENCY" in result.stdout
    assert "endpoint:    answers (" in result.stdout
    [request] = stub.requests
    assert request.body["model"] == "gpt-4.1-mini"


def test_an_endpoint_that_fails_is_one_line_and_exit_2_without_the_key(tmp_path: Path, stub: OpenAIStubServer) -> None:
    stub.default = StubReply.error(500)
    env = clean_env(tmp_path, OPENAI_API_KEY=SECRET, VSM_LLM_MODEL="gpt-4.1-mini", VSM_LLM_BASE_URL=stub.base_url)
    result = run_vsm("doctor", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert SECRET not in result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("vsm: error: the endpoint did not answer:") and "500" in line
    assert len(stub.requests) == 1  # one probe, no retries


def test_a_model_without_a_key_is_reported_with_the_fix(tmp_path: Path) -> None:
    result = run_vsm("doctor", cwd=tmp_path, env=clean_env(tmp_path, VSM_LLM_MODEL="gpt-4o-mini"))
    assert result.returncode == 2
    assert "OPENAI_API_KEY is not set" in result.stdout
    assert "export the API key" in result.stderr


def test_no_call_skips_the_endpoint(tmp_path: Path) -> None:
    env = clean_env(tmp_path, OPENAI_API_KEY=SECRET, VSM_LLM_MODEL="gpt-4o-mini")
    result = run_vsm("doctor", "--no-call", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "endpoint:    not checked (--no-call)" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_doctor_never_shows_credentials_in_the_base_url(tmp_path: Path, stub: OpenAIStubServer) -> None:
    with_secrets = stub.base_url.replace("http://", "http://proxy-user:pw-in-url@") + "?api-key=query-secret&v=1"
    env = clean_env(tmp_path, OPENAI_API_KEY=SECRET, VSM_LLM_MODEL="gpt-4.1-mini", VSM_LLM_BASE_URL=with_secrets)
    result = run_vsm("doctor", cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    for secret in ("pw-in-url", "proxy-user", "query-secret", SECRET):
        assert secret not in output
    assert "base_url:    http://[redacted]@127.0.0.1:" in result.stdout
    assert "api-key=[redacted]&v=1" in result.stdout


def test_a_hostile_servers_error_body_is_shown_inert_and_without_secrets(tmp_path: Path, stub: OpenAIStubServer) -> None:
    echo = (f"bad key {SECRET} for https://user:hunter2@api.example/v1?token=tok-secret "
            "\x1b]52;c;aGVsbG8=\x07\x1b[2J\u202e")
    stub.default = StubReply.error(401, message=echo)
    env = clean_env(tmp_path, OPENAI_API_KEY=SECRET, VSM_LLM_MODEL="gpt-4.1-mini", VSM_LLM_BASE_URL=stub.base_url)
    result = run_vsm("doctor", cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 2
    for secret in (SECRET, "hunter2", "tok-secret"):
        assert secret not in output
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "https://[redacted]@api.example/v1?token=[redacted]" in output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("vsm: error: the endpoint did not answer:")
