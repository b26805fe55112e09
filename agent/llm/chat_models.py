"""Build the LangChain chat model that `LLMSettings` name; imports of provider packages are lazy.

OpenAI and OpenAI-compatible servers (Ollama, vLLM, LM Studio, llama.cpp) go through `ChatOpenAI`;
any other provider through `init_chat_model`, when its LangChain package is installed. Clients are
built with no retries of their own: the extractor retries with backoff, so attempts are counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from agent.errors import VsmError
from agent.llm.settings import OPENAI_PROVIDERS, LLMSettings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# A local OpenAI-compatible server checks no key, but the openai client refuses to start without one.
_PLACEHOLDER_KEY = "not-needed"


class ChatModelSetupError(VsmError):
    """The settings do not describe a chat model that can be built here."""


def chat_model_from_settings(
    settings: LLMSettings,
    *,
    environ: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_retries: int = 0,
) -> BaseChatModel:
    """The chat model the settings name; raises `ChatModelSetupError` with the fix when it cannot be built."""
    if settings.model is None:
        raise ChatModelSetupError("no model configured; set VSM_LLM_MODEL or `model` in the [llm] table of vsm.toml")
    key = settings.api_key(environ)
    if key is None and settings.base_url is None and settings.key_env is not None:
        raise ChatModelSetupError(
            f"{settings.key_env} is not set; export the API key in it, or set base_url for a local server"
        )
    seconds = timeout if timeout is not None else settings.timeout
    if settings.provider in OPENAI_PROVIDERS:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=key or SecretStr(_PLACEHOLDER_KEY),
            temperature=settings.temperature,
            timeout=seconds,
            max_retries=max_retries,
        )
    return _other_provider_model(settings, settings.model, key, seconds, max_retries)


def _other_provider_model(
    settings: LLMSettings, model: str, key: SecretStr | None, timeout: float, max_retries: int
) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}
    if settings.temperature is not None:
        options["temperature"] = settings.temperature
    if settings.base_url is not None:
        options["base_url"] = settings.base_url
    if key is not None:
        options["api_key"] = key
    try:
        chat_model: BaseChatModel = init_chat_model(model, model_provider=settings.provider, **options)
    except ImportError as err:
        raise ChatModelSetupError(
            f"provider {settings.provider!r} needs its LangChain package ({_first_line(err)}); install it, "
            "or use provider 'openai-compatible' with base_url"
        ) from None
    except ValueError as err:
        raise ChatModelSetupError(f"provider {settings.provider!r}: {_first_line(err)}") from None
    return chat_model


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
