"""One canonical MAC on both sides of the diff: a converged cluster plans nothing, whatever
spelling xCAT shows (issue 10 §4).

xCAT 2.9.2 stores the node `mac` attribute as typed (DBobjectdefs.pm does not check it); it may
be a `|` list of `MAC!hostname` entries whose first is the install MAC (Schema.pm `mac` table
description; dhcp.pm splits on `|` then `!`; xcat2nim.pm and aixinstall.pm strip colons).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.apply.helpers import Scenario
from tests.plan.builders import MARK, converged_lab, seed_spec, with_objects
from xclone.base.mac import attribute_macs, canonical_mac, install_mac
from xclone.observed.model import XcatObject
from xclone.plan.planner import make_plan

SPEC_MAC = "fef9dfb7c602"


@st.composite
def spellings(draw: st.DrawFn, mac: str) -> str:
    """One way an administrator (or a tool) may have typed `mac` into xCAT."""
    octets = [mac[i:i + 2] for i in range(0, 12, 2)]
    octets = [draw(st.sampled_from([o, o.upper()])) for o in octets]
    if draw(st.booleans()):
        octets = [o.lstrip("0") or "0" if draw(st.booleans()) else o for o in octets]
        text = draw(st.sampled_from([":", "-"])).join(octets)
    else:
        plain = "".join(octets).rjust(12, "0")
        text = draw(st.sampled_from([plain, f"{plain[:4]}.{plain[4:8]}.{plain[8:]}"]))
    if draw(st.booleans()):
        text += "!" + draw(st.sampled_from(["node02", "node02-en0"]))
    if draw(st.booleans()):
        text += "|" + draw(st.sampled_from(["FE:F9:DF:B7:C6:03!node02-en1", "fef9dfb7c604"]))
    return text


@given(spellings(SPEC_MAC))
def test_every_spelling_of_the_install_mac_is_the_same_mac(text: str) -> None:
    assert install_mac(text) == SPEC_MAC
    assert attribute_macs(text)[0] == SPEC_MAC


@given(spellings(SPEC_MAC))
def test_converged_cluster_plans_nothing_whatever_mac_spelling(text: str) -> None:
    spec = seed_spec()
    obs = converged_lab(spec)
    node02 = dict(obs.xcat["node"]["node02"].attrs, mac=text)
    plan = make_plan(spec, with_objects(obs, [XcatObject("node", "node02", node02)], []), "o")
    assert plan.empty, [a.command().display() for a in plan.actions]


def test_another_install_mac_is_a_change_even_when_the_spec_mac_is_listed_later() -> None:
    spec = seed_spec()
    obs = converged_lab(spec)
    node02 = dict(obs.xcat["node"]["node02"].attrs, mac=f"fef9dfb7c699|{SPEC_MAC}!node02",
                  usercomment=MARK)
    plan = make_plan(spec, with_objects(obs, [XcatObject("node", "node02", node02)], []), "o")
    assert [a.command().display() for a in plan.actions] == [
        f"LC_ALL=C chdef node02 mac={SPEC_MAC}"]


@pytest.mark.parametrize("bad", ["fef9dfb7c60", "fe:f9:df:b7:c6:zz", "fef9d.fb7c602", "fe:f9"])
def test_malformed_macs_are_refused_and_unknown_as_install_mac(bad: str) -> None:
    with pytest.raises(ValueError, match="is not 12 hex digits"):
        canonical_mac(bad)
    assert install_mac(bad) is None


def test_lab_mac_respelled_after_apply_plans_nothing(tmp_path: Path) -> None:
    """Through the CLI: after a converged apply an administrator retypes node02's MAC in
    upper case with colons and an `!host` suffix; `plan --detailed-exitcode` still exits 0."""
    lab = Scenario(tmp_path)
    assert lab.converge().exit_code == 0
    status, _, err = lab.mn("chdef -t node -o node02 'mac=FE:F9:DF:B7:C6:02!node02'")
    assert status == 0, err
    assert "FE:F9:DF:B7:C6:02!node02" in lab.mn("lsdef node02 -i mac")[1]
    result = lab.plan("--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output


@given(spellings(SPEC_MAC).filter(lambda t: "|" not in t and "!" not in t),
       spellings(SPEC_MAC))
def test_spec_and_xcat_spellings_may_both_differ(spec_text: str, xcat_text: str) -> None:
    spec = seed_spec(node02={"mac": spec_text})
    assert spec.lpars["node02"].mac == SPEC_MAC
    obs = converged_lab(spec)
    node02 = dict(obs.xcat["node"]["node02"].attrs, mac=xcat_text)
    plan = make_plan(spec, with_objects(obs, [XcatObject("node", "node02", node02)], []), "o")
    assert plan.empty
