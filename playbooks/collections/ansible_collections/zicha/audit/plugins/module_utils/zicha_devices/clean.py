"""What a terminal session adds to a device's output, taken away before the output is read.

A configuration or MAC table saved from a terminal carries more than the device printed for the command:
the prompt and the command echo (`<SW1>display current-configuration`, `SW1#show run`), the pager's
remnants (`  ---- More ----` erased with `ESC[42D`, spaces and `ESC[42D` again on Huawei and H3C; `--More--`
erased with backspaces on Cisco; the same with the ESC byte lost in copying, `[42D`), the time some
firmware prints above the output (`14:38:43  2017/08/02` on a USG; `Load for five secs…` / `Time source is
NTP…` on Cisco with `terminal exec prompt timestamp`), and messages between commands (`Info: …`).

Each line is replayed as a terminal would show it (overwrites, cursor moves left, erase), so the pager's
prompt disappears and the line after it keeps its own indentation. A pager prompt whose cursor moves were
lost altogether leaves the line after it with an indentation that cannot be known: it is read at column 0.
Removed lines become empty, so line numbers still point into the original file.
"""

from __future__ import annotations

import re

# a control sequence: CSI (ESC [ … final byte), or the same with the ESC lost (only after a pager prompt)
_CSI = re.compile(r"\x1b\[([0-9;?]*)([ -/]*)([@-~])")
_BARE_CSI = re.compile(r"\[(\d*)([DCK])")
_OTHER_ESC = re.compile(r"\x1b[()][A-Za-z0-9]|\x1b[=>78]")
_MORE = re.compile(r"(?:-{2,4} ?More ?-{2,4}|<--- More --->)", re.IGNORECASE)
_MORE_LINE = re.compile(r"^[ \t]*(?:-{2,4} ?More ?-{2,4}|<--- More --->)[ \t]*", re.IGNORECASE)

#: a prompt with or without the command after it: Huawei/H3C user view <SW1>, system views [SW1],
#: [~SW1], [*SW1-GigabitEthernet0/0/1] (VRP8), [H3C-line-vty0-63]; Cisco SW1#, SW1>, SW1(config-if)#
_PROMPTS = (
    re.compile(r"^<[^<>\s][^<>]*>"),
    re.compile(r"^\[(?!V\d{3}R\d{3}[^\]]*\]\s*$)[~*]?[^\[\]\s][^\[\]]*\]"),  # not an AR's [V200R009C00SPC500]
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*(?:\([a-z][a-z0-9-]*\))?[#>]"),  # SW1#show run, SW1>en, SW1#
)
#: lines that some firmware or a terminal adds around the output
_CHATTER = (
    re.compile(r"^\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s+\d{4}[/-]\d{1,2}[/-]\d{1,2}(?:\s+\S+)?\s*$"),  # USG: 14:38:43  2017/08/02
    re.compile(r"^\d{4}[/-]\d{1,2}[/-]\d{1,2}[ T]\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*(?:[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?\s*$"),
    re.compile(r"^Load for (?:five secs|\d)"),  # Cisco, terminal exec prompt timestamp
    re.compile(r"^Time source is "),
    re.compile(r"^(?:Info|Warning|Notice): "),  # Huawei/H3C messages between commands
)


def _replay(line: str, bare_codes: bool) -> str:
    """The line as a terminal would show it: characters overwrite at the cursor, which moves left on a
    backspace, ESC[nD or (after a pager prompt whose ESC was lost) [nD, and to column 0 on a carriage
    return; ESC[K erases to the end of the line. Linear in the length of the line."""
    buf: list[str] = []
    col = 0
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\x1b" or (bare_codes and ch == "["):
            m = _CSI.match(line, i) if ch == "\x1b" else _BARE_CSI.match(line, i)
            if m:
                digits = m.group(1)
                count = min(int(digits), n) if digits.isdigit() and len(digits) <= 6 else 1
                final = m.group(3) if ch == "\x1b" else m.group(2)
                if final == "D":
                    col = max(0, col - count)
                elif final == "C":
                    col = min(col + count, n)  # never further right than the line is long
                elif final == "K":
                    del buf[col:]
                i = m.end()
                continue
            if ch == "\x1b":
                m = _OTHER_ESC.match(line, i)
                i = m.end() if m else i + 1
                continue
        if ch == "\x08":
            col = max(0, col - 1)
        elif ch == "\r":
            col = 0
        elif ch == "\x07" or ch == "\x00":
            pass
        else:
            if col < len(buf):
                buf[col] = ch
            else:
                buf.extend(" " * (col - len(buf)))
                buf.append(ch)
            col += 1
        i += 1
    return "".join(buf)


def line(raw: str) -> str | None:
    """One line of terminal output as the device meant it, or None when the line is only what the session
    added (a prompt, a pager remnant, a timestamp, a message)."""
    text = raw
    if "\x1b" in text or "\x08" in text or "\r" in text or _MORE.search(text):
        text = _replay(text, bare_codes=bool(_MORE.search(text)))
    m = _MORE_LINE.match(text)
    if m:
        # a pager prompt whose erasing was lost: what follows it is a line, at an indentation no one can know
        text = text[m.end():]
        if not text.strip():
            return None
    stripped = text.rstrip()
    if not stripped:
        return ""
    if any(p.match(stripped) for p in _PROMPTS) or any(p.match(stripped) for p in _CHATTER):
        return None
    return stripped


def clean(text: str) -> list[str]:
    """The output's lines without what the terminal session added; removed lines are left empty so that
    line numbers still point into the original file."""
    text = text.replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")  # a file saved with carriage returns alone
    out = []
    for raw in text.split("\n"):
        c = line(raw)
        out.append("" if c is None else c)
    return out
