"""The chat model behind extraction: settings, the model factory, prompt files and the response cache.

Importing this package loads no LangChain provider; `chat_model_from_settings` does, when called.
With no model configured (`LLMSettings.is_configured()` false), callers use the offline extractor.
"""

from agent.llm.cache import CachedResponse, ResponseCache, cache_key
from agent.llm.chat_models import ChatModelSetupError, chat_model_from_settings
from agent.llm.pricing import estimated_cost, price_per_million
from agent.llm.prompts import Prompt, PromptError, load_prompt, prompts_folder
from agent.llm.settings import LLMSettings, SettingsError, load_settings

__all__ = [
    "CachedResponse",
    "ChatModelSetupError",
    "LLMSettings",
    "Prompt",
    "PromptError",
    "ResponseCache",
    "SettingsError",
    "cache_key",
    "chat_model_from_settings",
    "estimated_cost",
    "load_prompt",
    "load_settings",
    "price_per_million",
    "prompts_folder",
]
