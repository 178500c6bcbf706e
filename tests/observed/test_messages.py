"""The message table: prefixes of every xCAT release, NIM codes, HMC codes, id-less xCAT texts."""

from __future__ import annotations

import pytest

from xclone.observed.parsers.messages import KNOWN, classify, errors_in, strip_prefixes

PREFIXES = [
    ("Error: Could not find an object named 'node99' of type 'node'.", None,
     ("error", "Could not find an object named 'node99' of type 'node'.")),
    ("Error: [xcataixmn]: xcataixmn: The NIM bos_inst operation failed for 'node01'.", None,
     ("error", "The NIM bos_inst operation failed for 'node01'.")),
    ("Error: xcataixmn: Missing network mask for node 'node01'.", "xcataixmn",
     ("error", "Missing network mask for node 'node01'.")),
    ("Warning: [xcataixmn]: A definition for 'node01' already exists. No changes will be made.",
     None, ("warning", "A definition for 'node01' already exists. No changes will be made.")),
    ("xcataixmn: AIX/NIM nodes were initialized.", "xcataixmn",
     ("info", "AIX/NIM nodes were initialized.")),
    ("xcataixmn: AIX/NIM nodes were initialized.", None,
     ("info", "xcataixmn: AIX/NIM nodes were initialized.")),
    ("Error: ", None, ("error", "")),
    ("Warning: Ignoring node 'node01', it can not be resolved.", None,
     ("warning", "Ignoring node 'node01', it can not be resolved.")),
]


@pytest.mark.parametrize(("line", "mn", "want"), PREFIXES)
def test_strip_prefixes(line: str, mn: str | None, want: tuple[str, str]) -> None:
    assert strip_prefixes(line, mn) == want


CLASSIFIED = [
    ('0042-053 lsnim: there is no NIM object named "node99"', "error", "0042-053", "not_found"),
    ('0042-001 nim: processing error encountered on "master":', "error", "0042-001", "wrapper"),
    ("   0042-081 m_mkres: the resource already exists", "error", "0042-081", "already_exists"),
    ("   0042-032 m_mkmac: the object name must be unique", "error", "0042-032", "already_exists"),
    ("rc=175 0042-175 c_mk_nimclient: An unexpected result was returned", "error", "0042-175",
     "command_failed"),
    ("0042-207 m_showres: Unable to allocate the resolv_conf resource", "error", "0042-207",
     "cannot_allocate"),
    ("0042-154 c_stat: the file or directory \"/x\" does not exist", "error", "0042-154",
     "no_such_file"),
    ("warning: 0042-360 m_bos_inst: a newer level was found", "warning", "0042-360", ""),
    ("HSCL8012 The partition named node99 was not found.", "error", "HSCL8012", "not_found"),
    ("HSCL8018 The managed system was not found.", "error", "HSCL8018", "not_found"),
    ("HSCL350B Brak uprawnien do wykonania komendy.", "error", "HSCL350B", "not_authorised"),
    ("HSCLA4C0 Zarzadzany system nie obsluguje tej funkcji.", "error", "HSCLA4C0", "unsupported"),
    ("HSCL1234 something we do not know", "error", "HSCL1234", ""),
    ("Error: [xcataixmn]: Invalid nodes and/or groups in noderange: node98", "error", "",
     "unknown_nodes"),
    ("Warning: [xcataixmn]: A definition for 'node01' already exists. No changes will be made.  "
     "Run again with '-f' option to force replace.", "warning", "", "already_exists"),
    ("Could not find any objects of type 'osimage'.", "info", "", "no_objects"),
    ("No results were found.", "info", "", "no_results"),
    ("2 object definitions have been created or modified.", "info", "", ""),
]


@pytest.mark.parametrize(("line", "severity", "code", "kind"), CLASSIFIED)
def test_classify(line: str, severity: str, code: str, kind: str) -> None:
    message = classify(line)
    assert (message.severity, message.code, message.kind) == (severity, code, kind)
    assert message.raw == line


def test_table_covers_the_documented_ids() -> None:
    documented = {"0042-001", "0042-053", "0042-081", "0042-032", "0042-175", "0042-207",
                  "0042-154", "HSCL8012", "HSCL8018", "HSCL350B", "HSCLA4C0"}
    assert set(KNOWN) == documented


def test_errors_in_keeps_only_errors() -> None:
    output = "Warning: w\n1 object definitions have been removed.\nError: e\nHSCL8018 gone\n"
    assert [m.text for m in errors_in(output)] == ["e", "HSCL8018 gone"]
