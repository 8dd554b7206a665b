"""Terraform files -> blocks and attributes with their lines, expressions left unevaluated.

HCL (`.tf`, `.tfvars`) is parsed with python-hcl2's Lark grammar. Its dict output (`hcl2.loads`)
carries no line numbers in 8.x (`SerializationOptions.with_meta` is declared but not applied), so
the reader walks the Lark tree itself, whose nodes carry `meta.line`: every attribute gets its own
line and every block the line of its header. JSON configuration (`.tf.json`, the exporter's
default output) is read with the standard library; its lines are found by scanning the text for
each key after its block's line, which is exact for exporter-style files.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Token, Tree

from auditor.errors import InputError
from auditor.safety.fileio import read_bytes
from auditor.sources.terraform.limits import MAX_NESTING, json_depth

#: A configuration file larger than this is not hand-written Terraform nor exporter output.
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Attribute:
    name: str
    #: A Lark expression tree (HCL) or a decoded JSON value (`.tf.json`).
    expr: Any
    file: str
    line: int
    #: The source text of the expression, for messages that name it (never its value).
    text: str = ""
    json: bool = False


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    file: str
    line: int


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A regular file's text; devices, FIFOs and directories are refused, never opened."""
    if not path.is_file():
        raise InputError(path, "not a regular file")
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None


def parse_file(path: Path, display: str) -> Body:
    """Parse one `.tf`, `.tfvars` or `.tf.json` file; `display` is the path shown in findings."""
    text = read_text(path)
    if path.name.endswith(".json"):
        return parse_json_config(text, display)
    return parse_hcl(text, display)


def parse_hcl(text: str, display: str) -> Body:
    import hcl2
    from lark.exceptions import LarkError

    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
    except LarkError as exc:
        line = getattr(exc, "line", None)
        where = f" at line {line}" if isinstance(line, int) and line > 0 else ""
        raise InputError(display, f"not valid HCL{where}") from None
    except RecursionError:
        raise InputError(display, "not valid HCL: nested too deeply") from None
    return _body(tree.children[0], text, display, 0)


def _name(node: Any) -> str:
    """An identifier, keyword or quoted label as plain text."""
    if isinstance(node, Token):
        return str(node).strip('"')
    if node.data == "string":
        return "".join(str(part.children[0]) for part in node.children if isinstance(part, Tree)
                       and part.children and isinstance(part.children[0], Token))
    return "".join(str(t) for t in node.scan_values(lambda _: True)).strip('"')


def _body(node: Tree, text: str, display: str, depth: int) -> Body:
    if depth > MAX_NESTING:
        line = getattr(getattr(node, "meta", None), "line", None)
        raise InputError(f"{display}:{line}" if isinstance(line, int) else display,
                         f"blocks nested more than {MAX_NESTING} levels deep")
    body = Body()
    for child in node.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _name(child.children[0])
            expr = child.children[-1]
            body.attributes[name] = Attribute(name, expr, display, child.meta.line, source_text(expr, text))
        elif child.data == "block":
            parts = [c for c in child.children if isinstance(c, Tree) and c.data not in ("body", "new_line_or_comment")]
            inner = next(c for c in child.children if isinstance(c, Tree) and c.data == "body")
            body.blocks.append(Block(_name(parts[0]), [_name(p) for p in parts[1:]],
                                     _body(inner, text, display, depth + 1), display, child.meta.line))
    return body


def source_text(node: Any, text: str, limit: int = 200) -> str:
    """The expression as written (one line, bounded): messages name it, they never evaluate it."""
    meta = getattr(node, "meta", None)
    start, end = getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)
    if isinstance(node, Token):
        start, end = node.start_pos, node.end_pos
    if start is None or end is None:
        return ""
    written = " ".join(text[start:end].split())
    return written if len(written) <= limit else written[: limit - 1] + "…"


# --- JSON configuration -----------------------------------------------------------------------

def parse_json_config(text: str, display: str) -> Body:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(display, f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(display, "not valid JSON: nested too deeply") from None
    except ValueError:  # an integer of more than 4,300 digits (Python's conversion limit)
        raise InputError(display, "not valid JSON: a number with too many digits") from None
    if not isinstance(data, dict):
        raise InputError(display, "a Terraform JSON file holds an object at the top level")
    if json_depth(data) > MAX_NESTING:
        raise InputError(display, f"values nested more than {MAX_NESTING} levels deep")
    lines = _KeyLines(text)
    body = Body()
    # Labelled top-level blocks: how many labels each block type takes.
    label_depth = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}
    for block_type, content in data.items():
        if block_type == "locals":
            for item in content if isinstance(content, list) else [content]:
                if isinstance(item, dict):
                    start = _line_of(lines, "locals", 1)
                    body.blocks.append(Block("locals", [], _json_body(item, lines, display, start), display, start))
            continue
        depth = label_depth.get(block_type)
        if depth is None or not isinstance(content, dict):
            continue  # terraform {}, comments ("//") and anything else: nothing to audit
        _json_blocks(body, block_type, content, [], depth, lines, display, _line_of(lines, block_type, 1))
    return body


def _json_blocks(body: Body, block_type: str, content: Any, labels: list[str], depth: int,
                 lines: _KeyLines, display: str, start: int) -> None:
    if depth == 0:
        for item in content if isinstance(content, list) else [content]:
            if isinstance(item, dict):
                body.blocks.append(Block(block_type, labels, _json_body(item, lines, display, start), display, start))
        return
    if not isinstance(content, dict):
        return
    for label, inner in content.items():
        line = _line_of(lines, label, start)
        _json_blocks(body, block_type, inner, [*labels, label], depth - 1, lines, display, line)


def _json_body(item: dict[str, Any], lines: _KeyLines, display: str, start: int) -> Body:
    """A JSON object as a body: every key is an attribute; the mappers read nested objects either
    as blocks or as attribute values, as Terraform's JSON syntax does with a schema."""
    body = Body()
    for key, value in item.items():
        if key == "//":
            continue
        line = _line_of(lines, key, start)
        text = value if isinstance(value, str) else ""
        body.attributes[key] = Attribute(key, value, display, line, text, json=True)
    return body


_JSON_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


class _KeyLines:
    """Where each JSON key is written: key -> its line numbers, indexed in one pass over the text
    (a scan from the block's line for every key was quadratic in the file's size)."""

    def __init__(self, text: str) -> None:
        self.index: dict[str, list[int]] = defaultdict(list)
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _JSON_KEY.finditer(line):
                raw = match.group(1)
                try:
                    key = json.loads(f'"{raw}"') if "\\" in raw else raw
                except json.JSONDecodeError:
                    key = raw
                self.index[key].append(number)


def _line_of(lines: _KeyLines, key: str, start: int) -> int:
    """The first line at or after `start` holding `"key"` as a JSON key."""
    numbers = lines.index.get(key)
    if not numbers:
        return start
    at = bisect.bisect_left(numbers, max(start, 1))
    return numbers[at] if at < len(numbers) else start
