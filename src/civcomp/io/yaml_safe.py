"""The one YAML reader of the compendium: plain values, bounded size, depth and alias expansion, one-line errors.

Every YAML file the project reads — ``params/`` (global, per step, ``synthetic/``), the codebooks, the
keyword dictionary, the claims ledger, the published frameworks, the generators' phrase lists — goes
through :func:`load` (a file) or :func:`loads` (text). A hostile or broken file gets one
:class:`YamlError` line naming the file and the line, never a traceback, and the work is bounded:

* the file holds at most :data:`MAX_BYTES` bytes (the largest file of the repository is ~43 kB;
  the pure-Python parser reads ~150 kB/s, so a file at the limit is refused or read within ~3 s);
* nesting deeper than :data:`MAX_DEPTH` levels (maps and lists, aliases followed) is refused while the
  file is parsed, before Python's recursion limit is near;
* anchors and aliases (``&x`` / ``*x``) are allowed (the claims ledger shares one list of readings) but a
  file whose values, with every alias expanded, number more than :data:`MAX_VALUES` is refused (a
  "billion laughs" bomb), and so is an alias that contains itself;
* a key repeated in one mapping is refused (YAML would silently keep the last one);
* with ``plain=True`` (the default) only strings, numbers, booleans, null, lists and maps are accepted:
  ``!!binary``, ``!!set``, ``!!python/...`` and a bare date are refused before any value is built.

Examples
--------
>>> from civcomp.io import yaml_safe
>>> yaml_safe.loads("a: 1\\nb: [x, 2.5]", "demo.yaml")
{'a': 1, 'b': ['x', 2.5]}
>>> yaml_safe.loads("a: 1\\nb: 2\\na: 3\\n", "demo.yaml")
Traceback (most recent call last):
...
civcomp.io.yaml_safe.YamlError: demo.yaml, line 3: key 'a' is repeated in one mapping (first on line 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from civcomp.errors import ParamsError

MAX_BYTES = 512_000  # a YAML file larger than this is refused unread (parsing it takes at most ~3 s)
MAX_DEPTH = 20  # levels of nested maps and lists (the repository's deepest file has 6)
MAX_VALUES = 100_000  # values (scalars, lists, maps) once every alias is expanded
MAX_DIGITS = 100  # an integer literal longer than this is refused (Python's own limit is 4,300)

_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class YamlError(ParamsError):
    """A YAML file is malformed or hostile; the message is one line naming the file and the line."""


def _line(node_or_mark: Any) -> int:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1 if mark is not None else 0


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts its depth while composing and refuses repeated keys while constructing."""

    where = "<yaml>"

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._count = 0

    def compose_node(self, parent, index):  # noqa: D102 (PyYAML hook)
        container = isinstance(self.peek_event(), (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        self._depth += container
        self._count += 1
        try:
            if self._count > MAX_VALUES:
                raise YamlError(f"{self.where}, line {_line(self.peek_event())}: more than {MAX_VALUES:,} values")
            if self._depth > MAX_DEPTH:
                raise YamlError(
                    f"{self.where}, line {_line(self.peek_event())}: nested deeper than {MAX_DEPTH} levels "
                    "(maps and lists); flatten the structure"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= container

    def construct_mapping(self, node, deep=False):  # noqa: D102 (PyYAML hook)
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # "<<": merged keys may be overridden
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise YamlError(
                            f"{self.where}, line {_line(key_node)}: key {key!r} is repeated in one mapping "
                            f"(first on line {seen[key]})"
                        )
                    seen[key] = _line(key_node)
                except TypeError:  # an unhashable key: the base class says so
                    break
        return super().construct_mapping(node, deep=deep)


def _check_graph(root: yaml.Node, where: str, plain: bool) -> None:
    """Refuse non-plain tags, self-containing aliases, and alias expansion beyond :data:`MAX_VALUES` or depth."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [x for pair in node.value for x in pair]
            if isinstance(node, yaml.MappingNode)
            else []
        )
        if leaving:
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0) if children else 0
            state[key] = 2
            if size[key] > MAX_VALUES:
                raise YamlError(
                    f"{where}, line {_line(node)}: this value holds more than "
                    f"{MAX_VALUES:,} values (aliases expanded: an alias bomb?)"
                )
            if depth[key] > MAX_DEPTH:
                raise YamlError(
                    f"{where}, line {_line(node)}: with its aliases expanded this value is nested deeper than "
                    f"{MAX_DEPTH} levels"
                )
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            raise YamlError(f"{where}, line {_line(node)}: an alias refers to a value that contains it")
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_DIGITS:
            raise YamlError(f"{where}, line {_line(node)}: an integer of {len(node.value):,} digits")
        if plain and node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlError(
                f"{where}, line {_line(node)}: tag {tag} is not allowed in a parameter file "
                "(plain strings, numbers, booleans, lists and maps only)"
            )
        state[key] = 1
        stack.append((node, True))
        stack.extend((c, False) for c in children if state.get(id(c)) != 2)


def loads(text: str, where: str, plain: bool = True) -> Any:
    """Parse YAML ``text`` within the limits of this module; raise :class:`YamlError` naming ``where``.

    Parameters
    ----------
    text : str
        The YAML document.
    where : str
        How the file is named in messages (e.g. ``params/global.yaml``).
    plain : bool
        Accept only strings, numbers, booleans, null, lists and maps (``False``: every tag PyYAML's safe
        loader builds, e.g. a bare date).

    Examples
    --------
    >>> loads("a: &x [1, 2]\\nb: *x", "demo.yaml")
    {'a': [1, 2], 'b': [1, 2]}
    >>> loads("a: !!binary aGk=", "demo.yaml")
    Traceback (most recent call last):
    ...
    civcomp.io.yaml_safe.YamlError: demo.yaml, line 1: tag !!binary is not allowed in a parameter file (plain strings, numbers, booleans, lists and maps only)
    """
    if len(text) > MAX_BYTES:
        raise YamlError(f"{where}: larger than {MAX_BYTES:,} characters; a YAML file here is a few kB")
    loader = None
    try:
        loader = _Loader(text)
        loader.where = where
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, where, plain)
        return loader.construct_document(node)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        what = " ".join(str(exc.problem or exc.context or "").split())
        raise YamlError(f"{where}{line}: not valid YAML ({what})") from None
    except yaml.reader.ReaderError as exc:  # a control character, a NUL …
        line = text[: exc.position].count("\n") + 1
        raise YamlError(
            f"{where}, line {line}: not valid YAML (character U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X} is not allowed)"
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # a bug-proof last resort
        raise YamlError(f"{where}: not valid YAML ({' '.join(str(exc).split())[:200]})") from None
    finally:
        if loader is not None:
            loader.dispose()


def load(path: str | Path, where: str | None = None, plain: bool = True) -> Any:
    """Read and parse the YAML file ``path`` (UTF-8) with :func:`loads`; raise :class:`YamlError` naming it.

    A missing file raises :class:`FileNotFoundError` (the callers word that themselves); an unreadable or
    oversized one raises :class:`YamlError`.

    Examples
    --------
    >>> from civcomp import paths
    >>> load(paths.PARAMS / "global.yaml")["data_source"] in ("synthetic", "real")
    True
    """
    path = Path(path)
    where = where or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise YamlError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise YamlError(f"{where}: larger than {MAX_BYTES:,} bytes; a YAML file here is a few kB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"{where}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8") from None
    return loads(text, where, plain)
