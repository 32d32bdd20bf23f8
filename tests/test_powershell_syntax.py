"""The PowerShell collectors are parsed by a real PowerShell grammar (tree-sitter-powershell): no Windows host runs
here, so a syntax error would otherwise ship. The grammar does not take every form PowerShell accepts (a bare
comma list as a command argument, `Select-Object Name, Status`, is one): the collectors write explicit arrays
(`-Property @('Name', 'Status')`), which PowerShell reads the same."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in ROOT.rglob("*.ps1") if ".venv" not in p.parts and ".tools" not in p.parts)


def problems(source: bytes) -> list[str]:
    import tree_sitter_powershell
    from tree_sitter import Language, Parser

    tree = Parser(Language(tree_sitter_powershell.language())).parse(source)
    found: list[str] = []
    stack = [tree.root_node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            found.append(f"line {n.start_point.row + 1}, column {n.start_point.column + 1}: "
                         f"{'missing ' + n.type if n.is_missing else 'cannot parse'}")
        stack.extend(n.children)
    return sorted(found)


def test_there_are_collectors_to_check():
    assert any(p.name == "zicha_windows_facts.ps1" for p in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_collector_parses(script):
    assert problems(script.read_bytes()) == []


@pytest.mark.parametrize("cut", [
    (b"ConvertTo-Json -InputObject $rows -Depth 2\n    }", b"ConvertTo-Json -InputObject $rows -Depth 2\n"),  # a brace
    (b"$module.ExitJson()", b"$module.ExitJson("),                                                     # a paren
    (b"return @{ out = $text }", b"return @{ out = $text "),                                           # a hashtable
])
def test_the_grammar_sees_a_broken_collector(cut):
    """The check can fail: the collector with one closing brace, parenthesis or hashtable end taken away."""
    source = (ROOT / "playbooks" / "library" / "zicha_windows_facts.ps1").read_bytes()
    old, new = cut
    assert old in source
    assert problems(source.replace(old, new, 1)) != []


def test_the_grammar_sees_a_broken_air_gap_collector(tmp_path):
    """zicha-collect.ps1 too (it starts with a byte-order mark, as Windows PowerShell 5.1 needs)."""
    from checker import config, winscript

    winscript.write(tmp_path / "zicha-collect.ps1", winscript.render_for(config.load_params(None, None)))
    source = (tmp_path / "zicha-collect.ps1").read_bytes()
    old = b"return '[' + (@($parts) -join ',') + ']'\r\n    }"
    assert old in source and problems(source) == []
    assert problems(source.replace(old, old[:-1], 1)) != []
