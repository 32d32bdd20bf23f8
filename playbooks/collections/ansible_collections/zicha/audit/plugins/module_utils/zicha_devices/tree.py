"""The block structure of an indented device configuration (Huawei VRP/USG, H3C Comware, Cisco IOS).

All three print one command per line, with the commands of a view indented under the line that entered it,
and separator lines between sections (`#` for Huawei and H3C, `!` for Cisco). A separator closes the views
at its own indentation and deeper, as the firmware means it: a `#` at column 0 closes every view, while the
` #` a USG prints inside `aaa` (between `domain default` and `manager-user admin`) closes only the
sub-view above it, and the ` !` IOS-XE prints inside `call-home` or `router bgp` closes nothing it is part
of. Comware V7 and USG also print some top-level commands with one leading space right after a column-0
separator: that separator closed every view, so such lines are top-level.

Multi-line texts are skipped whole, whatever they hold: Cisco banners (`banner motd ^C … ^C`) and macros
(`macro name X … @`), Huawei and H3C headers (`header login information "…"`, `header motd % … %`).

A configuration ends the way its firmware ends it: `return` (Huawei, H3C) or `end` (Cisco) at column 0.
One that does not, or whose banner never closes, is incomplete: what it would have said after the cut is
unknown (`Config.complete`, `Config.problem`).

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
    section: int = 0  # which section (between column-0 separators) the line is in

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
    complete: bool = True  # ends the way its firmware ends it, with no text left open
    problem: str | None = None  # why it is not complete
    end_line: int | None = None

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
        return _walk(self.roots)


#: multi-line texts, by language: (opening line, what closes it: None = the delimiter group, else a pattern)
_TEXTS = {
    "ios": ((re.compile(r"^banner\s+(?!enable\b)\S+\s+(\^C|\S)(.*)$"), None),
            (re.compile(r"^macro\s+name\s+\S+\s*$"), re.compile(r"^@\s*$"))),
    "huawei": ((re.compile(r"^header\s+(?:login|shell|motd|legal|incoming)(?:\s+information)?\s+(?!file\b)(\S)(.*)$"),
                None),),
}
_TEXTS["comware"] = _TEXTS["huawei"]
_END = {"ios": "end", "huawei": "return", "comware": "return"}
_SEPARATORS = {"ios": "!", "huawei": "#!", "comware": "#!"}


def parse(text: str | list[str], language: str = "huawei") -> Config:
    """The tree of a configuration (text, or lines already cleaned by clean.clean) in one language:
    "huawei" (VRP and USG), "comware" (H3C) or "ios" (Cisco)."""
    lines = text if isinstance(text, list) else text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    separators, end = _SEPARATORS[language], _END[language]
    roots: list[Node] = []
    stack: list[Node] = []
    closing: re.Pattern | str | None = None  # inside a multi-line text: what ends it
    opened = 0
    section = 0
    end_line = None
    for i, raw in enumerate(lines, start=1):
        if closing is not None:
            if (closing in raw) if isinstance(closing, str) else closing.match(raw):
                closing = None
            continue
        line = raw.rstrip()
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        indent = len(line) - len(stripped)
        if indent == 0 and stripped == end:
            end_line = i
            break
        if stripped[0] in separators:
            # no command starts with # or !: a separator or a comment (`!Software Version …`) closes the views
            # at its indentation and deeper
            while stack and stack[-1].indent >= indent:
                stack.pop()
            if indent == 0:
                section += 1  # a section of the configuration ends only at a column-0 separator
            continue
        node = Node(stripped, i, indent, section=section)
        while stack and stack[-1].indent >= indent:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        for opening, close in _TEXTS[language]:
            m = opening.match(stripped)
            if not m:
                continue
            if close is None:
                if m.group(1) not in m.group(2):
                    closing, opened = m.group(1), i
            else:
                closing, opened = close, i
            break
    problem = None
    if closing is not None:
        problem = (f"the text opened at line {opened} is never closed: everything after it was swallowed, "
                   "and the configuration cannot be read past that line")
    elif end_line is None:
        last = max((n.line for n in _walk(roots)), default=0)
        problem = (f"the configuration does not end with `{end}` as the firmware ends it: it is cut short "
                   f"(the last line read is line {last}), and what followed is unknown")
    return Config(roots=roots, lines=lines, complete=problem is None, problem=problem, end_line=end_line)


def _walk(roots: list[Node]) -> Iterator[Node]:
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))
