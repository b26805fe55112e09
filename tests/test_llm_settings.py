"""LLM settings: a config file plus VSM_LLM_* variables (env wins), keys only ever read from the env."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from langchain_openai import ChatOpenAI

from agent.llm.chat_models import ChatModelSetupError, chat_model_from_settings
from agent.llm.settings import DEFAULT_OPENAI_MODEL, LLMSettings, SettingsError, load_settings

SECRET = "sk-test-secret-do-not-print"


def write_config(folder: Path, body: str, name: str = "vsm.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_nothing_configured_means_offline(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path)})
    assert settings.model is None
    assert not settings.is_configured({"HOME": str(tmp_path)})
    assert settings.max_concurrency == 4 and settings.provider == "openai"
    assert settings.origin("model") == "default"


def test_an_openai_key_alone_means_openai_with_the_default_model(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path), "OPENAI_API_KEY": "sk-only-the-key"})
    assert settings.is_configured(environ={"OPENAI_API_KEY": "sk-only-the-key"})
    assert (settings.provider, settings.model) == ("openai", DEFAULT_OPENAI_MODEL)
    assert settings.origin("model") == "default for OpenAI (OPENAI_API_KEY is set)"
    chosen = load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path), "OPENAI_API_KEY": "sk-only-the-key",
                                                  "VSM_LLM_MODEL": "gpt-4o"})
    assert chosen.model == "gpt-4o"
    local = load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path), "OPENAI_API_KEY": "sk-only-the-key",
                                                 "VSM_LLM_BASE_URL": "http://127.0.0.1:9/v1"})
    assert local.model is None  # another server by URL: its model must be named, never guessed


def test_the_workspace_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    workspace = tmp_path / "acme"
    config = write_config(workspace, '[llm]\nmodel = "gpt-4.1-mini"\nmax_concurrency = 8\ntemperature = 0.2\n')
    write_config(tmp_path / "cwd", '[llm]\nmodel = "ignored"\n')
    env = {"HOME": str(tmp_path), "VSM_LLM_MAX_CONCURRENCY": "2", "VSM_LLM_TOKEN_BUDGET": "5000"}
    settings = load_settings(workspace, cwd=tmp_path / "cwd", environ=env)
    assert (settings.model, settings.max_concurrency, settings.token_budget, settings.temperature) == (
        "gpt-4.1-mini", 2, 5000, 0.2,
    )
    assert settings.config_file == config
    assert settings.origin("model") == f"{config} [llm]"
    assert settings.origin("max_concurrency") == "env VSM_LLM_MAX_CONCURRENCY"


def test_the_cwd_file_then_the_user_config_are_used_when_no_workspace_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_config(home / ".config" / "vsm", '[llm]\nmodel = "from-home"\n', name="config.toml")
    assert load_settings(cwd=tmp_path, environ={"HOME": str(home)}).model == "from-home"
    write_config(tmp_path, '[llm]\nmodel = "from-cwd"\n')
    assert load_settings(cwd=tmp_path, environ={"HOME": str(home)}).model == "from-cwd"


def test_a_key_in_a_settings_file_is_refused(tmp_path: Path) -> None:
    write_config(tmp_path, f'[llm]\nmodel = "gpt-4o"\napi_key = "{SECRET}"\n')
    with pytest.raises(SettingsError, match="keys never go in a settings file") as caught:
        load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path)})
    assert SECRET not in str(caught.value)


def test_bad_values_are_one_line_naming_the_setting_and_its_origin(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path), "VSM_LLM_MAX_CONCURRENCY": "zero"})
    assert "max_concurrency (env VSM_LLM_MAX_CONCURRENCY)" in str(caught.value)
    assert "\n" not in str(caught.value)
    write_config(tmp_path, '[llm]\nmodle = "typo"\n')
    with pytest.raises(SettingsError, match="modle"):
        load_settings(cwd=tmp_path, environ={"HOME": str(tmp_path)})


def test_the_key_is_read_from_the_named_variable_and_never_shown() -> None:
    settings = LLMSettings(model="gpt-4o-mini", api_key_env="TEAM_KEY")
    env = {"TEAM_KEY": SECRET}
    assert settings.is_configured(env)
    key = settings.api_key(env)
    assert key is not None and key.get_secret_value() == SECRET
    assert SECRET not in repr(settings) + str(settings) + settings.model_dump_json() + repr(key)


def test_a_local_server_needs_a_base_url_but_no_key() -> None:
    with pytest.raises(ValueError, match="needs base_url"):
        LLMSettings(provider="openai-compatible", model="llama3.1")
    local = LLMSettings(provider="openai-compatible", model="llama3.1", base_url="http://127.0.0.1:11434/v1")
    assert local.is_configured({})
    assert not LLMSettings(model="gpt-4o-mini").is_configured({})


def test_openai_style_settings_build_a_chat_openai_without_retries_of_its_own() -> None:
    settings = LLMSettings(
        provider="openai-compatible", model="qwen2.5", base_url="http://127.0.0.1:8000/v1", timeout=7, temperature=0
    )
    model = chat_model_from_settings(settings, environ={})
    assert isinstance(model, ChatOpenAI)
    assert (model.model_name, model.openai_api_base, model.request_timeout, model.max_retries) == (
        "qwen2.5", "http://127.0.0.1:8000/v1", 7, 0,
    )
    assert model.temperature == 0


def test_a_missing_key_or_model_is_a_clear_error() -> None:
    with pytest.raises(ChatModelSetupError, match="OPENAI_API_KEY is not set"):
        chat_model_from_settings(LLMSettings(model="gpt-4o-mini"), environ={})
    with pytest.raises(ChatModelSetupError, match="no model configured"):
        chat_model_from_settings(LLMSettings(), environ={})


def test_a_provider_without_its_package_names_the_fix() -> None:
    if importlib.util.find_spec("langchain_anthropic") is not None:
        pytest.skip("langchain-anthropic is installed here")
    settings = LLMSettings(provider="anthropic", model="claude-sonnet-4-5")
    assert settings.key_env == "ANTHROPIC_API_KEY"
    with pytest.raises(ChatModelSetupError, match="needs its LangChain package"):
        chat_model_from_settings(settings, environ={"ANTHROPIC_API_KEY": SECRET})
