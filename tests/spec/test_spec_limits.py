"""Inputs that are never accepted (issue 11 §7, §9, §10): control characters anywhere, huge
values, ranges and files, deep nesting and alias bombs, each one clear error, never a traceback.

The limits are the documented ones (docs/safety.md, "Inputs"); assertions count diagnostics and
read messages, never the clock, so a slow machine cannot make them flaky.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import fuzz_examples
from xclone.base.errors import XcloneError
from xclone.spec import load_spec
from xclone.spec.limits import MAX_VALUE, PER_RULE

from .conftest import EXAMPLES, ROOT

SEED = (EXAMPLES / "seed-cluster.yaml").read_text(encoding="utf-8")
SEED_LAB = EXAMPLES / "seed-lab.yaml"
# C0 (tab and newline included), DEL and C1: none may reach a command line or an xCAT table.
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]


def _seed_data() -> dict[str, Any]:
    data = yaml.safe_load(SEED)
    data["site"]["attributes"] = {"maxssh": "8", "xcatdefaults": "syslog,remoteshell"}
    return dict(data)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every string of the document; a path ending in ("key",) means the key itself."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*path, key, ("key",)))
            found.extend(_leaves(value, (*path, key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(_leaves(item, (*path, index)))
    elif isinstance(data, str):
        found.append(path)
    return found


def _poison(data: Any, path: tuple[Any, ...], char: str, where: int) -> Any:
    """A copy of `data` with `char` inserted into the string (or key) at `path`."""
    head, rest = path[0], path[1:]
    if rest == (("key",),):
        old = str(head)
        new = old[: where % (len(old) + 1)] + char + old[where % (len(old) + 1):]
        return {(new if k == head else k): v for k, v in data.items()}
    if not rest:
        old = data[head]
        data = dict(data) if isinstance(data, dict) else list(data)
        data[head] = old[: where % (len(old) + 1)] + char + old[where % (len(old) + 1):]
        return data
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _poison(data[head], rest, char, where)
    return copy


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


SEED_DATA = _seed_data()
LEAVES = _leaves(SEED_DATA)


@settings(max_examples=fuzz_examples(200), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(leaf=st.sampled_from(LEAVES), char=st.sampled_from(CONTROLS), where=st.integers(0, 40))
def test_a_control_character_in_any_string_is_refused_where_it_is_written(
        tmp_path: Path, leaf: tuple[Any, ...], char: str, where: int) -> None:
    path = tmp_path / "poisoned.yaml"
    path.write_text(yaml.safe_dump(_poison(SEED_DATA, leaf, char, where), allow_unicode=False),
                    encoding="utf-8")
    with pytest.raises(XcloneError) as failure:
        load_spec(path)
    messages = [d.message for d in failure.value.diagnostics]
    assert any(f"(U+{ord(char):04X})" in m for m in messages), messages
    assert all(d.location is not None for d in failure.value.diagnostics)
    assert all(char not in d.format() for d in failure.value.diagnostics)


@settings(max_examples=fuzz_examples(200), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, len(SEED)), char=st.sampled_from(CONTROLS),
       form=st.sampled_from(["escape", "raw", "block"]))
def test_no_control_character_survives_validation(tmp_path: Path, position: int, char: str,
                                                  form: str) -> None:
    """Written any way YAML allows (a double-quoted escape, the raw byte, a block scalar),
    anywhere in the seed spec: the load fails, or the spec it gives holds no control character."""
    piece = {"escape": f'"x\\x{ord(char):02x}y"', "raw": char, "block": "|\n  a\n  b\n"}[form]
    text = SEED[:position] + piece + SEED[position:]
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        spec = load_spec(path)
    except XcloneError as exc:
        assert exc.diagnostics
        return
    assert not [s for s in _strings(spec.model_dump()) if any(c in s for c in CONTROLS)]


def _xclone(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xclone", *args], cwd=cwd, capture_output=True, text=True,
        check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HMC01_PASSWORD": "abc123",
             "XCLONE_LAB_STATE": str(cwd / "state")},
    )


def _one_error(done: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert fragment in done.stderr, done.stderr
    assert "invalid: 1 error" in done.stderr or done.stderr.count("\n") <= 2, done.stderr


@pytest.mark.slow
def test_newline_in_a_site_attribute_is_refused_by_validate_and_plan(tmp_path: Path) -> None:
    """The issue's forged attribute: a second line that would read as `master=6.6.6.6`."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(SEED.replace("site: {ppctimeout: 180}",
                                 'site: {ppctimeout: 180, attributes: {maxssh: "3001\\nmaster'
                                 '=6.6.6.6"}}'), encoding="utf-8")
    expected = f"{spec}:7:46: site.clustersite: site.attributes.maxssh contains a newline"
    _one_error(_xclone("validate", str(spec), cwd=tmp_path), expected)
    plan = _xclone("plan", str(spec), "--lab", str(SEED_LAB), cwd=tmp_path)
    assert plan.returncode == 1 and "Traceback" not in plan.stderr
    assert expected in plan.stderr and "master=6.6.6.6" not in plan.stdout + plan.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("char", "message"), [
    ("x", f"site.attributes.maxssh is 3,000,000 characters long; at most {MAX_VALUE:,} are "
          "allowed"),
    ("7", "number of 3,000,000 digits is too long to be a value"),
], ids=["text", "number"])
def test_a_3_mb_value_is_one_error(tmp_path: Path, char: str, message: str) -> None:
    value = char * 3_000_000
    spec = tmp_path / "spec.yaml"
    spec.write_text(SEED.replace("site: {ppctimeout: 180}",
                                 f"site: {{ppctimeout: 180, attributes: {{maxssh: {value}}}}}"),
                    encoding="utf-8")
    done = _xclone("validate", str(spec), cwd=tmp_path)
    _one_error(done, f"{spec}:7:46: ")
    assert message in done.stderr
    assert len(done.stderr) < 1_000


@pytest.mark.slow
def test_a_ten_million_name_range_is_refused_before_expanding(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SEED + "lpar_ranges:\n  - {names: 'big[0000001-9999999]', first_id: 100,"
                           " first_ip: 9.114.113.240, profile: p}\n", encoding="utf-8")
    done = _xclone("validate", str(spec), cwd=tmp_path)
    _one_error(done, "names 'big[0000001-9999999]' gives 9,999,999 LPAR names; a spec may hold"
                     " at most 100,000 LPARs")
    assert done.stderr.count("\n") == 2


@pytest.mark.slow
def test_repeated_errors_are_capped_per_rule(tmp_path: Path) -> None:
    """500 LPARs whose ids another range already uses: 20 shown, then one line for the other
    480. (A range running past its network is one error for the whole range, so the repeating
    rule here is the per-LPAR id clash.)"""
    data = yaml.safe_load(SEED)
    data["networks"]["net1"].update({"net": "9.114.0.0", "mask": "255.255.0.0"})
    data["lpar_ranges"] = [
        {"names": "x[001-500]", "first_id": 100, "first_ip": "9.114.1.1", "profile": "p"},
        {"names": "y[001-500]", "first_id": 100, "first_ip": "9.114.3.1", "profile": "p"},
    ]
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    done = _xclone("validate", str(spec), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    clashes = [line for line in done.stderr.splitlines() if "is also used by lpar.x" in line]
    assert len(clashes) == PER_RULE
    assert "... and 480 more like the previous error" in done.stderr
    assert f"{spec}: invalid: 500 errors" in done.stderr


@pytest.mark.slow
def test_a_file_over_10_mb_is_refused_unread(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SEED + "#" + "x" * (10 * 1024 * 1024) + "\n", encoding="utf-8")
    _one_error(_xclone("validate", str(spec), cwd=tmp_path),
               "a spec file may be at most 10,485,760")


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.slow
@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("kind", ["spec", "lab", "neither"])
def test_deep_nesting_is_one_clear_error(tmp_path: Path, depth: int, kind: str) -> None:
    """Spec files, lab files (recognised by their top-level keys) and anything else."""
    head = {"spec": "version: 1\ncluster: c1\n", "lab": "version: 1\nclock: {}\n",
            "neither": ""}[kind]
    path = tmp_path / "deep.yaml"
    path.write_text(f"{head}x: {_deep(depth)}\n", encoding="utf-8")
    _one_error(_xclone("validate", str(path), cwd=tmp_path), "YAML nested more than 64 levels")


@pytest.mark.slow
def test_deep_nesting_through_plan_spec_and_lab(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text(f"version: 1\ncluster: c1\nx: {_deep(100_000)}\n", encoding="utf-8")
    lab = tmp_path / "lab.yaml"
    lab.write_text(f"version: 1\nclock: {{}}\nx: {_deep(100_000)}\n", encoding="utf-8")
    seed = tmp_path / "seed.yaml"
    seed.write_text(SEED, encoding="utf-8")
    for spec, lab_file in ((deep, SEED_LAB), (seed, lab)):
        done = _xclone("plan", str(spec), "--lab", str(lab_file), cwd=tmp_path)
        assert done.returncode == 1, done.stdout
        assert "Traceback" not in done.stdout + done.stderr
        assert "YAML nested more than 64 levels deep" in done.stderr


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.slow
@pytest.mark.parametrize("head", ["version: 1\ncluster: c1\n", "version: 1\nclock: {}\n"])
def test_billion_laughs_is_refused(tmp_path: Path, head: str) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(head + "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + BOMB, encoding="utf-8")
    _one_error(_xclone("validate", str(path), cwd=tmp_path),
               "document expands to more than 1,000,000 values")


@pytest.mark.slow
def test_the_lpar_limit_itself_is_accepted(tmp_path: Path) -> None:
    """100,000 LPARs (ranges at the limit, absent) load: the limit refuses, not less. A managed
    system holds at most 1,000 partition ids, so the ranges spread over 100 of them."""
    ranges = "".join(f"  - {{names: 'x{cec:02d}n[0001-{1000 - 2 * (cec == 0):04d}]', "
                     f"cec: Server-9117-MMA-SN{cec:07d}, first_id: 1, profile: p, "
                     "state: absent}\n" for cec in range(100))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SEED + "lpar_ranges:\n" + ranges, encoding="utf-8")
    assert len(load_spec(spec).lpars) == 100_000
