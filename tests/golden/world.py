"""A golden scenario's world: a spec and a lab file in a temporary directory, the real CLI run
in-process against them, and the normalisation that makes its outputs byte-stable.

What is normalised, and why (everything else is recorded as printed):
- the temporary directory becomes `<dir>` (spec paths in messages);
- a lock holder's id (the 12 hex digits of the lock's `.new-ID` and `holder-ID` paths; a MAC
  elsewhere is recorded as printed) becomes `<lock>`, run ids (8 hex digits after a `-` in a
  journal's name) become `<journal>`, and apply's `Journal:` line is dropped, as is the
  `Lab state:` line on stderr (it names the temporary state folder; the JSON and markdown plans
  are stdout only);
- apply's progress lines (`[mm:ss] 003 ...: started|done in 0.0s`) are dropped: parallel branches
  interleave in any order; the journal's commands are recorded per action instead;
- journal timestamps, durations and stdout/stderr tails are dropped; the observation commands,
  which run concurrently, are recorded sorted, and so is each run of an install wait's per-node
  nimsh checks (sent at the same time for the nodes that booted in one poll).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.apply.helpers import dump, invoke_in, load, preseed
from xclone.sim import Lab

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
INPUTS = Path(__file__).resolve().parent / "inputs"
PASSWORDS = {"HMC01_PASSWORD": "abc123", "HMC001_PASSWORD": "abc123"}
HMC02_PASSWORD = "def456"

_PROGRESS = re.compile(r"^\[\d\d:\d\d\] ")
LAB_LINE = "Lab state: "  # on stderr, naming the temporary state folder (cli/labstate.py)
_LOCK_ID = re.compile(r"(\.new-|holder-)[0-9a-f]{12}\b")
_JOURNAL = re.compile(r"\.xclone/runs/[0-9TZ]+-[0-9a-f]{8}\.jsonl")


class World:
    """One spec against one lab, with the lab's clock instant so waits take no real time."""

    def __init__(self, where: Path, spec: Path, lab: Path,
                 faults: list[dict[str, Any]] | None = None) -> None:
        self.dir = where
        lab_data = load(lab)
        lab_data["clock"] = {"instant": True}
        if faults:
            lab_data["faults"] = faults
        self.mn_host = str(lab_data["management_node"]["name"])
        self.lab_file = where / "lab.yaml"
        self.lab_file.write_text(dump(lab_data), encoding="utf-8")
        preseed(self.lab_file, where / "state" / self.lab_file.stem)
        self.spec_data: dict[str, Any] = load(spec)
        self.spec_file = where / spec.name
        self.write_spec()
        home = where / "home"
        (home / ".xclone").mkdir(parents=True)
        (home / ".xclone" / "hmc02.password").write_text(HMC02_PASSWORD + "\n", "utf-8")
        self.env = {**PASSWORDS, "XCLONE_LAB_STATE": str(where / "state"), "NO_COLOR": "1",
                    "HOME": str(home), "COLUMNS": "100"}

    def write_spec(self) -> None:
        self.spec_file.write_text(dump(self.spec_data), "utf-8")

    @property
    def lab(self) -> Lab:
        return Lab.for_file(self.lab_file, self.dir / "state")

    def mn(self, command: str, stdin: str | None = None) -> str:
        """A command typed on the management node, as an administrator would."""
        result = self.lab.execute(self.mn_host, command, stdin)
        assert result.exit_status == 0, f"{command}: {result.stderr}"
        return result.stdout

    def xclone(self, *args: str) -> Result:
        return invoke_in(self.dir, self.env, args)

    def plan(self, *extra: str) -> Result:
        return self.xclone("plan", str(self.spec_file), "--lab", str(self.lab_file), *extra)

    def apply(self) -> Result:
        return self.xclone("apply", str(self.spec_file), "--lab", str(self.lab_file),
                           "--auto-approve")

    def journals(self) -> list[Path]:
        return sorted((self.dir / ".xclone" / "runs").glob("*.jsonl"),
                      key=lambda p: p.stat().st_mtime_ns)

    def normalise(self, text: str) -> str:
        text = text.replace(str(self.dir), "<dir>")
        return _JOURNAL.sub("<journal>", _LOCK_ID.sub(r"\1<lock>", text))

    def shown(self, result: Result) -> str:
        """A command's output as recorded: its exit code, then its output (stdout and stderr as
        a terminal shows them) without progress and without the lab's state folder line."""
        lines = [line for line in result.output.splitlines()
                 if not _PROGRESS.match(line) and not line.startswith(("Journal: ", LAB_LINE))]
        return self.normalise(f"exit {result.exit_code}\n" + "\n".join(lines) + "\n")

    def journal_commands(self, journal: Path) -> str:
        """The commands a run sent, per action id in id order, each action's in the order sent."""
        records = [json.loads(line) for line in journal.read_text("utf-8").splitlines()]
        per_action: dict[str, list[str]] = {}
        for record in records:
            if record["event"] != "command":
                continue
            line = f"{record['host']} [{record['exit_status']}] {record['command']}"
            if record.get("stdin"):
                line += "\n    | " + "\n    | ".join(str(record["stdin"]).splitlines())
            per_action.setdefault(str(record["action"]), []).append(line)
        if "observe" in per_action:
            per_action["observe"].sort()
        for lines in per_action.values():
            _sort_node_checks(lines)
        out = []
        for action in sorted(per_action):
            out.append(f"{action}:")
            out.extend(f"  {line}" for line in per_action[action])
        end = next((r for r in records if r["event"] == "run.end"), None)
        if end is not None:
            summary = {k: sorted(v) if isinstance(v, list) else v for k, v in end.items()
                       if k not in ("ts", "event")}
            out.append("run.end: " + json.dumps(summary, sort_keys=True))
        return self.normalise("\n".join(out) + "\n")


def record_plans(world: World) -> dict[str, str]:
    """The text, JSON and markdown plans of the world as it stands."""
    text = world.plan()
    as_json = world.plan("--format", "json")
    markdown = world.plan("--format", "markdown")
    return {"plan.txt": world.shown(text), "plan.json": world.normalise(as_json.stdout),
            "plan.md": world.normalise(markdown.stdout)}


def record_apply(world: World, name: str = "apply.txt") -> dict[str, str]:
    """One apply's output, then the commands its journal recorded."""
    result = world.apply()
    journal = world.journals()[-1]
    return {name: world.shown(result) + "--- journal ---\n" + world.journal_commands(journal)}


def record_plans_and_apply(world: World) -> dict[str, str]:
    return {**record_plans(world), **record_apply(world)}


_NODE_CHECK = re.compile(r"\] LC_ALL=C (nim -o lslpp|nimquery -a host=)")


def _sort_node_checks(lines: list[str]) -> None:
    """An install wait checks the nodes that booted in one poll at the same time (nimsh: `nim -o
    lslpp`, `nimquery`), so each run of those checks is recorded sorted, in place."""
    start = 0
    while start < len(lines):
        if not _NODE_CHECK.search(lines[start]):
            start += 1
            continue
        end = start
        while end < len(lines) and _NODE_CHECK.search(lines[end]):
            end += 1
        lines[start:end] = sorted(lines[start:end])
        start = end
