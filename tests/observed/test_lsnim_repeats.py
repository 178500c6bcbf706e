"""`lsnim -l` repeats an attribute once per value: a client with several `script` (or
`installp_bundle`) resources allocated shows one `script = NAME` line for each (IBM AIX "Using a
script resource": several script resources can be allocated to one client; "lsnim Command":
allocated resources are listed as TYPE = NAME). The parser keeps every value
(`NimObject.values`) while `get` keeps the last printed, as it always did.
Fixture of the full shape: fixtures/nim/lsnim_l_repeated.out."""

from __future__ import annotations

from pathlib import Path

from tests.sim.test_lab_nim_path import nim_lab, ok
from xclone.observed.canonical import digest_of
from xclone.observed.model import Observed
from xclone.observed.parsers.nim import parse_lsnim_long

TWO_SCRIPTS = ("node01:\n"
               "   class  = machines\n"
               "   type   = standalone\n"
               "   script = setupntp\n"
               "   script = confignimsh\n")


def test_every_value_of_a_repeated_attribute_is_kept_in_order() -> None:
    (machine,) = parse_lsnim_long(TWO_SCRIPTS)
    assert machine.values("script") == ("setupntp", "confignimsh")
    assert machine.get("script") == "confignimsh"
    assert machine.values("type") == ()  # class and type are the record's own fields
    assert machine.values("spot") == ()


def test_a_value_printed_once_is_one_value() -> None:
    (machine,) = parse_lsnim_long(TWO_SCRIPTS.replace("   script = confignimsh\n", ""))
    assert machine.values("script") == ("setupntp",)
    assert machine.repeats == {}


def test_a_continuation_line_extends_the_value_it_follows() -> None:
    text = TWO_SCRIPTS.replace("setupntp\n", "setupntp\n       more\n")
    (machine,) = parse_lsnim_long(text)
    assert machine.values("script") == ("setupntp\nmore", "confignimsh")


def test_the_observation_digest_sees_a_change_in_any_value() -> None:
    """The plan file's digest (observed.canonical) must change when a value other than the
    last does, or apply would run a plan made from a cluster that has since changed."""
    def digest(text: str) -> str:
        observed = Observed(xcat={}, nim={o.name: o for o in parse_lsnim_long(text)},
                            systems={}, partitions={})
        return digest_of(observed)

    assert digest(TWO_SCRIPTS) != digest(TWO_SCRIPTS.replace("setupntp", "foo"))


def test_the_lab_prints_one_line_per_allocated_script_and_the_parser_reads_them(
        tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    for script in ("setupntp", "confignimsh"):
        ok(lab, f"nim -o define -t script -a server=master "
                f"-a location=/export/nim/script_res/{script} {script}")
        ok(lab, f"nim -o allocate -a script={script} node27")
    (machine,) = parse_lsnim_long(ok(lab, "lsnim -l node27"))
    assert machine.values("script") == ("setupntp", "confignimsh")
