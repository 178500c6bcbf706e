"""HMC CLI records as `lssyscfg ... -F FIELDS` prints them: one value list per record.

The HMC quotes a field that contains the delimiter, doubles quotes for a list item that itself
contains commas, and lets a quoted field span lines (`lshmc -V`), so the WHOLE output goes through
one CSV reader, never line by line. `No results were found.` (exit 0 on V9) is an empty answer, in
English or in any locale of the table in `xclone.observed.parsers.messages`. Any other lone
sentence where records were expected (a "no results" in a language not in the table, say) is an
error that says how to make the HMC answer in English, so it never becomes a record or an empty
listing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

from xclone.base.mac import canonical_mac
from xclone.observed.parsers import messages
from xclone.observed.parsers.errors import fail

NO_RESULTS = messages.NO_RESULTS["en_US"]
# A lone sentence: words, then a full stop (Latin or CJK), no `=` (records are attr=value) and no
# HSCL code (an HMC error, judged by its code); no -F field list the probes ask for ends so.
_SENTENCE = re.compile(r"^(?!.*\bHSCL[0-9A-F]{4}\b)[^=]*\S\s+[^=]*\S[.。!]$")


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, str, list[str]]]:
    """CSV records with the number and text of the line each one starts on."""
    lines = text.splitlines()
    shown = [(no, line) for no, line in enumerate(lines, start=1) if line.strip()]
    if len(shown) == 1 and messages.is_no_results(shown[0][1]):
        return
    if len(shown) == 1 and _SENTENCE.match(shown[0][1].strip()):
        no, line = shown[0]
        raise fail(no, line, "the HMC answered with a message, not records, and it is not one "
                   f"xclone knows (an answer in another language?): {messages.HMC_LOCALE_FIX}")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            no = min(reader.line_num, len(lines)) or 1
            raise fail(no, lines[no - 1] if lines else "", f"bad CSV quoting ({exc})") from None
        first = lines[start - 1] if start <= len(lines) else ""
        if row and any(cell.strip() for cell in row):
            yield start, first, row
        start = reader.line_num + 1


def parse_fields(
    text: str, fields: Sequence[str], delimiter: str = ","
) -> tuple[Mapping[str, str], ...]:
    """Read `-F a,b,c` output: one record per entry, values mapped to `fields` by position."""
    records: list[Mapping[str, str]] = []
    for no, line, row in _rows(text, delimiter):
        if len(row) != len(fields):
            raise fail(no, line, f"{len(row)} fields where -F asked for {len(fields)}")
        records.append(MappingProxyType(dict(zip(fields, row, strict=True))))
    return tuple(records)




ETH_FIELDS = ("lpar_name", "slot_num", "mac_addr")


def parse_virtual_eth(text: str) -> tuple[tuple[str, int, str], ...]:
    """Read `lshwres -r virtualio --rsubtype eth --level lpar -F lpar_name,slot_num,mac_addr`:
    (partition, virtual slot, canonical MAC) per adapter. The HMC prints the MAC as 12 hex digits
    without separators (docs/formats.md "HMC"); any other spelling xclone.base.mac knows is read
    too, anything else is an error rather than an adapter without a MAC."""
    adapters: list[tuple[str, int, str]] = []
    for no, line, row in _rows(text, ","):
        if len(row) != len(ETH_FIELDS):
            raise fail(no, line, f"{len(row)} fields where -F asked for {len(ETH_FIELDS)}")
        name, slot_text, mac_text = row
        if not slot_text.strip().isdigit():
            raise fail(no, line, "slot_num is not a number")
        try:
            mac = canonical_mac(mac_text)
        except ValueError as exc:
            raise fail(no, line, str(exc)) from None
        adapters.append((name, int(slot_text), mac))
    return tuple(adapters)
