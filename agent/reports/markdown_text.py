"""Map text as inert Markdown: escaped only where Markdown (or the HTML it passes through) would act on it.

Map text comes from transcripts, so a name such as `<script>`, `**urgent**` or `[link](url)` must show as
typed in any viewer and never become markup. Everything else is left alone, so the report stays readable
as plain text: the tool's own arrows (`->`, `→`), parentheses, `#123`, `R&D` and `snake_case` come out as
written. What is escaped, and why:

- `<` before a letter, `/`, `!` or `?` (a tag, comment, declaration or autolink) becomes `&lt;`; a lone
  `<` or any `>` cannot start HTML and stays.
- `&` only where it would spell an entity (`&lt;`, `&#60;`) becomes `&amp;`.
- `` ` ``, `*`, `[`, `]`, `|` (table cells) and `~` (strikethrough) are always backslashed; `_` only at
  the edge of a word (inside a word it cannot emphasise); `\\` only where it would escape what follows.
- At the start of the text, what would open a block is backslashed: a list marker (`- `, `+ `, `1. `,
  `1) `), a heading (`# `), a quote (`>`), a rule or underline (`---`, `===`). A trailing run of `#`
  after a space (which would close a heading) is backslashed too; `-5%` or `#123` stay as they are.
- Bidi controls (a right-to-left override) show as `\\uXXXX`, as in HTML and SVG.
"""

from __future__ import annotations

import re

from agent.terminal_text import neutralise_bidi

_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")
_ENTITY_AMPERSAND = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ALWAYS = re.compile(r"([`*\[\]|~])")
_WORD_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_BLOCK_START = re.compile(r"^(?:[-+](?=\s|$)|-(?=-*$)|=+$|#{1,6}(?=\s|$)|>|\d{1,9}(?=[.)](?:\s|$)))")
_CLOSING_HASHES = re.compile(r"(?<=\s)#(?=#*$)")


def md_text(text: str) -> str:
    """One line of map text as inert Markdown (see the module's docstring for what is escaped)."""
    flat = " ".join(neutralise_bidi(text).split())  # a bidi override would reverse the rendered line
    flat = _BACKSLASH.sub(r"\\\\", flat)
    flat = _ENTITY_AMPERSAND.sub("&amp;", flat)
    flat = _HTML_START.sub("&lt;", flat)
    flat = _ALWAYS.sub(r"\\\1", flat)
    flat = _WORD_EDGE_UNDERSCORE.sub(r"\\_", flat)
    flat = _CLOSING_HASHES.sub(r"\\#", flat)
    block = _BLOCK_START.match(flat)
    if block is None:
        return flat
    if block.group().isdigit():  # "1." or "1)" would start an ordered list
        end = block.end()
        return f"{flat[:end]}\\{flat[end:]}"
    return "\\" + flat
