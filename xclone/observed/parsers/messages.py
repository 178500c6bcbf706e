"""The one table of message ids xclone reads, and the classifier that strips xCAT's prefixes.

A parser of message lines (text in, `Message` out), so it lives with the other parsers: the HMC
listing parser reads its "no results" table, the observe runner and apply's result checks classify
every line they judge with it.

Three styles reach us (docs/formats.md "Messages and exit statuses"): xCAT `Error: msg` (2.9),
`Error: [mn]: msg` (2.14+) with an optional `<mn>: ` after it (AIX plugins); NIM lines naming a
`0042-NNN` message, whose exit status is the message number; HMC lines naming an `HSCLxxxx` code,
localised but with stable codes. Decisions use the `kind` of a known id, never the English text,
except for the few xCAT texts below that carry no id at all and the HMC's "no results" answer,
which has no code and follows the HMC user's locale (table below).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class MessageId:
    code: str
    system: Literal["xcat", "nim", "hmc"]
    kind: str
    meaning: str


KNOWN: dict[str, MessageId] = {
    m.code: m
    for m in (
        MessageId("0042-001", "nim", "wrapper", "processing error on the named host"),
        MessageId("0042-053", "nim", "not_found", "there is no NIM object of that name"),
        MessageId("0042-081", "nim", "already_exists", "the resource already exists (define)"),
        MessageId("0042-032", "nim", "already_exists", "the object name must be unique (define)"),
        MessageId("0042-175", "nim", "command_failed", "unexpected result from a command"),
        MessageId("0042-207", "nim", "cannot_allocate", "unable to allocate a resource"),
        MessageId("0042-154", "nim", "no_such_file", "a file or directory does not exist"),
        MessageId("HSCL8012", "hmc", "not_found", "the partition was not found"),
        MessageId("HSCL8018", "hmc", "not_found", "the managed system was not found"),
        MessageId("HSCL350B", "hmc", "not_authorised", "the user lacks authority for the command"),
        MessageId("HSCLA4C0", "hmc", "unsupported", "the managed system lacks the feature"),
    )
}

# The HMC's answer, exit 0, when a listing matches nothing. It carries no HSCL code and is printed
# in the HMC user's locale; xCAT itself matches only the English text (perl-xCAT/xCAT/PPCcli.pm,
# 2.9.2, line 1097). Keyed by locale; add a translation here when an HMC shows one.
NO_RESULTS: dict[str, str] = {
    "en_US": "No results were found.",
    "pl_PL": "Nie znaleziono wyników.",
}
# What to do when an HMC answers in a language xclone does not know (docs/formats.md "HMC").
HMC_LOCALE_FIX = ("set the HMC user's locale to English (LANG=en_US; on the HMC: Change Language "
                  "and Locale, `chhmc -c locale`) and observe again")


def is_no_results(line: str) -> bool:
    """Whether one output line is the HMC's "no results" answer in a known locale."""
    text = unicodedata.normalize("NFC", line.strip())
    return any(text.casefold() == known.casefold() for known in NO_RESULTS.values())


# xCAT messages without an id; matched on the text left after the prefixes are stripped.
XCAT_TEXTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Could not find an object named '[^']*' of type '[^']*'"), "not_found"),
    (re.compile(r"^Invalid nodes and/or groups in noderange: "), "unknown_nodes"),
    (re.compile(r"A definition for '[^']*' already exists"), "already_exists"),
    (re.compile(r"The NIM client machine '[^']*' already exists"), "already_exists"),
    (re.compile(r"^Could not find any objects (of type '[^']*'|to display)\."), "no_objects"),
    *((re.compile(rf"^{re.escape(text)}$"), "no_results") for text in NO_RESULTS.values()),
)

_XCAT_PREFIX = re.compile(r"^(?P<sev>Error|Warning):\s?(?:\[(?P<server>[^\]]+)\]:\s?)?")
_NIM_CODE = re.compile(r"\b(?P<warn>warning: )?(?P<code>0042-\d{3})\b", re.IGNORECASE)
_HMC_CODE = re.compile(r"\b(?P<code>HSCL[0-9A-F]{4})\b")


@dataclass(frozen=True)
class Message:
    severity: Severity
    text: str  # prefixes removed
    code: str  # "0042-053", "HSCL8018", or "" when the line names none
    kind: str  # from KNOWN or XCAT_TEXTS; "" when unknown
    raw: str


def strip_prefixes(line: str, mn: str | None = None) -> tuple[Severity, str]:
    """`Error: [xcataixmn]: xcataixmn: text` -> ("error", "text"). The `<mn>: ` prefix is removed
    when it names `mn`, or the server named in brackets when `mn` is not known."""
    severity: Severity = "info"
    text = line.strip()
    m = _XCAT_PREFIX.match(text)
    if m:
        severity = "error" if m["sev"] == "Error" else "warning"
        text = text[m.end() :].strip()
        mn = mn or m["server"]
    if mn and text.startswith(f"{mn}: "):
        text = text[len(mn) + 2 :].strip()
    elif mn and text.startswith(f"[{mn}]: "):
        text = text[len(mn) + 4 :].strip()
    return severity, text


def classify(line: str, mn: str | None = None) -> Message:
    """What one output line says: its severity, text, message id and kind."""
    severity, text = strip_prefixes(line, mn)
    nim = _NIM_CODE.search(text)
    if nim:
        code = nim["code"]
        sev: Severity = "warning" if nim["warn"] else "error"
        return Message(sev, text, code, _kind(code), line)
    hmc = _HMC_CODE.search(text)
    if hmc:
        return Message("error", text, hmc["code"], _kind(hmc["code"]), line)
    for pattern, kind in XCAT_TEXTS:
        if pattern.search(text):
            return Message(severity, text, "", kind, line)
    return Message(severity, text, "", "", line)


def _kind(code: str) -> str:
    known = KNOWN.get(code)
    return known.kind if known else ""


def errors_in(output: str, mn: str | None = None) -> tuple[Message, ...]:
    """Every line of `output` that reports an error (xCAT `Error:`, a NIM code, an HSCL code)."""
    found = (classify(line, mn) for line in output.splitlines() if line.strip())
    return tuple(m for m in found if m.severity == "error")
