"""Evaluating HCL expressions (Lark trees from `hcl.py`) against what the configuration declares.

Only what a configuration can know before apply is evaluated: literals, templates, operators,
conditionals, `for` expressions, splats, the common built-in functions, and references resolved
by the caller (variables, locals, resources, module outputs). Anything else (a data source, a
function the reader does not implement, a template directive) evaluates to `Unknown` carrying the
expression's source text, and Unknown propagates through every operation that uses it: the
reader never guesses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from auditor.sources.terraform.functions import FUNCTIONS, LAZY
from auditor.sources.terraform.hcl import source_text
from auditor.sources.terraform.limits import MAX_DIGITS, MAX_INT_BITS, Budget, LimitError
from auditor.sources.terraform.values import Tainted, Unknown, taint

_TRAVERSALS = ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term")
#: Nesting bound: a hostile file must not blow the stack of the evaluator (exit 2 past it).
MAX_DEPTH = 100


@dataclass
class Step:
    kind: str  # "attr" | "index" | "splat"
    value: Any = None


#: Resolves a root name plus the traversal steps after it; returns the value and how many steps
#: it consumed (`var.x` consumes one, `genesyscloud_routing_queue.q.id` two or three).
Resolver = Callable[[str, list[Step], str], tuple[Any, int]]


class Evaluator:
    def __init__(self, resolve: Resolver, text: str, local_vars: dict[str, Any] | None = None,
                 budget: Budget | None = None) -> None:
        self.resolve = resolve
        self.text = text
        self.locals = dict(local_vars or {})
        self.budget = budget or Budget()
        self._depth = 0

    def child(self, extra: dict[str, Any]) -> Evaluator:
        ev = Evaluator(self.resolve, self.text, {**self.locals, **extra}, self.budget)
        ev._depth = self._depth
        return ev

    def src(self, node: Any) -> str:
        return source_text(node, self.text) or "(expression)"

    # -- entry points ---------------------------------------------------------------------------

    def evaluate(self, node: Any) -> Any:
        self._depth += 1
        self.budget.step()
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(f"an expression nested more than {MAX_DEPTH} levels deep")
            return self._eval(node)
        finally:
            self._depth -= 1

    def _eval(self, node: Any) -> Any:
        if isinstance(node, Token):
            return _token_value(node)
        kind = node.data
        handler = getattr(self, f"_e_{kind}", None)
        if handler is None:
            return Unknown(self.src(node), f"the reader does not evaluate {kind} expressions")
        return handler(node)

    # -- terms ----------------------------------------------------------------------------------

    def _e_expr_term(self, node: Tree) -> Any:
        inner = _trees(node)
        if len(inner) == 1:
            return self.evaluate(inner[0])
        return Unknown(self.src(node))

    def _e_int_lit(self, node: Tree) -> Any:
        return _number_literal(str(node.children[0]))

    def _e_float_lit(self, node: Tree) -> Any:
        return _number_literal(str(node.children[0]))

    def _e_literal_value(self, node: Tree) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _e_identifier(self, node: Tree) -> Any:
        name = str(node.children[0])
        return self._lookup(name, [], node)[0]

    def _e_keyword(self, node: Tree) -> Any:
        return self._e_identifier(node)

    def _e_string(self, node: Tree) -> Any:
        parts: list[Any] = []
        # Literal tokens are decoded together, as one run of template text: python-hcl2 splits
        # `$${a $${b}` into tokens at other places than HCL does, and its escaped-interpolation
        # token keeps backslash escapes undecoded.
        literal: list[str] = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue
            inner = part.children[0] if part.children else ""
            if isinstance(inner, Token):
                literal.append(str(inner))
                continue
            if literal:
                parts.append(_decode_literal("".join(literal)))
                literal = []
            if isinstance(inner, Tree) and inner.data == "interpolation":
                parts.append(self.evaluate(_trees(inner)[0]))
            else:
                return Unknown(self.src(node), "template directives are not evaluated")
        if literal:
            parts.append(_decode_literal("".join(literal)))
        return self.budget.check(_concat(parts, self.src(node)))

    def _e_template_string(self, node: Tree) -> Any:
        return Unknown(self.src(node))

    def _e_heredoc_template(self, node: Tree, trim: bool = False) -> Any:
        raw = str(node.children[0])
        body = raw.split("\n", 1)[1] if "\n" in raw else ""
        body = body.rstrip()
        body = body[: body.rfind("\n") + 1] if "\n" in body else ""
        if "${" in body or "%{" in body:
            return Unknown(self.src(node), "heredoc templates are not evaluated")
        if trim:
            import textwrap

            body = textwrap.dedent(body)
        return body

    def _e_heredoc_template_trim(self, node: Tree) -> Any:
        return self._e_heredoc_template(node, trim=True)

    def _e_tuple(self, node: Tree) -> Any:
        return self.budget.check([self.evaluate(child) for child in _trees(node)])

    def _e_object(self, node: Tree) -> Any:
        out: dict[str, Any] = {}
        for elem in _trees(node):
            key_node, value_node = _trees(elem)[0], _trees(elem)[-1]
            key = self._object_key(key_node)
            if isinstance(key, Unknown):
                return key
            out[_key(key)] = self.evaluate(value_node)
        return self.budget.check(out)

    def _object_key(self, node: Tree) -> Any:
        inner = _trees(node)[0] if _trees(node) else node.children[0]
        # A bare name is a key, not a reference: `{ name = "x" }`.
        if isinstance(inner, Tree) and inner.data == "expr_term":
            sub = _trees(inner)
            if len(sub) == 1 and sub[0].data in ("identifier", "keyword"):
                return str(sub[0].children[0])
        if isinstance(inner, Tree) and inner.data in ("identifier", "keyword"):
            return str(inner.children[0])
        if isinstance(inner, Token):
            return str(inner)
        return self.evaluate(inner)

    # -- operators ------------------------------------------------------------------------------

    def _e_conditional(self, node: Tree) -> Any:
        cond, yes, no = _trees(node)
        value = self.evaluate(cond)
        if isinstance(value, Unknown):
            return value
        return self.evaluate(yes if value else no)

    def _e_unary_op(self, node: Tree) -> Any:
        op = str(node.children[0])
        value = self.evaluate(node.children[1])
        if isinstance(value, Unknown):
            return value
        try:
            return (not _bool(value)) if op == "!" else -_num(value)
        except (TypeError, ValueError):
            return Unknown(self.src(node), WRONG_TYPE)

    def _e_binary_op(self, node: Tree) -> Any:
        left_node, term = _trees(node)[0], _trees(node)[1]
        op = str(next(c for c in term.children if isinstance(c, Tree) and c.data == "binary_operator").children[0])
        right_node = _trees(term)[-1]
        left = self.evaluate(left_node)
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.evaluate(right_node)
        for value in (left, right):
            if isinstance(value, Unknown):
                return value
        try:
            return _bounded(_BINARY[op](left, right))
        except (TypeError, ZeroDivisionError, ValueError, OverflowError):
            return Unknown(self.src(node), WRONG_TYPE)

    # -- function calls -------------------------------------------------------------------------

    def _e_function_call(self, node: Tree) -> Any:
        names = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        name = names[-1] if names else ""
        args_node = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        arg_nodes = _trees(args_node) if args_node is not None else []
        expand = args_node is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS"
                                               for c in args_node.children)
        if name in ("try", "can") and len(names) == 1:
            return self._try(name, arg_nodes, node)
        function = FUNCTIONS.get(name) if len(names) == 1 else None
        if function is None:
            return Unknown(self.src(node), f"function {name}() is not evaluated by the reader")
        args = [self.evaluate(a) for a in arg_nodes]
        if expand and args and isinstance(args[-1], list):
            args = [*args[:-1], *args[-1]]
        infos = [self.budget.info(a) for a in args]
        unknown = next((i.unknown for i in infos if i.unknown is not None), None)
        if unknown is not None and name not in LAZY:
            return unknown
        try:
            result = function(*args)
        except LimitError:
            raise
        except NotImplementedError:  # a form the reader does not evaluate: not the file's error
            return Unknown(self.src(node), f"this use of {name}() is not evaluated by the reader")
        except Exception:  # a wrong call in the user's file is an unknown value, not a crash
            return Unknown(self.src(node), f"{name}() could not be evaluated")
        # A part of a secret is a secret: whatever a function makes from a tfvars value is one too.
        if any(i.tainted for i in infos) and not isinstance(result, Unknown):
            result = taint(result)
        return self.budget.check(result)

    def _try(self, name: str, arg_nodes: list[Tree], node: Tree) -> Any:
        """`try(a, b, ...)`: the first argument that evaluates without an error; `can(a)`: whether
        it does. A value known only after apply is not an error: Terraform waits for it (the
        result is unknown), it does not fall back. Only what the reader cannot evaluate because
        the expression is wrong (a missing key, an index out of range, a wrong type) falls back."""
        for index, arg in enumerate(arg_nodes):
            value = self.evaluate(arg)
            if self.budget.info(value).unknown is None:
                return True if name == "can" else value
            unknowns = list(_all_unknowns(value))
            pending = next((u for u in unknowns if not _is_error(u)), None)
            if pending is not None:
                # Terraform's try() returns unknown for an argument that depends on a value known
                # only after apply (it cannot know yet whether it fails); a name the reader cannot
                # resolve (undeclared: a static error try() does not catch either) is the same.
                return Unknown(self.src(node), f"{name}() of a value the reader cannot know ({pending.why})")
            if name == "can":
                return False
            if index == len(arg_nodes) - 1:
                return Unknown(self.src(node), f"no argument of {name}() could be evaluated")
        return Unknown(self.src(node), f"{name}() without arguments")

    # -- traversals -----------------------------------------------------------------------------

    def _traversal(self, node: Tree) -> Any:
        root, steps = self._flatten(node)
        if isinstance(root, Tree) and root.data == "expr_term" and len(_trees(root)) == 1 \
                and _trees(root)[0].data in ("identifier", "keyword"):
            name = str(_trees(root)[0].children[0])
            value, _ = self._lookup(name, steps, node)
            return value
        return self._apply(self.evaluate(root), steps, node)

    _e_get_attr_expr_term = _traversal
    _e_index_expr_term = _traversal
    _e_attr_splat_expr_term = _traversal
    _e_full_splat_expr_term = _traversal

    def _flatten(self, node: Tree) -> tuple[Any, list[Step]]:
        steps: list[Step] = []
        while isinstance(node, Tree) and node.data in _TRAVERSALS:
            base, accessor = node.children[0], node.children[1]
            steps[:0] = self._steps(accessor)
            node = base
            # `a.b.c` nests as get_attr(expr_term(get_attr(...))): look through the wrapper.
            inner = _trees(node) if isinstance(node, Tree) and node.data == "expr_term" else []
            if len(inner) == 1 and inner[0].data in _TRAVERSALS:
                node = inner[0]
        return node, steps

    def _steps(self, accessor: Tree) -> list[Step]:
        kind = accessor.data
        if kind == "get_attr":
            return [Step("attr", _name_of(accessor))]
        if kind == "braces_index":
            return [Step("index", self.evaluate(_trees(accessor)[0]))]
        if kind == "short_index":
            return [Step("index", int(str(accessor.children[-1])))]
        if kind in ("attr_splat", "full_splat"):
            out = [Step("splat")]
            for sub in _trees(accessor):
                out.extend(self._steps(sub))
            return out
        return [Step("index", Unknown(self.src(accessor)))]

    def _lookup(self, name: str, steps: list[Step], node: Tree) -> tuple[Any, int]:
        if name in self.locals:
            return self._apply(self.locals[name], steps, node), len(steps)
        value, consumed = self.resolve(name, steps, self.src(node))
        return self._apply(value, steps[consumed:], node), len(steps)

    def _apply(self, value: Any, steps: list[Step], node: Tree) -> Any:
        for position, step in enumerate(steps):
            if isinstance(value, Unknown):
                return value
            if step.kind == "splat":
                items = value if isinstance(value, list) else ([] if value is None else [value])
                rest = steps[position + 1:]
                return self.budget.check([self._apply(item, rest, node) for item in items])
            key = step.value
            if isinstance(key, Unknown):
                return key
            if isinstance(value, dict):
                if str(key) not in value:
                    return Unknown(self.src(node), NO_KEY)
                value = value[str(key)]
            elif isinstance(value, list) and isinstance(key, int | float) and not isinstance(key, bool) \
                    and math.isfinite(key):
                if not 0 <= int(key) < len(value):
                    return Unknown(self.src(node), OUT_OF_RANGE)
                value = value[int(key)]
            else:
                return Unknown(self.src(node), CANNOT_TRAVERSE)
        return value

    # -- for expressions ------------------------------------------------------------------------

    def _for_parts(self, node: Tree) -> tuple[list[str], Any, list[Tree], Tree | None]:
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection = self.evaluate(_trees(intro)[-1])
        cond = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        body = [c for c in _trees(node) if c.data not in ("for_intro", "for_cond")]
        return names, collection, body, cond

    def _iterate(self, names: list[str], collection: Any, cond: Tree | None) -> Any:
        if isinstance(collection, Unknown):
            return collection
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            return None
        out = []
        for key, value in pairs:
            bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            ev = self.child(bound)
            if cond is not None:
                keep = ev.evaluate(_trees(cond)[0])
                if isinstance(keep, Unknown):
                    return keep
                if not keep:
                    continue
            out.append(ev)
        return out

    def _e_for_tuple_expr(self, node: Tree) -> Any:
        names, collection, body, cond = self._for_parts(node)
        scopes = self._iterate(names, collection, cond)
        if scopes is None or isinstance(scopes, Unknown):
            return scopes if scopes is not None else Unknown(self.src(node), "not a collection")
        return self.budget.check([ev.evaluate(body[0]) for ev in scopes])

    def _e_for_object_expr(self, node: Tree) -> Any:
        names, collection, body, cond = self._for_parts(node)
        scopes = self._iterate(names, collection, cond)
        if scopes is None or isinstance(scopes, Unknown):
            return scopes if scopes is not None else Unknown(self.src(node), "not a collection")
        grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
        out: dict[str, Any] = {}
        for ev in scopes:
            key = ev.evaluate(body[0])
            if isinstance(key, Unknown):
                return key
            value = ev.evaluate(body[1])
            if grouping:
                out.setdefault(_key(key), []).append(value)
            else:
                out[_key(key)] = value
        return self.budget.check(out)


def evaluate_json(value: Any, evaluator: Evaluator) -> Any:
    """A `.tf.json` value: strings are templates (`"${var.x}"`), the rest is literal."""
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return value
        import hcl2
        from lark.exceptions import LarkError

        text = "x = " + json.dumps(value) + "\n"
        try:
            tree = hcl2.parses_to_tree(text)
        except LarkError:
            return Unknown(value[:200], "not a valid template")
        attribute = tree.children[0].children[0]
        return Evaluator(evaluator.resolve, text, evaluator.locals, evaluator.budget).evaluate(attribute.children[-1])
    if isinstance(value, list):
        return [evaluate_json(v, evaluator) for v in value]
    if isinstance(value, dict):
        return {k: evaluate_json(v, evaluator) for k, v in value.items()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _bounded(value)
    return value


# -- helpers --------------------------------------------------------------------------------------

#: Why a value could not be evaluated because the expression is wrong (not because it is known
#: only after apply): `try()` falls back on these, as Terraform does on the matching errors.
NO_KEY = "no such key"
OUT_OF_RANGE = "index out of range"
CANNOT_TRAVERSE = "cannot traverse this value"
WRONG_TYPE = "operands of the wrong type"
_ERRORS = (NO_KEY, OUT_OF_RANGE, CANNOT_TRAVERSE, WRONG_TYPE, "could not be evaluated", "no argument of",
           "not a collection", "a template interpolates a value that is not a string")


def _all_unknowns(value: Any) -> Any:
    """Every Unknown inside a value (its size is bounded by the Budget)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Unknown):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _is_error(unknown: Unknown) -> bool:
    return any(marker in unknown.why for marker in _ERRORS)


def _key(key: Any) -> str:
    """A map key as a string, keeping its taint (`str()` of a Tainted string is a plain string)."""
    if isinstance(key, str):
        return key
    return _render(key) or str(key)


def _number_literal(text: str) -> int | float:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        raise LimitError(f"a number literal of more than {MAX_DIGITS} digits")
    value = float(text) if any(ch in text for ch in ".eE") else int(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise LimitError("a number literal out of range")
    return value


def _bounded(value: Any) -> Any:
    """Arithmetic results as Terraform's bounded-precision numbers: no million-digit integers."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        return math.copysign(math.inf, value)
    return value

def _trees(node: Any) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _name_of(accessor: Tree) -> str:
    for child in accessor.children:
        if isinstance(child, Tree):
            return str(child.children[0])
    return ""


def _token_value(token: Token) -> Any:
    return str(token)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and i + 5 < len(text) + 1:
                try:
                    out.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _decode_literal(text: str) -> str:
    """Template literal text as HCL reads it: backslash escapes, and `$${` / `%%{` for a literal
    `${` / `%{` (HCL native syntax spec, "Template Literals"), in one left-to-right pass."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            width = 4 if nxt == "u" else 8 if nxt == "U" else 0
            if width:
                digits = text[i + 2:i + 2 + width]
                if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits) \
                        and int(digits, 16) <= 0x10FFFF:
                    out.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        if ch in "$%" and text.startswith(ch * 2 + "{", i):
            out.append(ch + "{")
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _render(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return None


def _concat(parts: list[Any], text: str) -> Any:
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]  # "${var.list}" is the list itself
    rendered = []
    for part in parts:
        if isinstance(part, Unknown):
            return part
        piece = _render(part)
        if piece is None:
            return Unknown(text, "a template interpolates a value that is not a string")
        rendered.append(piece)
    result = "".join(rendered)
    return Tainted(result) if any(isinstance(p, Tainted) for p in parts) else result


def _eq(a: Any, b: Any) -> bool:
    return bool(a == b)


def _num(value: Any) -> int | float:
    """An operand of arithmetic or an ordering, converted as HCL converts it: numbers, and
    strings holding a number ("3" -> 3). Never a bool, a list or other text: in HCL `"a" * 3` is
    an error, not Python's string repetition (which would build gigabytes from `"a" * 1e9`)."""
    if isinstance(value, bool):
        raise TypeError("bool")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > MAX_DIGITS + 20:
            raise ValueError("not a number")
        return float(text) if any(ch in text for ch in ".eE") or text.lower() in ("inf", "nan") else int(text)
    raise TypeError(type(value).__name__)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise TypeError(type(value).__name__)


def _divide(a: Any, b: Any) -> int | float:
    a, b = _num(a), _num(b)
    result = a / b
    return int(result) if result == int(result) and abs(result) < 2**53 else result


def _modulo(a: Any, b: Any) -> int | float:
    a, b = _num(a), _num(b)
    return math.fmod(a, b) if isinstance(a, float) or isinstance(b, float) else int(math.fmod(a, b))


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "<": lambda a, b: _num(a) < _num(b),
    ">": lambda a, b: _num(a) > _num(b),
    "<=": lambda a, b: _num(a) <= _num(b),
    ">=": lambda a, b: _num(a) >= _num(b),
    "+": lambda a, b: _num(a) + _num(b),
    "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b),
    "/": _divide,
    "%": _modulo,
    "&&": lambda a, b: _bool(a) and _bool(b),
    "||": lambda a, b: _bool(a) or _bool(b),
}
