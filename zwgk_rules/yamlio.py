"""Safe YAML loading that keeps the node tree, so errors can name line and column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from zwgk_rules.errors import Location, UserInputError


@dataclass(frozen=True, slots=True)
class LocatedDocument:
    """Plain data of a YAML file together with its node tree and file name."""

    file: str
    data: object
    node: yaml.Node | None

    def locate(self, path: Sequence[str | int], *, at_key: bool = False) -> Location:
        """The location of the value at ``path`` (keys and indexes), or its nearest parent.

        Walks the composed nodes the way semgrep's ``validate_yaml`` walks ``absolute_path``.
        With ``at_key`` the last step points at the key itself (an unknown field), not its value.
        """
        node = self.node
        line = col = None
        if node is not None:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        for part in path:
            if node is None:
                break
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        nxt = k if at_key and part is path[-1] else v
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                break
            node = nxt
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return Location(self.file, line, col, json_path(path))


def json_path(path: Sequence[str | int]) -> str:
    """Render a path as people read it: ``rules[3].cite.clause``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


# libyaml's parser, when PyYAML was built with it, composes a units file of 80,000 units
# twenty times faster than the pure-Python one; the nodes and marks are the same.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc,unused-ignore]
    """SafeLoader that keeps dates as the text written: the schemas check their format and
    the loaders parse them, so 2017-02-30 is a located error, not a crash in PyYAML."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_duplicate_keys(node: yaml.Node, file: str) -> None:
    # PyYAML keeps the last of two equal keys without a word; a duplicated 'match' would
    # silently replace the first, so we refuse it.
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise UserInputError(
                            f"duplicate key {k.value!r} (first at line {seen[k.value].start_mark.line + 1})",
                            Location(file, k.start_mark.line + 1, k.start_mark.column + 1),
                        )
                    seen[k.value] = k
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def load_located(path: Path) -> LocatedDocument:
    """Read one YAML file safely; a syntax error becomes a UserInputError at its line."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserInputError("no such file", Location(file)) from None
    except UnicodeDecodeError as exc:
        raise UserInputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", Location(file)) from None
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror}", Location(file)) from None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_duplicate_keys(node, file)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        raise UserInputError(f"invalid YAML: {exc.problem or exc.context}", loc) from None
    except yaml.YAMLError as exc:
        raise UserInputError(f"invalid YAML: {exc}", Location(file)) from None
    return LocatedDocument(file, data, node)


def load_yaml_file(path: Path) -> object:
    """Plain data of a YAML file (dates stay text)."""
    return load_located(path).data
