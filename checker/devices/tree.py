"""The block structure of an indented device configuration (Huawei VRP/USG, H3C Comware, Cisco IOS).

All three print one command per line, with the commands of a view indented under the line that entered it,
and separator lines between sections (`#` for Huawei and H3C, `!` for Cisco). Comware V7 and USG also print
some top-level commands with one leading space right after a separator: a separator closes every open view,
so such lines are top-level. Cisco banners (`banner motd ^C … ^C`) span lines and are skipped whole.

A small tree is all the parsers need; the vendor semantics live in the vendor modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Node:
    text: str  # the line without its indentation
    line: int  # 1-based line number in the configuration
    indent: int
    children: list["Node"] = field(default_factory=list)
    section: int = 0  # which separator-delimited section the line is in

    def child(self, pattern: str) -> re.Match | None:
        """The first child line matching `pattern` (a regex anchored at the start)."""
        for c in self.children:
            m = re.match(pattern, c.text)
            if m:
                return m
        return None

    def each(self, pattern: str) -> Iterator[tuple[re.Match, "Node"]]:
        for c in self.children:
            m = re.match(pattern, c.text)
            if m:
                yield m, c

    def has(self, pattern: str) -> bool:
        return self.child(pattern) is not None


@dataclass
class Config:
    roots: list[Node]
    lines: list[str]

    def each(self, pattern: str) -> Iterator[tuple[re.Match, Node]]:
        """Top-level lines matching `pattern`."""
        for n in self.roots:
            m = re.match(pattern, n.text)
            if m:
                yield m, n

    def first(self, pattern: str) -> tuple[re.Match, Node] | tuple[None, None]:
        for m, n in self.each(pattern):
            return m, n
        return None, None

    def has(self, pattern: str) -> bool:
        return self.first(pattern)[0] is not None

    def flat_block(self, node: Node) -> Node:
        """Comware V5 and old USG print some views flat: `firewall zone trust` then `add interface …` at the
        same indentation until the next `#`. The view's lines are its children plus those siblings."""
        kids = list(node.children)
        after = False
        for n in self.roots:
            if n is node:
                after = True
                continue
            if after:
                if n.section != node.section:
                    break
                kids.append(n)
        return Node(node.text, node.line, node.indent, kids, node.section)

    def walk(self) -> Iterator[Node]:
        stack = list(reversed(self.roots))
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))


_BANNER = re.compile(r"^banner\s+\S+\s+(\^C|\S)(.*)$")


def parse(text: str, separators: str = "#!") -> Config:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    roots: list[Node] = []
    stack: list[Node] = []
    banner_end: str | None = None
    section = 0
    for i, raw in enumerate(lines, start=1):
        if banner_end is not None:
            if banner_end in raw:
                banner_end = None
            continue
        line = raw.rstrip()
        stripped = line.lstrip(" ")
        if not stripped:
            continue
        if stripped[0] in separators:
            # no command starts with # or !: a separator or a comment (`!Software Version …`) closes every view
            stack = []
            section += 1
            continue
        indent = len(line) - len(stripped)
        node = Node(stripped, i, indent, section=section)
        while stack and stack[-1].indent >= indent:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        m = _BANNER.match(stripped)
        if m and m.group(1) not in m.group(2):
            banner_end = m.group(1)
    return Config(roots=roots, lines=lines)
