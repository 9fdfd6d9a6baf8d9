"""Reading input text safely: the encoding of a file (UTF-8 only, with a
guess of the encoding it is in otherwise), YAML with limits on nesting,
aliases and size, and the first value of a Python specification that JSON
cannot hold, each located by line or by its path in the document.

Callers turn :class:`InputProblem` into the library error of their kind of
file (:class:`continuity.errors.ParseError` for model files,
:class:`continuity.errors.SpreadsheetError` for CSV tables and companions).
"""

from __future__ import annotations

import datetime
import math
import numbers
from typing import Any, Optional, cast

__all__ = [
    "InputProblem",
    "MAX_DEPTH",
    "MAX_YAML_DEPTH",
    "MAX_YAML_CHARACTERS",
    "MAX_ALIAS_VALUES",
    "decode",
    "load_yaml",
    "unrepresentable",
    "json_default",
]

MAX_DEPTH = 256
"""Deepest nesting of lists and mappings accepted in Python objects (the C++
JSON reader's limit)."""

MAX_YAML_DEPTH = 100
"""Deepest nesting of lists and mappings accepted in YAML (a model needs
fewer than ten levels; PyYAML composes a document by recursion)."""

MAX_YAML_CHARACTERS = 64 * 1024 * 1024
"""Largest YAML text read, in characters."""

MAX_ALIAS_VALUES = 1_000_000
"""Most values YAML aliases may add to a document by repeating what an anchor
names (an alias bomb of a few hundred bytes would otherwise expand to
billions)."""


class InputProblem(Exception):
    """What is wrong with an input text, and where: ``line`` (1-based, 0 if
    unknown) and ``path`` (e.g. ``"systems[2].backups[0].interval"``, empty
    for the whole document)."""

    def __init__(self, problem: str, line: int = 0, path: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.path = path

    def described(self) -> str:
        """The problem with its path in front: ``"systems[2].rto: <problem>"``."""
        return f"{self.path}: {self.problem}" if self.path else self.problem

    def located(self, source: str) -> str:
        """The message with ``source``, line and path in front:
        ``"m.yaml:12: systems[2].rto: <problem>"``."""
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.described()}"


# ---------------------------------------------------------------- encodings
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _japanese(c: str) -> bool:
    o = ord(c)
    return (0x3000 <= o <= 0x30FF or 0x4E00 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF
            or 0x3400 <= o <= 0x4DBF)


def _reads_as_japanese(text: str) -> bool:
    """Whether most non-ASCII characters of ``text`` are kana or kanji next to
    another such character (Japanese words are runs of them; Latin-1 accented
    letters misread as Shift_JIS give lone kanji between ASCII letters)."""
    wide = [k for k, c in enumerate(text) if ord(c) >= 0x80]
    if not wide:
        return False
    in_runs = sum(1 for k in wide if _japanese(text[k]) and (
        (k > 0 and _japanese(text[k - 1])) or (k + 1 < len(text) and _japanese(text[k + 1]))))
    return 2 * in_runs >= len(wide)


def _strict(data: bytes, encoding: str) -> Optional[str]:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def guess_encoding(data: bytes) -> str:
    """What ``data`` (which is not UTF-8 text) looks like, for an error
    message: ``"Shift_JIS text"``, ``"UTF-16 text (little-endian)"``,
    ``"binary data"``, ..."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return f"{name} text"
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive (an Excel workbook? give it the suffix .xlsx)"
    sample = data[:4096]
    zeros_even = sum(1 for b in sample[0::2] if b == 0)
    zeros_odd = sum(1 for b in sample[1::2] if b == 0)
    half = max(1, len(sample) // 2)
    if zeros_odd > half // 3 and zeros_even < zeros_odd // 4:
        return "UTF-16 text (little-endian)"
    if zeros_even > half // 3 and zeros_odd < zeros_even // 4:
        return "UTF-16 text (big-endian)"
    if zeros_even + zeros_odd:
        return "binary data"
    sjis = _strict(data, "cp932")
    if sjis is not None and _reads_as_japanese(sjis):
        return "Shift_JIS text"
    euc = _strict(data, "euc_jp")
    if euc is not None and _reads_as_japanese(euc):
        return "EUC-JP text"
    if _strict(data, "cp1252") is not None:
        return "Latin-1 (Windows-1252) text"
    return "text in an unknown encoding"


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, advice: str = "save it as UTF-8") -> str:
    """``data`` as text: UTF-8, with or without a byte-order mark.

    Raises:
        InputProblem: the text is not UTF-8 (the message says what it looks
            like, UTF-16 or Shift_JIS say, and ends with ``advice``), or holds
            a NUL character; the line is that of the first offending byte.
    """
    offset, reason = 0, ""
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            offset, reason = exc.start, str(exc.reason)
        else:
            offset = data.find(b"\x00")
            if offset < 0:
                return text
            reason = "a NUL byte"
    looks = guess_encoding(data)
    if looks.startswith(("a zip archive", "binary data")):
        raise InputProblem(f"the file is not text: it looks like {looks}", 1)
    if looks.startswith(("UTF-16", "UTF-32")):
        raise InputProblem(f"the file is {looks}, not UTF-8; {advice}", 1)
    raise InputProblem(f"the file is not UTF-8 text: it looks like {looks} ({reason} at byte "
                       f"{offset}); {advice}", _line_at(data, offset))


# ---------------------------------------------------------------------- YAML
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "yes/no",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "mapping",
    "tag:yaml.org,2002:seq": "list",
}


def _path(parent: str, key: str) -> str:
    plain = key.replace("_", "a").isalnum()
    if plain:
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{key!r}]"


def load_yaml(text: str) -> Any:
    """The document of YAML ``text`` as Python objects in the JSON data model
    (mappings with text keys, lists, text, numbers, booleans, null).

    Limits: at most :data:`MAX_YAML_CHARACTERS` characters, nesting at most
    :data:`MAX_YAML_DEPTH` deep, aliases adding at most :data:`MAX_ALIAS_VALUES`
    values. Dates, NaN, infinities, binary data, sets, recursive aliases and
    keys given twice are errors naming their line and path.

    Raises:
        InputProblem: a limit is exceeded, a value has no place in the JSON
            data model, or the text is not YAML.
    """
    import yaml

    if len(text) > MAX_YAML_CHARACTERS:
        raise InputProblem(f"the YAML text has {len(text):,} characters, more than the "
                           f"{MAX_YAML_CHARACTERS:,} read (use JSON for larger models)")

    class Loader(yaml.SafeLoader):
        depth = 0
        alias_lines: dict[tuple[int, int], int] = {}
        """(id of a list, index) -> line of the alias that is its item."""

        def compose_node(self, parent: Optional[yaml.Node], index: Any) -> Optional[yaml.Node]:
            self.depth += 1
            try:
                event = cast(Any, self).peek_event()
                if self.depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    raise InputProblem(f"nested deeper than {MAX_YAML_DEPTH} levels",
                                       mark.line + 1 if mark is not None else 0)
                if isinstance(event, yaml.AliasEvent) and isinstance(index, int) \
                        and event.start_mark is not None:
                    self.alias_lines[(id(parent), index)] = event.start_mark.line + 1
                node: Optional[yaml.Node] = super().compose_node(parent, index)
                return node
            finally:
                self.depth -= 1

    loader = Loader(text)
    loader.alias_lines = {}
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _yaml_problem(exc) from None
        except yaml.YAMLError as exc:
            raise InputProblem(f"invalid YAML: {exc}".splitlines()[0]) from None
        if root is None:
            return None
        _YamlCheck(loader).check(root)
        try:
            return loader.construct_document(root)
        except yaml.MarkedYAMLError as exc:
            raise _yaml_problem(exc) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: Any) -> InputProblem:
    """A PyYAML error (several lines) as one line, with its line number."""
    mark = exc.problem_mark if exc.problem_mark is not None else exc.context_mark
    parts = [str(p) for p in (exc.context, exc.problem) if p]
    where = f" (column {mark.column + 1})" if mark is not None else ""
    return InputProblem("invalid YAML" + where + ": " + (", ".join(parts) or "malformed"),
                        mark.line + 1 if mark is not None else 0)


class _YamlCheck:
    """Walks a composed YAML document: values outside the JSON data model,
    keys given twice, recursive aliases, and the values aliases add."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.sizes: dict[int, Optional[int]] = {}  # node id -> values it expands to
        self.added = 0  # values added by aliases

    def check(self, root: Any) -> None:
        self.visit(root, "", root.start_mark.line + 1)

    def visit(self, node: Any, path: str, line: int) -> int:
        import yaml

        key = id(node)
        if key in self.sizes:  # an alias of a node met before
            size = self.sizes[key]
            if size is None:
                raise InputProblem("an alias refers to a value that holds it (a recursive "
                                   "alias)", line, path)
            self.added += size
            if self.added > MAX_ALIAS_VALUES:
                raise InputProblem(f"aliases repeat more than {MAX_ALIAS_VALUES:,} values (an "
                                   "alias bomb?); write the values out instead", line, path)
            return size
        self.sizes[key] = None
        line = node.start_mark.line + 1
        if node.tag not in _ALLOWED_TAGS:
            raise InputProblem(self.foreign(node), line, path)
        size = 1
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:float":
                value = self.loader.construct_yaml_float(node)
                if not math.isfinite(value):
                    raise InputProblem(f"{node.value!r} is not a finite number (the model format "
                                       "has no NaN or infinity)", line, path)
        elif isinstance(node, yaml.SequenceNode):
            for k, item in enumerate(node.value):
                item_line = self.loader.alias_lines.get((id(node), k), item.start_mark.line + 1)
                size += self.visit(item, f"{path}[{k}]", item_line)
        else:
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base`
                    size += self.visit(value_node, path, key_line)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputProblem("a mapping key must be a name, not a list or mapping",
                                       key_line, path)
                name = key_node.value
                if name in seen:
                    raise InputProblem(f"the key '{name}' is given twice (lines {seen[name]} "
                                       f"and {key_line})", key_line, path)
                seen[name] = key_line
                size += 1 + self.visit(value_node, _path(path, name), key_line)
        self.sizes[key] = size
        return size

    @staticmethod
    def foreign(node: Any) -> str:
        tag = str(node.tag)
        if tag == "tag:yaml.org,2002:timestamp":
            return (f"{node.value} is a date or time to YAML, and the model format has none; "
                    f"put it in quotes ('{node.value}') to make it text")
        if tag == "tag:yaml.org,2002:binary":
            return "binary data (!!binary) has no place in the model format"
        short = tag.replace("tag:yaml.org,2002:", "!!")
        return f"a value of type {short} has no place in the model format"


# ----------------------------------------------------------- Python objects
def json_default(value: Any) -> Any:
    """``default`` hook of :func:`json.dumps`: NumPy scalars as Python numbers."""
    import numpy as np

    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def unrepresentable(spec: Any) -> Optional[InputProblem]:
    """The first value of ``spec`` (Python objects) that JSON cannot hold, with
    its path: a non-finite number, a date, a set, bytes, a key that is not
    text, a structure nested deeper than :data:`MAX_DEPTH` or holding itself;
    None if there is none."""
    stack: list[tuple[Any, str, int]] = [(spec, "", 0)]
    open_containers: set[int] = set()
    exits: list[tuple[int, int]] = []  # (stack height, container id) to close
    while stack:
        while exits and exits[-1][0] >= len(stack):
            open_containers.discard(exits.pop()[1])
        value, path, depth = stack.pop()
        if isinstance(value, (str, bool)) or value is None:
            continue
        if isinstance(value, numbers.Integral):
            continue
        if isinstance(value, numbers.Real):
            if not math.isfinite(float(value)):
                return InputProblem(f"{float(value)!r} is not a finite number (the model format "
                                    "has no NaN or infinity)", 0, path)
            continue
        if isinstance(value, (dict, list, tuple)):
            if depth >= MAX_DEPTH:
                return InputProblem(f"nested deeper than {MAX_DEPTH} levels", 0, path)
            if id(value) in open_containers:
                return InputProblem("holds itself (a recursive structure)", 0, path)
            open_containers.add(id(value))
            exits.append((len(stack), id(value)))
            if isinstance(value, dict):
                items = []
                for k, v in value.items():
                    if not isinstance(k, str):
                        return InputProblem(f"the key {k!r} is not text", 0, path)
                    items.append((v, _path(path, k), depth + 1))
                stack.extend(reversed(items))
            else:
                stack.extend(reversed([(v, f"{path}[{k}]", depth + 1)
                                       for k, v in enumerate(value)]))
            continue
        if isinstance(value, (datetime.date, datetime.time)):
            return InputProblem(f"{value.isoformat()} is a date or time, and the model format "
                                "has none (give text or a number)", 0, path)
        return InputProblem(f"a value of type {type(value).__name__} ({value!r:.40}) has no "
                            "place in the model format", 0, path)
    return None
