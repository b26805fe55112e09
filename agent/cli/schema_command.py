"""`vsm schema`: the JSON Schema of a map file, for editors, validators and other tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agent.regular_files import check_output_path
from agent.storage.atomic import write_text_atomic
from schemas.value_map import ValueMap


def map_json_schema() -> str:
    return json.dumps(ValueMap.model_json_schema(mode="validation"), indent=2, sort_keys=True) + "\n"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of a map file")
    parser.add_argument("-o", "--output", type=Path, help="write it to this file instead of printing it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = map_json_schema()
    if args.output:
        check_output_path(args.output, example_name="value_map.schema.json")
        write_text_atomic(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
