"""YAML text to plain data plus a table of where every key and value was written.

PyYAML's constructors forget positions and let a repeated key silently win; building the data
from the composed node graph ourselves keeps file:line:column for every node and lets us refuse
duplicate keys. Anchors, aliases and merge keys (`<<`) keep their YAML meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.errors import XcloneError

Path = tuple[str | int, ...]

MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
# Documented input limits (docs/safety.md, "Inputs"). A spec nests six levels at most and a
# 20,000-LPAR spec holds about 300,000 values; aliases can multiply a few lines into billions
# ("billion laughs") and deep nesting overflows the parsers' recursion, so both are measured on
# the event stream, which libyaml and PyYAML produce without recursion, before any node is built.
MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000

# YAML 1.1 reads `12:34:56` as a base-60 number, which would turn a colon-separated MAC into an
# integer; nobody means that in a cluster spec, so those forms stay strings.
_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
)
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NO_BASE60 = {"tag:yaml.org,2002:int": _INT, "tag:yaml.org,2002:float": _FLOAT}


_RESOLVERS = {
    first: [(tag, _NO_BASE60.get(tag, regexp)) for tag, regexp in resolvers]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(Protocol):
    def get_single_node(self) -> Node | None: ...

    def construct_object(self, node: Node, deep: bool = False) -> Any: ...

    def dispose(self) -> None: ...


class _PureLoader(yaml.SafeLoader):
    yaml_implicit_resolvers = _RESOLVERS


_C_LOADER = getattr(yaml, "CSafeLoader", None)
# libyaml's parser, when present, is about ten times faster on big specs and gives the same
# nodes and marks; both parsers resolve plain scalars with our resolvers.
_LOADER: Any = (
    type("_FastLoader", (_C_LOADER,), {"yaml_implicit_resolvers": _RESOLVERS})
    if _C_LOADER is not None
    else _PureLoader
)


def _loader(text: str) -> _Loader:
    loader: _Loader = _LOADER(text)
    return loader


@dataclass(frozen=True)
class Marks:
    """Locations by path in the document (`("lpars", "node01", "ip")`): of values and of keys."""

    values: dict[Path, Location] = field(default_factory=dict)
    keys: dict[Path, Location] = field(default_factory=dict)

    def at(self, path: Path, *, key: bool = False) -> Location | None:
        """The place for `path`, else the key (or value) of its nearest written-down ancestor.

        `key` asks for the key's place rather than the value's, for errors about the key itself.
        """
        found = (self.keys.get(path) if key else None) or self.values.get(path)
        for end in range(len(path) - 1, -1, -1):
            if found is not None:
                return found
            prefix = path[:end]
            found = self.keys.get(prefix) or self.values.get(prefix)
        return found


def _location(file: str, mark: yaml.Mark | None) -> Location | None:
    return Location(file, mark.line + 1, mark.column + 1) if mark is not None else None


def _syntax_error(file: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        where = _location(file, mark)
        lines = text.splitlines()
        source = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in (exc.problem or "") or source[: mark.column + 1].lstrip(" ").startswith("\t"):
            return Diagnostic("tab character: YAML indentation must use spaces", where)
        constructing = isinstance(exc, yaml.constructor.ConstructorError)
        kind = "YAML error" if constructing else "YAML syntax error"
        message = f"{kind}: {exc.problem}"
        if exc.context:
            context_line = exc.context_mark.line + 1 if exc.context_mark else None
            message += f" ({exc.context}" + (f" at line {context_line})" if context_line else ")")
        return Diagnostic(message, where)
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        return Diagnostic(
            f"character #x{exc.character:04x} is not allowed in YAML", Location(file, line, column)
        )
    return Diagnostic(f"YAML error: {exc}", Location(file, 1, 1))


def _refuse(file: str, message: str, mark: Any) -> XcloneError:
    return XcloneError(f"{file}: input too large",
                       [Diagnostic(message, _location(file, mark) or Location(file, 1, 1))])


def _check_size(text: str, file: str) -> None:
    """Refuse, before any node is built, a document nested deeper than MAX_DEPTH or expanding
    (aliases counted as what they repeat) to more than MAX_NODES values.

    Each open collection keeps the running count at its start and the height below it, so an
    anchor's expanded size and height are known when it closes and an alias costs exactly that.
    """
    anchors: dict[str, tuple[int, int]] = {}
    open_: list[list[Any]] = []  # [anchor, count at start, height of its children]
    total = 0
    for event in yaml.parse(text, Loader=_LOADER):
        height = -1
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            size, height = (1, 0) if isinstance(event, yaml.ScalarEvent) else \
                anchors.get(event.anchor or "", (1, 0))
            total += size
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                anchors[event.anchor] = (1, 0)
        elif isinstance(event, yaml.CollectionStartEvent):
            total += 1
            open_.append([event.anchor, total, 0])
            height = 0
        elif isinstance(event, yaml.CollectionEndEvent) and open_:
            anchor, start, below = open_.pop()
            height = below + 1
            if anchor:
                anchors[anchor] = (total - start + 1, height)
        if len(open_) + max(height, 0) > MAX_DEPTH:
            raise _refuse(file, f"YAML nested more than {MAX_DEPTH} levels deep "
                                "(a spec needs about 6)", event.start_mark)
        if total > MAX_NODES:
            raise _refuse(file, f"document expands to more than {MAX_NODES:,} values "
                                "(aliases repeating large parts?)", event.start_mark)
        if open_ and height >= 0 and not isinstance(event, yaml.CollectionStartEvent):
            open_[-1][2] = max(open_[-1][2], height)


def top_level_keys(text: str) -> set[str]:
    """The keys of a document's top-level mapping seen before any error or MAX_DEPTH, read from
    the event stream alone (no nodes built, so no depth or alias can hurt); empty otherwise."""
    keys: set[str] = set()
    depth = children = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if depth == 1 and isinstance(event, yaml.NodeEvent):
                if children % 2 == 0 and isinstance(event, yaml.ScalarEvent):
                    keys.add(event.value)
                children += 1
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 0 and not isinstance(event, yaml.MappingStartEvent):
                    return keys
                depth += 1
                if depth > MAX_DEPTH:
                    return keys
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return keys


class _Builder:
    def __init__(self, file: str, loader: _Loader) -> None:
        self.file = file
        self.loader = loader
        self.marks = Marks()
        self.errors: list[Diagnostic] = []
        self.active: set[int] = set()

    def where(self, node: Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path) -> Any:
        if isinstance(node, ScalarNode):
            self.marks.values[path] = self.where(node)
            if node.tag == _STR_TAG:
                return node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except ValueError:
                # Python refuses to read integers of more than 4,300 digits.
                self.errors.append(Diagnostic(
                    f"number of {len(node.value):,} digits is too long to be a value",
                    self.where(node)))
                return None
        if node.tag not in _COLLECTION_TAGS:
            self.errors.append(Diagnostic(f"unsupported YAML tag {node.tag}", self.where(node)))
            return None
        if id(node) in self.active:
            raise XcloneError(
                "recursive alias", [Diagnostic("an alias refers to itself", self.where(node))]
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self.marks.values[path] = self.where(node)
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def merge_sources(self, node: Node) -> list[MappingNode]:
        if isinstance(node, MappingNode):
            return [node]
        if isinstance(node, SequenceNode) and all(isinstance(n, MappingNode) for n in node.value):
            return list(node.value)
        self.errors.append(
            Diagnostic("merge key '<<' needs a mapping or a list of mappings", self.where(node))
        )
        return []

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        sources: list[MappingNode] = []
        own: dict[str, Location] = {}
        pairs: list[tuple[str, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                sources.extend(self.merge_sources(value_node))
                continue
            if not isinstance(key_node, ScalarNode):
                self.errors.append(Diagnostic("a key must be a plain name", self.where(key_node)))
                continue
            key, where = str(key_node.value), self.where(key_node)
            if key in own:
                self.errors.append(
                    Diagnostic(f"duplicate key {key!r} (first defined at line {own[key].line})",
                               where)
                )
                continue
            own[key] = where
            pairs.append((key, value_node))
        # Earlier merge sources win over later ones, and the mapping's own keys win over all.
        for source in reversed(sources):
            result.update(self.build(source, path))
        for key, value_node in pairs:
            self.marks.keys[(*path, key)] = own[key]
            result[key] = self.build(value_node, (*path, key))
        self.marks.values[path] = self.where(node)
        return result


def parse_yaml(text: str, file: str) -> tuple[Any, Marks]:
    """The document's data (None when it holds nothing) and its marks.

    Raises XcloneError with one diagnostic per problem: a syntax error stops at the first, but
    every duplicate key in the file is reported.
    """
    if len(text) > MAX_BYTES:
        message = f"file is {len(text):,} characters; at most {MAX_BYTES:,} are allowed"
        raise _refuse(file, message, None)
    try:
        _check_size(text, file)
        loader = _loader(text)
    except yaml.YAMLError as exc:
        raise XcloneError(f"{file}: invalid YAML", [_syntax_error(file, text, exc)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Marks()
        builder = _Builder(file, loader)
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise XcloneError(f"{file}: invalid YAML", [_syntax_error(file, text, exc)]) from None
    finally:
        loader.dispose()
    if builder.errors:
        raise XcloneError(f"{file}: invalid YAML", builder.errors)
    return data, builder.marks
