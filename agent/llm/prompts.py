"""Prompts are files: `prompts/<name>.md`, versioned in a small front matter, loaded by name.

    ---
    name: extract_map
    version: 1
    ---
    # System
    ...
    # User
    ... $transcript_chunk ...
    # Answer format        (optional: sent only to models without native structured output)
    ... $json_schema ...
    # Re-ask               (optional: sent with the model's invalid answer)
    ... $errors ...

Untrusted text (a transcript, an interview answer, retrieved passages) is data, not orders. A prompt names
the placeholders that carry it in its front matter, `data: transcript_chunk=transcript, recent=conversation`,
and `render_user` puts each such value between an opening and a closing line that carry a fence id
drawn at random for every request and absent from the text (`<transcript fence="9f2c...">` ...
`</transcript fence="9f2c...">`): nothing a speaker says can close the block. The system sections say
that text inside a fence is speech to map, never instructions.

Sections start at level-1 headings, so a prompt uses only level-2 headings and below inside them.
Placeholders are `string.Template` ones (`$name`, `${name}`; `$$` for a dollar), so JSON braces in a
prompt need no escaping. `Prompt.id` (`extract_map@1`) goes into provenance and cache keys: change
a prompt's wording, bump its version.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template

import agent
from agent.errors import VsmError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTION = re.compile(r"^# +(?P<title>.+?)\s*$", re.MULTILINE)
_REQUIRED_SECTIONS = ("system", "user")
_KNOWN_SECTIONS = (*_REQUIRED_SECTIONS, "answer format", "re-ask")


class PromptError(VsmError):
    """A prompt file that is missing or malformed."""


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    system: str
    user_template: str
    answer_format_template: str | None = None
    reask_template: str | None = None
    # placeholder -> label of the fenced block its (untrusted) value is rendered in
    data: Mapping[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def render_user(self, **values: str) -> str:
        fenced = {name: fence(value, self.data[name]) if name in self.data else value for name, value in values.items()}
        return _substitute(self, "user", self.user_template, fenced)

    def render_answer_format(self, **values: str) -> str:
        if self.answer_format_template is None:
            return ""
        return _substitute(self, "answer format", self.answer_format_template, values)

    def render_reask(self, **values: str) -> str:
        if self.reask_template is None:
            raise PromptError(f"prompt {self.id} has no `# Re-ask` section")
        return _substitute(self, "re-ask", self.reask_template, values)


def fence(text: str, label: str) -> str:
    """`text` as data: between lines carrying a random fence id that occurs nowhere in `text`."""
    while True:
        fence_id = secrets.token_hex(8)
        if fence_id not in text:
            break
    return f'<{label} fence="{fence_id}">\n{text}\n</{label} fence="{fence_id}">'


def prompts_folder() -> Path:
    """`<repo>/prompts` in a source checkout, `agent/_bundled/prompts` in an installed wheel."""
    package = Path(agent.__file__).resolve().parent
    for folder in (package.parent / "prompts", package / "_bundled" / "prompts"):
        if folder.is_dir():
            return folder
    raise PromptError(f"no prompts folder beside {package}; reinstall wasteless-vsm (its wheel bundles them)")


def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    """The prompt `name` from `folder` (default: `prompts_folder()`)."""
    if not _NAME.match(name):
        raise PromptError(f"{name!r} is not a prompt name; use lower-case letters, digits and _")
    return _load_prompt_file((folder or prompts_folder()) / f"{name}.md")


@cache
def _load_prompt_file(path: Path) -> Prompt:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"{path}: no such prompt file") from None
    return parse_prompt(text, source=str(path))


def parse_prompt(text: str, *, source: str = "<prompt>") -> Prompt:
    front, body = _split_front_matter(text, source)
    name = front.get("name", "")
    if not _NAME.match(name):
        raise PromptError(f"{source}: front matter needs `name: <lower_case_name>`")
    try:
        version = int(front.get("version", ""))
    except ValueError:
        raise PromptError(f"{source}: front matter needs `version: <integer>`") from None
    data = _data_placeholders(front.get("data", ""), source)
    sections = _sections(body, source)
    for required in _REQUIRED_SECTIONS:
        if not sections.get(required):
            raise PromptError(f"{source}: needs a non-empty `# {required.title()}` section")
    return Prompt(
        name=name,
        version=version,
        system=sections["system"],
        user_template=sections["user"],
        answer_format_template=sections.get("answer format"),
        reask_template=sections.get("re-ask"),
        data=data,
    )


def _data_placeholders(declared: str, source: str) -> dict[str, str]:
    """`data: transcript_chunk=transcript, recent=conversation` -> {"transcript_chunk": "transcript", ...}."""
    data: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in declared.split(","))):
        name, _, label = item.partition("=")
        name, label = name.strip(), label.strip() or name.strip()
        if not _NAME.match(name) or not re.fullmatch(r"[a-z][a-z0-9_-]*", label):
            raise PromptError(f"{source}: `data:` lists `placeholder=label` pairs of lower-case names, not {item!r}")
        data[name] = label
    return data


def _split_front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise PromptError(f"{source}: must start with a front matter block between `---` lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise PromptError(f"{source}: the front matter is not closed by a `---` line") from None
    front: dict[str, str] = {}
    for line in lines[1:end]:
        if line.strip():
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip()
    return front, "\n".join(lines[end + 1 :])


def _sections(body: str, source: str) -> dict[str, str]:
    matches = list(_SECTION.finditer(body))
    sections: dict[str, str] = {}
    for index, match in enumerate(matches):
        title = match["title"].strip().lower()
        if title not in _KNOWN_SECTIONS:
            raise PromptError(f"{source}: unknown section `# {match['title']}`; use one of {', '.join(_KNOWN_SECTIONS)}")
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        sections[title] = body[match.end() : end].strip()
    return sections


def _substitute(prompt: Prompt, section: str, template: str, values: dict[str, str]) -> str:
    try:
        return Template(template).substitute(values)
    except KeyError as err:
        raise PromptError(f"prompt {prompt.id}: section {section!r} needs a value for ${err.args[0]}") from None
    except ValueError as err:
        raise PromptError(f"prompt {prompt.id}: section {section!r} has a bad placeholder ({err})") from None
