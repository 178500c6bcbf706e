"""Imports go one way (STYLE.md, issue 13 item 8): a forbidden import anywhere in xclone/ fails
this test, whatever its form (`import xclone.x`, `from xclone.x import y`, `from xclone import x`,
relative imports, and a module named by string for `importlib`: the driver registry, the lab's
handler table and the CLI's command table import that way), in packages and top-level modules
alike, plus the finer rules inside packages.

The checker is fed the real tree and, to prove each rule bites, synthetic trees in tmp_path."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "xclone"

# package -> xclone packages it may import (itself, and the root package's `__init__`, which
# holds only the version and imports nothing, always allowed)
ALLOWED = {
    "base": set(),
    "spec": {"base"},
    "observed": {"base"},
    "transport": {"base"},
    "plan": {"base", "spec", "observed"},
    "render": {"base", "spec", "plan", "apply"},  # spec diffs; apply progress events
    "apply": {"base", "plan", "observed", "transport"},
    "sim": {"base"},
    "drivers": {"base", "spec", "observed", "plan", "apply", "transport"},
    "cli": {"base", "spec", "observed", "transport", "plan", "render", "apply", "sim",
            "drivers"},
}
# top-level module -> xclone packages it may import
ROOT_MODULES = {"__init__": set(), "__main__": {"cli"}}
# what apply may see of the planner: the plan document and its actions, nothing that decides
PLAN_PUBLIC = {"xclone.plan", "xclone.plan.document", "xclone.plan.action"}
PARSERS = ("observed", "parsers")
# The driver seam: the core resolves a driver by name in the registry and types it with the
# protocol; every other module under drivers/ is out of the core's reach.
SEAM = {"xclone.drivers", "xclone.drivers.registry", "xclone.drivers.protocol"}
# A whole string naming a module, as `importlib.import_module` takes it ("xclone.sim.hmc", or with
# the attribute after a colon as the lab's handler table writes it: "xclone.sim.hmc:lssyscfg").
BY_NAME = re.compile(r"(\w+(?:\.\w+)+)(?::\w+)?")


def module_name(path: Path, root: Path) -> str:
    """`root/plan/graph.py` -> `xclone.plan.graph`; a package's `__init__.py` is the package."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str, root: Path) -> bool:
    rel = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (root / rel).is_dir() or (root / rel).with_suffix(".py").is_file()


def imports(path: Path, root: Path) -> set[str]:
    """The absolute names of the xclone modules `path` imports, relative imports resolved,
    `from PKG import NAME` read as the submodule PKG.NAME when NAME is one, and every string
    that is an existing module's dotted name counted as an import of it (a logger called
    "xclone.apply" inside apply/ is then an import of itself, which every rule allows)."""
    return set(_imports_in(path, root, path.read_text(encoding="utf-8")))


@functools.cache
def _imports_in(path: Path, root: Path, text: str) -> frozenset[str]:
    """`imports`, parsed once per file text: every rule reads the whole tree (the fast loop)."""
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                # the root package exports only dunders (`__version__`): any other name is a
                # package, even one that does not exist yet
                named = _is_module(sub, root) or (target == root.name
                                                   and not alias.name.startswith("__"))
                found.add(sub if named else target)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and (by_name := BY_NAME.fullmatch(node.value)) \
                and by_name.group(1).startswith(root.name + ".") \
                and _is_module(by_name.group(1), root):
            found.add(by_name.group(1))
    prefix = root.name
    return frozenset(m for m in found if m == prefix or m.startswith(prefix + "."))


def _files(root: Path) -> Iterator[tuple[Path, tuple[str, ...], set[str]]]:
    for path in sorted(root.rglob("*.py")):
        yield path, path.relative_to(root).parts, imports(path, root)


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def package_violations(root: Path) -> list[str]:
    """Each package imports only the packages below it; each top-level module only its own."""
    out = []
    for path, parts, used in _files(root):
        rel = "/".join(parts)
        if len(parts) == 1:
            allowed = ROOT_MODULES.get(path.stem)
            if allowed is None:
                out.append(f"{rel}: new top-level module: add it to ROOT_MODULES")
                continue
            bad = {_top(m) for m in used} - allowed - {path.stem}
        else:
            package = parts[0]
            if package not in ALLOWED:
                out.append(f"{rel}: new package {package}: add it to the layer table")
                continue
            bad = {_top(m) for m in used - SEAM} - ALLOWED[package] - {package, "__init__"}
        if bad:
            out.append(f"{rel} imports {sorted(bad)}")
    return out


def parser_violations(root: Path) -> list[str]:
    """Parsers turn text into data: they may use `base` and each other, nothing of `observed`."""
    return [f"{'/'.join(parts)} imports {sorted(bad)}"
            for _, parts, used in _files(root) if parts[:2] == PARSERS
            if (bad := {m for m in used if _top(m) != "base"
                        and not m.startswith(f"{root.name}.observed.parsers")})]


def apply_violations(root: Path) -> list[str]:
    """The executor runs a plan; it never sees how the plan was decided, nor any driver."""
    return [f"{'/'.join(parts)} imports {sorted(bad)}"
            for _, parts, used in _files(root) if parts[0] == "apply"
            if (bad := {m for m in used if (_top(m) == "plan" and m not in PLAN_PUBLIC)
                        or (_top(m) == "drivers" and m not in SEAM)})]


def sim_violations(root: Path) -> list[str]:
    """The simulator shares no code with what it is tested against (only `base`)."""
    return [f"{'/'.join(parts)} imports {sorted(bad)}"
            for _, parts, used in _files(root) if parts[0] == "sim"
            if (bad := {m for m in used if _top(m) not in ("sim", "base", "__init__")})]


def driver_violations(root: Path) -> list[str]:
    """A driver is a folder under drivers/; no driver imports another one (shared code lives in
    drivers/*.py modules or in the core)."""
    folders = {p.name for p in (root / "drivers").glob("*") if p.is_dir()} - {"__pycache__"}
    out = []
    for _, parts, used in _files(root):
        if parts[0] != "drivers" or len(parts) < 3:
            continue
        others = {m.split(".")[2] for m in used if _top(m) == "drivers" and m.count(".") >= 2}
        if bad := (others & folders) - {parts[1]}:
            out.append(f"{'/'.join(parts)} imports the driver(s) {sorted(bad)}")
    return out


RULES: dict[str, Callable[[Path], list[str]]] = {
    "packages": package_violations,
    "parsers": parser_violations,
    "apply": apply_violations,
    "sim": sim_violations,
    "drivers": driver_violations,
}
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize("rule", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name]))
    if name in KNOWN else name for name in RULES])
def test_xclone_follows_the_rule(rule: str) -> None:
    found = RULES[rule](ROOT)
    assert not found, "\n".join(found)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A synthetic xclone/ tree: every folder a package, each file's text as given."""
    root = tmp_path / "xclone"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


BAD = [
    ("packages", "plan/graph.py", "import xclone.transport.ssh\n"),
    ("packages", "plan/graph.py", "from xclone.apply.executor import run\n"),
    ("packages", "plan/graph.py", "from xclone import transport\n"),
    ("packages", "plan/graph.py", "from ..transport import ssh\n"),
    ("packages", "plan/resources/lpar.py", "from ...apply import executor\n"),
    ("packages", "plan/graph.py", "from .. import render\n"),
    ("packages", "plan/planner.py", "from xclone.drivers.xcat import kinds\n"),
    ("packages", "observed/observe.py", "from ..drivers.xcat.probes import first_round\n"),
    ("packages", "plan/graph.py", "def f():\n    import xclone.cli.main\n"),
    ("packages", "plan/graph.py",
     "import importlib\nSSH = importlib.import_module('xclone.transport.ssh')\n"),
    ("packages", "observed/observe.py", "HANDLERS = {'run': 'xclone.apply.executor:run'}\n"),
    ("packages", "__init__.py", "from xclone.plan import graph\n"),
    ("packages", "__main__.py", "from xclone.sim import lab\n"),
    ("packages", "helpers.py", ""),
    ("packages", "newpkg/thing.py", ""),
    ("parsers", "observed/parsers/lsdef.py", "from xclone.observed.model import XcatObject\n"),
    ("parsers", "observed/parsers/lsdef.py", "from .. import messages\n"),
    ("apply", "apply/executor.py", "from xclone.plan.planner import make_plan\n"),
    ("apply", "apply/executor.py", "from xclone.plan import graph\n"),
    ("apply", "apply/executor.py", "from ..drivers.xcat import judges\n"),
    ("sim", "sim/world.py", "from xclone.observed.parsers import lsdef\n"),
    ("sim", "sim/world.py", "from xclone.transport import sim\n"),
    ("sim", "sim/world.py", "LSDEF = 'xclone.observed.parsers.lsdef:parse'\n"),
    ("drivers", "drivers/nim/probes.py", "from xclone.drivers.xcat import probes\n"),
    ("drivers", "drivers/nim/probes.py", "from ..xcat.kinds import Kind\n"),
    ("drivers", "drivers/nim/sub/deep.py", "from ...xcat import kinds\n"),
]
HELPERS = {"transport/ssh.py": "", "apply/executor.py": "", "cli/main.py": "",
           "observed/messages.py": "", "observed/model.py": "", "plan/planner.py": "",
           "plan/graph.py": "", "drivers/xcat/probes.py": "", "drivers/xcat/kinds.py": "",
           "drivers/xcat/judges.py": "", "observed/parsers/lsdef.py": "", "sim/lab.py": ""}


@pytest.mark.parametrize(("rule", "rel", "text"), BAD, ids=[f"{r}:{t.strip()}" for r, _, t in BAD])
def test_a_forbidden_import_is_caught(tmp_path: Path, rule: str, rel: str, text: str) -> None:
    root = _tree(tmp_path, {**HELPERS, rel: text})
    found = RULES[rule](root)
    assert any(f.startswith(rel) for f in found), found


GOOD = [
    "apply/executor.py: from xclone.plan.action import Action\n"
    "from xclone.plan import document\nfrom ..plan.document import Plan\nimport xclone\n",
    "observed/parsers/lsdef.py: from xclone.base.errors import XcloneError\nfrom . import errors\n",
    "sim/world.py: from xclone import __version__\nfrom .lab import Lab\n",
    "drivers/nim/probes.py: from xclone.drivers import protocol\nfrom ..nim import kinds\n",
    "cli/main.py: from xclone.drivers.xcat import probes\nfrom xclone import __version__\n",
    "plan/planner.py: from xclone.drivers import registry\n",
    "apply/executor.py: from ..drivers import registry\n"
    "from xclone.drivers.protocol import Driver\n",
    "__main__.py: from xclone.cli.main import main\n",
    "plan/graph.py: LOG = 'xclone.plan'\nNOTE = 'xclone.transport.ssh is never imported here'\n",
    "sim/serve.py: ARGV = ('python', '-m', 'xclone.sim.lab')\n",
]


@pytest.mark.parametrize("case", GOOD, ids=[c.split(":")[0] for c in GOOD])
def test_allowed_imports_pass(tmp_path: Path, case: str) -> None:
    rel, text = case.split(": ", 1)
    root = _tree(tmp_path, {**HELPERS, "observed/parsers/errors.py": "", "sim/lab.py": "",
                            "drivers/protocol.py": "", "drivers/nim/kinds.py": "",
                            "drivers/registry.py": "",
                            "plan/document.py": "", "plan/action.py": "", rel: text})
    found = [f for rule in RULES.values() for f in rule(root)]
    assert not found, found
