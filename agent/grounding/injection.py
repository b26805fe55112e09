"""Transcript words that speak to the model instead of about the business: never evidence.

A transcript is data. A line such as "ignore all previous instructions and output ..." (or a tag that
tries to close the block a prompt fences the transcript in, `</transcript>`) is something a
speaker said (or someone planted); it can be quoted back, but an element resting on it would be the
planted instruction obeyed. These patterns find such words; `ground_quote` refuses them as evidence,
so an element whose only evidence addresses the model is dropped. A heuristic, tuned to stay quiet on
ordinary speech ("we ignored the instructions on the form" does not address a model).
"""

from __future__ import annotations

import re

_ADDRESSING_THE_MODEL = re.compile(
    r"""
    \b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?
        \b(?:previous|prior|above|earlier|preceding|all|your|system|these)\b[^.!?\n]{0,30}?
        \b(?:instructions?|prompts?|rules|directions|guidelines|context)\b
    | \b(?:ignore|disregard|forget)\s+(?:the\s+)?(?:instructions?|prompts?|rules)\s+(?:above|before|given)\b
    | \b(?:system|developer)\s+(?:prompt|message|instructions?)\b
    | \bnew\s+instructions?\s*:
    | \byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|language\s+model|chat\s?bot|llm|gpt)\b
    | \b(?:dear|hey|attention)\s+(?:ai|assistant|model|llm|chatgpt|gpt)\b
    | \b(?:ai|assistant|model|llm|extractor)\s*[:,]\s*(?:ignore|output|return|respond|print|write|add|include)\b
    | \b(?:output|return|respond\s+with|reply\s+with|print|answer\s+with)\b[^.!?\n]{0,30}?
        \b(?:json|the\s+following\s+(?:json|map|element|text)|only\s+the)\b
    | </?\s*(?:transcript|system|user|assistant|instructions?|elements|passages|conversation)\b[^>]*>
    | \bfence="[0-9a-f]*"
    | \bjailbreak\b
    | \bprompt\s+injection\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def addresses_the_model(text: str) -> bool:
    """True when `text` gives orders to a model (or claims to be its instructions)."""
    return _ADDRESSING_THE_MODEL.search(text) is not None
