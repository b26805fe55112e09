"""Which chat model extraction uses: one `LLMSettings` from a config file plus environment variables.

The file is the first of `vsm.toml` in the workspace, `vsm.toml` in the current folder, or
`$XDG_CONFIG_HOME/vsm/config.toml` (`~/.config/vsm/config.toml`), section `[llm]`. Each setting may be
overridden by `VSM_LLM_<NAME>` (`VSM_LLM_MODEL`, `VSM_LLM_BASE_URL`, ...); the environment wins.
The API key itself never sits in a file or in the settings: `api_key_env` names the variable holding
it, and it is read only when a client is built, as a `SecretStr`. With no model configured, callers
use the offline extractor.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from agent.errors import VsmError
from agent.regular_files import FileProblem, read_regular_file
from agent.url_redaction import redact_url, remember_secret, remember_url_secrets

CONFIG_FILE_NAME = "vsm.toml"
SECTION = "llm"
ENV_PREFIX = "VSM_LLM_"

#: Providers served by `langchain_openai.ChatOpenAI`; any other name goes to `init_chat_model`.
OPENAI_PROVIDERS = ("openai", "openai-compatible")
#: Providers that run on the user's machine and need no key.
LOCAL_PROVIDERS = ("ollama",)
# The model used when only OPENAI_API_KEY is set; any other is chosen with `model` / VSM_LLM_MODEL.
DEFAULT_OPENAI_MODEL = "gpt-4.1-mini"

_DEFAULT_KEY_ENV = {
    "openai": "OPENAI_API_KEY",
    "openai-compatible": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
}
_KEY_LIKE_NAMES = ("api_key", "key", "openai_api_key", "token", "secret")


class SettingsError(VsmError):
    """A settings file or variable that cannot be used as it is."""


class LLMSettings(BaseModel):
    """The chat model and the limits of one extraction run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str = Field(default="openai", description="openai, openai-compatible, or a LangChain provider name")
    model: str | None = Field(default=None, description="the model name, e.g. gpt-4.1-mini; unset = offline")
    base_url: str | None = Field(default=None, description="the endpoint of an OpenAI-compatible or local server")
    api_key_env: str | None = Field(default=None, description="the variable holding the key (default per provider)")
    temperature: float | None = Field(default=None, ge=0, le=2, description="unset = the provider's default")
    timeout: float = Field(default=120.0, gt=0, description="seconds per call")
    max_retries: int = Field(default=3, ge=0, description="retries of a call after a rate limit, timeout or 5xx")
    retry_backoff: float = Field(default=1.0, ge=0, description="seconds before the first retry; doubles each time")
    max_concurrency: int = Field(default=4, ge=1, description="model calls in flight at once")
    token_budget: int = Field(default=300_000, ge=1, description="input plus output tokens one run may spend")
    chunk_tokens: int = Field(default=4_000, ge=100, description="transcript tokens per model call")
    prompts_dir: Path | None = Field(default=None, description="prompt files to use instead of the bundled ones")
    # Where each value came from ("default", "env VSM_LLM_MODEL", "<file> [llm]"): for `vsm doctor`.
    origins: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)
    config_file: Path | None = Field(default=None, exclude=True)

    @field_validator("provider")
    @classmethod
    def _normalise_provider(cls, value: str) -> str:
        provider = value.strip().lower().replace("_compatible", "-compatible")
        if not provider:
            raise ValueError("provider is empty; use 'openai', 'openai-compatible' or a LangChain provider name")
        return provider

    @field_validator("model", "base_url", "api_key_env")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    @model_validator(mode="after")
    def _compatible_needs_url(self) -> LLMSettings:
        if self.provider == "openai-compatible" and self.base_url is None:
            raise ValueError("provider 'openai-compatible' needs base_url (e.g. http://localhost:11434/v1)")
        return self

    @property
    def key_env(self) -> str | None:
        """The variable that holds the key; None for a local provider that needs none."""
        if self.api_key_env:
            return self.api_key_env
        if self.provider in LOCAL_PROVIDERS:
            return None
        return _DEFAULT_KEY_ENV.get(self.provider, f"{self.provider.upper()}_API_KEY")

    @model_validator(mode="after")
    def _base_url_secrets_are_never_shown(self) -> LLMSettings:
        remember_url_secrets(self.base_url)
        return self

    @property
    def shown_base_url(self) -> str | None:
        """`base_url` as it may be shown: user-info and secret-looking query values redacted."""
        return None if self.base_url is None else redact_url(self.base_url)

    @property
    def endpoint(self) -> str:
        """Where calls go, as a stable label (part of cache keys): provider plus base_url."""
        return f"{self.provider}@{self.base_url or 'default'}"

    def api_key(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        name = self.key_env
        value = (os.environ if environ is None else environ).get(name, "") if name else ""
        remember_secret(value)  # whatever echoes it later (a server's error), it is never printed
        return SecretStr(value) if value else None

    def is_configured(self, environ: Mapping[str, str] | None = None) -> bool:
        """A model is named and can be reached: a key is set, or a local server's base_url is."""
        if self.model is None:
            return False
        return self.api_key(environ) is not None or self.base_url is not None or self.provider in LOCAL_PROVIDERS

    def origin(self, field: str) -> str:
        return self.origins.get(field, "default")


def config_file_candidates(
    workspace: Path | None = None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The files settings may come from, in the order they are looked for."""
    env = os.environ if environ is None else environ
    candidates = [workspace / CONFIG_FILE_NAME] if workspace is not None else []
    candidates.append((cwd or Path.cwd()) / CONFIG_FILE_NAME)
    config_home = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path(env.get("HOME", "~")) / ".config"
    candidates.append(config_home.expanduser() / "vsm" / "config.toml")
    return candidates


def load_settings(
    workspace: Path | None = None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> LLMSettings:
    """Settings from the first config file found, then `VSM_LLM_*` variables on top."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    config_file = next((p for p in config_file_candidates(workspace, cwd=cwd, environ=env) if p.is_file()), None)
    if config_file is not None:
        for name, value in _read_section(config_file).items():
            values[name] = value
            origins[name] = f"{config_file} [{SECTION}]"
    for name in LLMSettings.model_fields:
        if name in ("origins", "config_file"):
            continue
        variable = ENV_PREFIX + name.upper()
        raw = env.get(variable, "").strip()
        if raw:
            values[name] = raw
            origins[name] = f"env {variable}"
    try:
        settings = LLMSettings(**values, origins=origins, config_file=config_file)
    except ValidationError as err:
        raise SettingsError(_one_line(err, origins)) from None
    if settings.provider == "openai" and settings.model is None and settings.base_url is None \
            and settings.api_key(env) is not None:  # OpenAI by default: its key alone is enough
        origins["model"] = f"default for OpenAI ({settings.key_env} is set)"
        settings = settings.model_copy(update={"model": DEFAULT_OPENAI_MODEL, "origins": origins})
    return settings


MAX_SETTINGS_BYTES = 1024 * 1024


def _read_section(path: Path) -> dict[str, Any]:
    try:  # a regular file only: a named pipe would wait forever
        document = tomllib.loads(read_regular_file(path, max_bytes=MAX_SETTINGS_BYTES,
                                                   too_large_fix="a settings file is a few lines").decode("utf-8"))
    except FileProblem as problem:
        raise SettingsError(f"{path}: {problem.problem}; {problem.fix}") from None
    except UnicodeDecodeError as err:
        raise SettingsError(f"{path}: cannot be read ({err}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: is not valid TOML ({err}); fix the file or remove it") from None
    section = document.get(SECTION, {})
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [{SECTION}] must be a table of settings")
    for name in section:
        if name.lower() in _KEY_LIKE_NAMES:
            raise SettingsError(
                f"{path}: [{SECTION}] {name}: keys never go in a settings file; put the key in an environment "
                "variable and name that variable with api_key_env"
            )
    return dict(section)


def _one_line(err: ValidationError, origins: Mapping[str, str]) -> str:
    problems = []
    for error in err.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in error["loc"]) or "settings"
        where = origins.get(field, "")
        problems.append(f"{field} ({where}): {error['msg']}" if where else f"{field}: {error['msg']}")
    return "LLM settings: " + "; ".join(problems) + f"; see the [{SECTION}] table of {CONFIG_FILE_NAME} or VSM_LLM_*"
