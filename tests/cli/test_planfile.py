"""Self-contained plan files (issue 10 §8, issue 11 §2, CONTRACT §6 and §10): `plan -o FILE` keeps
the spec's text, the connection, the version and the actions under one digest; `apply FILE`
checks them all before taking the lock and runs exactly the saved actions."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.apply.helpers import PASSWORD, Scenario
from tests.cli.helpers import NODE01, assert_refused, document, rewrite, saved_plan, untouched
from xclone.base.digest import digest
from xclone.cli.connect import ConnectionOptions
from xclone.cli.planning import build_plan
from xclone.cli.saved import read
from xclone.plan.document import from_json, to_json


def test_the_file_holds_spec_text_connection_version_and_one_digest(seed: Scenario) -> None:
    planfile, _ = saved_plan(seed, "--target", "lpar.node01")
    data = document(planfile)
    assert data["kind"] == "xclone-plan" and data["planfile_version"] == 2
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", data["xclone_version"])
    assert data["spec"]["path"] == "seed-cluster.yaml"
    assert data["spec"]["files"] == {"seed-cluster.yaml": seed.spec_file.read_text("utf-8")}
    assert data["connection"] == {"kind": "lab", "lab": "seed-lab.yaml"}
    assert data["options"] == {"targets": ["lpar.node01"], "replace": [], "destroy": False}
    assert data["plan"]["actions"] and data["plan"]["observed_digest"].startswith("sha256:")
    assert data["digest"] == digest({k: v for k, v in data.items() if k != "digest"})
    assert str(seed.dir) not in planfile.read_text("utf-8")
    assert PASSWORD not in planfile.read_text("utf-8")


@pytest.mark.slow
def test_the_printed_hint_applies_the_plan_as_printed(seed: Scenario, tmp_path: Path) -> None:
    """The hint is run through a shell exactly as printed: a lab-made plan applies to the lab
    without `--lab` again (before, it tried real SSH)."""
    _, output = saved_plan(seed)
    hint = re.search(r"run `([^`]+)` in this directory", output)
    assert hint is not None, output
    assert hint.group(1) == "xclone apply seed.plan"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    wrapper = bindir / "xclone"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m xclone "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, **seed.env, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["/bin/sh", "-c", hint.group(1)], cwd=seed.dir, env=env,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Apply complete" in done.stdout
    assert seed.mn(NODE01)[0] == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_apply_runs_exactly_the_saved_actions(seed: Scenario) -> None:
    planfile, _ = saved_plan(seed, "--target", "network.net1")
    saved = read(planfile).plan
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in seed.journals()[0].read_text().splitlines()]
    ran = [r["action"] for r in records
           if r["event"] == "command" and r.get("action") not in (None, "lock", "observe")]
    assert sorted(set(ran)) == [a.id for a in saved.actions]
    assert seed.mn(NODE01)[0] == 1


@pytest.mark.parametrize("edit", ["action", "option", "spec text", "connection"])
def test_an_edited_file_is_refused_before_the_lock(seed: Scenario, edit: str) -> None:
    planfile, _ = saved_plan(seed)
    data = document(planfile)
    if edit == "action":
        data["plan"]["actions"][-2]["argv"]["after"].append("-f")
    elif edit == "option":
        data["options"]["replace"] = ["lpar.node01"]
    elif edit == "spec text":
        data["spec"]["files"]["seed-cluster.yaml"] += "# edited\n"
    else:
        data["connection"]["lab"] = "other-lab.yaml"
    rewrite(planfile, data, fresh_digest=False)
    for command in (("apply", "seed.plan"), ("show", "seed.plan")):
        result = seed.xclone(*command)
        assert result.exit_code == 1, result.output
        assert "Error: seed.plan: the file was changed after `xclone plan -o` wrote it" \
            in result.output
        assert "Traceback" not in result.output
    assert untouched(seed)


@pytest.mark.parametrize("edit", ["drop an action", "retarget", "replace"])
def test_edited_actions_with_a_recomputed_digest_are_refused(seed: Scenario, edit: str) -> None:
    """A sha256 is no signature: the saved actions must also be what the spec plans for the
    cluster as observed, so an edit that also fixes the digest is caught under the lock."""
    planfile, _ = saved_plan(seed)
    data = document(planfile)
    if edit == "drop an action":
        data["plan"]["actions"].pop(0)
    elif edit == "retarget":
        data["options"]["targets"] = ["lpar.node01"]
    else:
        data["options"]["replace"] = ["lpar.node02"]
        data["plan"]["actions"][-2]["destructive"] = True
    rewrite(planfile, data, fresh_digest=True)
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 1, result.output
    assert "the saved actions are not the ones this spec plans" in result.output
    assert seed.mn(NODE01)[0] == 1


def test_a_plan_file_from_another_version_is_refused(seed: Scenario) -> None:
    planfile, _ = saved_plan(seed)
    data = document(planfile)
    data["xclone_version"] = "0.0.1"
    rewrite(planfile, data, fresh_digest=True)
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 1
    assert "made by xclone 0.0.1" in result.output
    assert untouched(seed)


@pytest.mark.parametrize("flag", [["--replace", "lpar.node01"], ["--target", "lpar.node01"]])
def test_target_or_replace_on_a_saved_plan_is_an_error(seed: Scenario, flag: list[str]) -> None:
    saved_plan(seed)
    result = seed.xclone("apply", "seed.plan", *flag)
    assert result.exit_code == 1
    assert "--target and --replace cannot change a saved plan" in result.output
    assert untouched(seed)


def test_a_conflicting_connection_option_is_an_error(seed: Scenario) -> None:
    saved_plan(seed)
    other = seed.dir / "other-lab.yaml"
    other.write_text(seed.lab_file.read_text("utf-8"), encoding="utf-8")
    for extra in (["--lab", str(other)], ["--ssh-config", str(other)], ["--no-verify-host-keys"]):
        result = seed.xclone("apply", "seed.plan", *extra)
        assert result.exit_code == 1, result.output
        assert "the plan was made against the lab seed-lab.yaml" in result.output
        assert "conflicts with it" in result.output
    assert "apply cannot run from a snapshot" in seed.xclone(
        "apply", "seed.plan", "--snapshot", str(seed.dir)).output
    assert untouched(seed)
    same = seed.xclone("apply", "seed.plan", "--lab", str(seed.lab_file))
    assert same.exit_code == 0, same.output


def test_a_renamed_folder_still_applies_from_its_new_place(seed: Scenario) -> None:
    saved_plan(seed)
    moved = seed.dir.with_name(seed.dir.name + "-renamed")
    seed.dir.rename(moved)
    seed.dir, seed.lab_file, seed.spec_file = (moved, moved / "seed-lab.yaml",
                                               moved / "seed-cluster.yaml")
    seed.state_root = moved / "state"
    seed.env["XCLONE_LAB_STATE"] = str(seed.state_root)
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 0, result.output
    assert seed.mn(NODE01)[0] == 0


def test_without_the_spec_on_disk_the_stored_copy_is_applied(seed: Scenario) -> None:
    saved_plan(seed)
    seed.spec_file.unlink()
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 0, result.output
    assert "using the copy of the spec stored in seed.plan" in result.output
    assert seed.mn(NODE01)[0] == 0


def test_a_spec_directory_is_stored_file_by_file(seed: Scenario) -> None:
    folder = seed.dir / "cluster"
    folder.mkdir()
    data = dict(seed.spec_data)
    lpars = data.pop("lpars")
    (folder / "main.yaml").write_text(json.dumps(data), encoding="utf-8")
    (folder / "lpars.yaml").write_text(json.dumps({"lpars": lpars}), encoding="utf-8")
    planned = seed.xclone("plan", "cluster", "--lab", str(seed.lab_file), "-o", "dir.plan")
    assert planned.exit_code == 0, planned.output
    stored = document(seed.dir / "dir.plan")["spec"]
    assert stored["path"] == "cluster" and stored["directory"] is True
    assert sorted(stored["files"]) == ["lpars.yaml", "main.yaml"]
    (folder / "lpars.yaml").unlink()
    (folder / "main.yaml").unlink()
    folder.rmdir()
    result = seed.xclone("apply", "dir.plan")
    assert result.exit_code == 0, result.output
    assert seed.mn(NODE01)[0] == 0


def test_an_edited_spec_on_disk_makes_the_plan_stale(seed: Scenario) -> None:
    saved_plan(seed)
    seed.spec_file.write_text(seed.spec_file.read_text("utf-8") + "# reviewed later\n", "utf-8")
    result = seed.xclone("apply", "seed.plan")
    assert result.exit_code == 1
    assert "the saved plan is stale (the spec changed since the plan was saved" in result.output
    assert untouched(seed)


def test_a_plan_denied_by_deny_is_not_saved(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    seed.set_lpar("node01", osimage="610sysb", state="absent")
    result = seed.plan("-o", "seed.plan", "--deny", "delete")
    assert result.exit_code == 1
    assert not (seed.dir / "seed.plan").exists()


def test_a_plan_made_from_a_snapshot_applies_to_the_cluster_it_recorded(seed: Scenario) -> None:
    observed = seed.xclone("observe", str(seed.spec_file), "--lab", str(seed.lab_file),
                           "--save", "snap")
    assert observed.exit_code == 0, observed.output
    planned = seed.xclone("plan", str(seed.spec_file), "--snapshot", "snap", "-o", "seed.plan")
    assert planned.exit_code == 0, planned.output
    assert document(seed.dir / "seed.plan")["connection"] == {"kind": "snapshot",
                                                               "snapshot": "snap"}
    result = seed.xclone("apply", "seed.plan", "--lab", str(seed.lab_file))
    assert result.exit_code == 0, result.output
    assert "The plan was made from the snapshot snap" in result.output
    assert seed.mn(NODE01)[0] == 0


def test_a_saved_plan_reads_back_to_the_same_actions(seed: Scenario,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every field of every action survives the file: an Action field that `to_json` forgets
    would make `apply FILE` run something other than what was planned."""
    for name, value in seed.env.items():
        monkeypatch.setenv(name, value)
    planned = build_plan(seed.spec_file, ConnectionOptions(lab=seed.lab_file))
    again = from_json(json.loads(json.dumps(to_json(planned.plan))))
    assert again.actions == planned.plan.actions
    assert (again.spec_digest, again.observed_digest) == (planned.plan.spec_digest,
                                                          planned.plan.observed_digest)


def test_destroy_refuses_a_plan_file(seed: Scenario) -> None:
    """A saved plan holds an apply's actions: `destroy FILE` must not run them under its name."""
    saved_plan(seed)
    result = seed.xclone("destroy", "seed.plan", "--auto-approve")
    assert result.exit_code == 1
    assert "seed.plan is a saved plan: destroy takes the SPEC" in result.output
    assert untouched(seed)


@pytest.mark.parametrize("breakage", ["truncated", "not a mapping", "old format", "no spec",
                                      "no spec files", "bad action"])
def test_a_broken_plan_file_is_one_clear_error(seed: Scenario, breakage: str) -> None:
    """Whatever the damage (even with a recomputed digest), one `Error:` naming the file."""
    planfile, _ = saved_plan(seed)
    text = planfile.read_text("utf-8")
    data = document(planfile)
    if breakage == "truncated":
        planfile.write_text(text[: len(text) // 2], encoding="utf-8")
    elif breakage == "not a mapping":
        planfile.write_text('["xclone-plan"]', encoding="utf-8")
    elif breakage == "old format":
        old = {"kind": "xclone-plan", "spec_path": "/abs/seed-cluster.yaml", "options": {},
               "plan": data["plan"]}
        planfile.write_text(json.dumps(old), encoding="utf-8")
    else:
        if breakage == "no spec":
            del data["spec"]
        elif breakage == "no spec files":
            data["spec"]["files"] = {}
            data["spec"]["content_digest"] = digest({})
        else:
            del data["plan"]["actions"][0]["argv"]
        rewrite(planfile, data, fresh_digest=True)
    assert_refused(seed)


def test_a_saved_plan_validates_against_the_published_schema(seed: Scenario) -> None:
    schemas = Path(__file__).resolve().parents[2] / "schemas"
    plan_schema = json.loads((schemas / "plan.schema.json").read_text("utf-8"))
    file_schema = json.loads((schemas / "planfile.schema.json").read_text("utf-8"))
    registry = Registry().with_resource(plan_schema["$id"],
                                        Resource.from_contents(plan_schema))
    validator = jsonschema.Draft202012Validator(file_schema, registry=registry)
    planfile, _ = saved_plan(seed)
    validator.validate(document(planfile))
    broken = document(planfile)
    broken["connection"] = {"kind": "telnet"}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
