"""`vsm doctor`: which model extraction would use, where that came from, and whether it answers.

Prints the LLM settings and their origins, whether the key's variable is set (never its value), the
result of a tiny call to the endpoint, the embedder in use, and the evidence store (where it is, its
collection, how many passages it holds, and what the workspace's sources lack there). Exits 0 when extraction can run (with
the model, or offline because none is configured); otherwise prints the report, then one line saying
what to fix, and exits 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

from agent.cli.options import EMBEDDERS
from agent.errors import VsmError
from agent.llm.chat_models import chat_model_from_settings
from agent.llm.settings import ENV_PREFIX, LLMSettings, config_file_candidates, load_settings
from agent.storage import Workspace
from agent.url_redaction import redact_urls

PROBE_PROMPT = "Reply with the single word OK."


class DoctorError(VsmError):
    """Extraction is configured but cannot run as configured."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check the model settings and whether the endpoint answers",
        description="Show the configured LLM provider, model and endpoint, where each setting came from, "
        "whether the API key's variable is set (never its value), whether the endpoint answers a tiny "
        "call, and the embedder in use.",
    )
    parser.add_argument("--no-call", action="store_true", help="skip the test call to the endpoint")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for the test call (default 20)")
    parser.add_argument("--workspace", type=Path, help="the workspace whose vsm.toml to read (default: the one here)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = args.workspace or _workspace_root(Path.cwd())
    settings = load_settings(workspace)
    problems: list[str] = []
    print("LLM settings")
    print(f"  from:        {_sources(settings, workspace)}")
    print(f"  provider:    {settings.provider}{_origin(settings, 'provider')}")
    print(f"  model:       {settings.model or '(none)'}{_origin(settings, 'model')}")
    print(f"  base_url:    {settings.shown_base_url or 'the provider default'}{_origin(settings, 'base_url')}")
    print(f"  api key:     {_key_status(settings)}")
    print(
        f"  limits:      max_concurrency {settings.max_concurrency}, token_budget {settings.token_budget:,}, "
        f"chunk_tokens {settings.chunk_tokens:,}, timeout {settings.timeout:g} s, max_retries {settings.max_retries}"
    )
    if settings.model is None:
        print("  endpoint:    not checked (no model configured)")
        mode = "offline extractor (no model configured; set VSM_LLM_MODEL or [llm] model in vsm.toml)"
    elif not settings.is_configured():
        print("  endpoint:    not checked (no key)")
        problems.append(
            f"model {settings.model!r} is set but {settings.key_env} is not: export the API key in it, "
            "or set base_url for a local server"
        )
        mode = "cannot run: no key"
    elif args.no_call:
        print("  endpoint:    not checked (--no-call)")
        mode = f"model {settings.model}"
    else:
        answered, detail = probe_endpoint(settings, timeout=args.timeout)
        print(f"  endpoint:    {detail}")
        if not answered:
            problems.append(f"the endpoint did not answer: {detail}")
        mode = f"model {settings.model}" if answered else "cannot run: the endpoint does not answer"
    embedder, embedder_problem = _embedder_status()
    print(f"embedder:      {embedder}")
    print(f"extraction:    {mode}")
    if embedder_problem:
        problems.append(embedder_problem)
    from agent.cli.store_status import evidence_store_lines

    store_lines, store_problem = evidence_store_lines(workspace)
    print("evidence store", *store_lines, sep="\n")
    if store_problem:
        problems.append(store_problem)
    if problems:
        raise DoctorError(problems[0])
    return 0


def probe_endpoint(settings: LLMSettings, *, timeout: float) -> tuple[bool, str]:
    """(answered, what happened): one tiny call with a timeout, the key redacted from any message."""
    started = time.perf_counter()
    try:
        model = chat_model_from_settings(settings, timeout=timeout, max_retries=0)
        asyncio.run(asyncio.wait_for(model.ainvoke(PROBE_PROMPT), timeout=timeout))
    except VsmError as err:
        return False, _redact(str(err), settings)
    except TimeoutError:
        return False, f"no answer within {timeout:g} s"
    except Exception as err:  # any failure of the call is the report, not a crash
        return False, _redact(f"{type(err).__name__}: {_first_line(err)}", settings)
    return True, f"answers ({time.perf_counter() - started:.2f} s)"


def _workspace_root(start: Path) -> Path | None:
    try:
        found = Workspace.find(start)
    except VsmError:
        return None
    return found.root if found else None


def _sources(settings: LLMSettings, workspace: Path | None) -> str:
    variables = sorted(origin for origin in set(settings.origins.values()) if origin.startswith("env "))
    parts = [f"{settings.config_file} [llm]"] if settings.config_file else []
    parts += variables
    if parts:
        return "; ".join(parts)
    looked = ", ".join(str(p) for p in config_file_candidates(workspace))
    return f"defaults (no {ENV_PREFIX}* variables; no config file among {looked})"


def _origin(settings: LLMSettings, field: str) -> str:
    origin = settings.origin(field)
    return "" if origin == "default" else f"  ({origin})"


def _key_status(settings: LLMSettings) -> str:
    name = settings.key_env
    if name is None:
        return "not needed (local provider)"
    if settings.api_key() is not None:
        return f"{name} is set"
    if settings.base_url is not None:
        return f"{name} is not set (fine for a local server that checks no key)"
    return f"{name} is not set"


def _embedder_status() -> tuple[str, str | None]:
    kind = os.environ.get("VSM_EMBEDDER", "minilm").strip().lower()
    if kind not in EMBEDDERS:
        return f"{kind!r} (unknown)", f"VSM_EMBEDDER={kind!r} is not one of {', '.join(EMBEDDERS)}"
    if kind == "none":
        return "none (duplications only as the map records them)", None
    if kind == "openai":
        return "openai (sends proposition texts to the OpenAI-compatible endpoint)", None
    from agent.semantics import MiniLMUnavailableError, find_minilm_files

    try:
        find_minilm_files()
    except MiniLMUnavailableError as err:
        return "minilm (files missing)", str(err)
    return "minilm (offline, bundled)", None


def _redact(text: str, settings: LLMSettings) -> str:
    """The key's value, the base_url's credentials and any URL's secrets out of a message."""
    key = settings.api_key()
    if key is not None:
        text = text.replace(key.get_secret_value(), "[redacted]")
    if settings.base_url is not None and settings.shown_base_url is not None:
        text = text.replace(settings.base_url, settings.shown_base_url)
    return redact_urls(text)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 200 else line[:197] + "..."
