"""Reading and writing map files, with errors a consultant can act on."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from agent.errors import VsmError
from agent.regular_files import FileProblem, read_regular_file
from agent.storage.atomic import write_text_atomic
from schemas.migrations import SchemaVersionError, migrate
from schemas.value_map import ValueMap

# A map is a few MB at most; anything far larger is not a map and should not be read into memory.
MAX_MAP_BYTES = 200 * 1024 * 1024


class MapFileError(VsmError):
    pass


def load_map(path: Path) -> ValueMap:
    """Read, migrate and validate a map file; every failure is one `MapFileError` line."""
    try:
        raw = read_regular_file(path, max_bytes=MAX_MAP_BYTES, too_large_fix="check that it is a map file")
    except FileProblem as problem:
        raise MapFileError(f"{path}: {problem.problem}; {problem.fix}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MapFileError(f"{path}: not a text file (not UTF-8); a map is a JSON file, see `vsm schema`") from None
    if path.suffix == ".jsonl" and '"type":"meta"' in text[:2000].replace(" ", ""):
        map_file = path.with_name(path.name.removesuffix(".jsonl") + ".map.json")
        raise MapFileError(f"{path}: is an interview session's log, not a map; its map is {map_file} (written when "
                           f"the interview ends; `vsm interview --resume {path}` and quit writes it again)")
    return parse_map(text, origin=str(path))


def parse_map(text: str, *, origin: str = "<map>") -> ValueMap:
    if not text.strip():
        raise MapFileError(f"{origin}: the file is empty; write a map (format: `vsm schema`) or make one with `vsm map`")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise MapFileError(
            f"{origin}: not JSON (line {err.lineno}, column {err.colno}: {err.msg}); fix the syntax"
        ) from None
    except RecursionError:
        raise MapFileError(f"{origin}: nested too deeply to be a map (JSON inside JSON, thousands of levels down); "
                           "check that it is a map file") from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise MapFileError(f"{origin}: not a usable JSON document ({err}); check that it is a map file") from None
    if not isinstance(document, dict):
        raise MapFileError(f"{origin}: a map is a JSON object, not a {type(document).__name__}; see `vsm schema`")
    if "schema_version" not in document:
        raise MapFileError(
            f"{origin}: no schema_version, so this is not a vsm map; add \"schema_version\": 1 if it is one"
        )
    try:
        document = migrate(document)
    except SchemaVersionError as err:
        raise MapFileError(f"{origin}: {err}") from None
    try:
        return ValueMap.model_validate(document)
    except ValidationError as err:
        raise MapFileError(f"{origin}: {describe_validation_error(err)}") from None


def describe_validation_error(err: ValidationError) -> str:
    """The first problem in one line, with where it is, how many more there are and where to look."""
    problems = err.errors(include_url=False)
    first = problems[0]
    where = _location(first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    prefix = f"{where}: " if where else ""
    return f"{prefix}{message}{more}; the format is in `vsm schema`"


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def save_map(path: Path, value_map: ValueMap) -> None:
    write_text_atomic(path, map_to_json(value_map))


def map_to_json(value_map: ValueMap) -> str:
    return value_map.model_dump_json(indent=2, exclude_none=True) + "\n"
