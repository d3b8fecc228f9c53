"""What the API takes from a body before any field is read: JSON that is not nested too deep,
with no text a database column cannot hold.

Python's JSON parser, its encoder and every recursive walk stop with RecursionError somewhere
below a thousand levels, and an event of 64 KiB can nest thirty thousand deep. So a body is
parsed in a way that cannot recurse without end, and a payload is walked with a list of work
instead of recursion; an event nested deeper than ``MAX_DEPTH`` is refused (422) before anything
else looks at it.
"""

import json
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Objects and arrays inside one another, the event itself counted: the deepest documented event
# (an order line's field) is at 4; unknown fields of a source's own may go deeper, up to this.
MAX_DEPTH = 32
# Containers in a body opened deeper than this are cut before parsing. A batch's events sit two
# levels down ({"events": [...]}), so a cut value still leaves its event deeper than MAX_DEPTH.
_PARSE_DEPTH = MAX_DEPTH + 2

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
UNSTORABLE_MESSAGE = "Contains a NUL character (\\u0000) or a lone surrogate (\\ud800-\\udfff)."
TOO_DEEP_MESSAGE = f"Nested more than {MAX_DEPTH} levels deep (objects and arrays, the event itself counted)."


def no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def json_parse(text: str):
    """``json.loads`` (NaN and Infinity refused) that answers for any depth: a body too deep for
    the parser is parsed again with its deepest values cut, which its depth check then refuses."""
    try:
        return json.loads(text, parse_constant=no_constant)
    except RecursionError:
        return json.loads(_cut_too_deep(text), parse_constant=no_constant)


def _cut_too_deep(text: str) -> str:
    """The text with every object or array opened below ``_PARSE_DEPTH`` replaced by ``[]``.

    Only strings and brackets are looked at (a bracket inside a string is text); malformed JSON
    stays malformed, so the parser still says what is wrong with it.
    """
    kept, depth, cut_from, resume = [], 0, None, 0
    for token in _JSON_TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth == _PARSE_DEPTH + 1 and cut_from is None:
                cut_from = token.start()
        elif char in "]}":
            depth -= 1
            if depth == _PARSE_DEPTH and cut_from is not None:
                kept.append(text[resume:cut_from] + "[]")
                cut_from, resume = None, token.end()
    if cut_from is not None:
        kept.append(text[resume:cut_from])
        return "".join(kept)
    kept.append(text[resume:])
    return "".join(kept)


def payload_errors(payload) -> dict[str, list[str]]:
    """Field path to message for every place the payload is too deep or holds text no database
    column can hold (a NUL, or half of a UTF-16 surrogate pair: JSON allows "\\ud800", UTF-8 does
    not; keys are text too). Walked with a list of work: no depth can make it recurse."""
    errors: dict[str, list[str]] = {}
    work = [(payload, "", 1)]
    while work:
        value, path, depth = work.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                errors.setdefault(path or "body", [UNSTORABLE_MESSAGE])
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            # Named by the path of the level that is one too deep, cut short for the message.
            errors.setdefault(_UNSTORABLE.sub("?", path.split(".", 1)[0]) or "body", [TOO_DEEP_MESSAGE])
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and _UNSTORABLE.search(key):
                errors.setdefault(_UNSTORABLE.sub("?", path) or "body", [UNSTORABLE_MESSAGE])
            work.append((item, f"{path}.{key}" if path else str(key), depth + 1))
    return {_UNSTORABLE.sub("?", path): messages for path, messages in errors.items()}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, for the endpoints that read ``request.data``: a body nested too deep
    for Python's parser is a 400 like any other malformed body, not a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.") from exc
