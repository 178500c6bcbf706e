"""The `Driver` protocol: everything the core asks of one provisioning path.

The planner core calls `plan` and reads `kind` back from plan documents; observation runs the
driver's probe rounds; the executor asks it to judge, re-observe and wait; `xclone import` asks
it what to adopt. Each member is a plain function of values, so a driver is a module-level
object, not a framework.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import threading

    from xclone.apply.checks import Decision, Verdict
    from xclone.apply.waits import Progress, Run, RunOn, WaitLimits
    from xclone.base.command import Command
    from xclone.base.remote import Result
    from xclone.observed.model import Facts, Observed
    from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets
    from xclone.plan.action import Action
    from xclone.plan.adoption import AdoptionPlan
    from xclone.plan.changes import AttrDiff
    from xclone.plan.context import Context
    from xclone.plan.document import Plan
    from xclone.plan.kinds import Kind
    from xclone.spec import Spec


class Driver(Protocol):
    @property
    def name(self) -> str:
        """The spec's `driver:` value and the plan document's `driver` field."""
        ...

    def kind(self, value: str) -> Kind:
        """The action kind a plan document names by value; ValueError for an unknown one."""
        ...

    def first_round(self, targets: ObservationTargets) -> tuple[AnyProbe, ...]:
        """The probes that need no earlier answer (a fixed number per host)."""
        ...

    def second_round(self, target: HmcTarget, shown: frozenset[str],
                     timeout: float | None) -> tuple[AnyProbe, ...]:
        """The probes of one HMC that need the first round's answer: the systems it shows."""
        ...

    def master_round(self, targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
        """The management node's probes that need the first round's answer (sent with the
        second round): under the NIM driver, the content of xclone's bosinst.data files; under
        the xCAT driver, root's limits on the golden nodes of osimages not made yet (xdsh)."""
        ...

    def plan(self, ctx: Context) -> None:
        """Run every resource planner: compare spec and observation, add changes and steps."""
        ...

    def adopt(self, spec: Spec, observed: Observed, addresses: tuple[str, ...],
              observed_digest: str) -> tuple[AdoptionPlan, Plan]:
        """What `xclone import SPEC ADDR|--all` marks as xclone's (every object of the spec when
        `addresses` is empty) and the plan document that runs the marks; an XcloneError for an
        address the spec does not hold."""
        ...

    def reobserve(self, run: Callable[[Command], Result], action: Action,
                  nodes: tuple[str, ...], lost: str, run_on: RunOn | None = None) -> Decision:
        """Read back what a command whose answer was lost changed, instead of sending it again.
        `run` reads on the action's host, `run_on(host, command)` on another one (read-only)."""
        ...

    def judge(self, action: Action, nodes: tuple[str, ...], result: Result,
              mn: str | None) -> Verdict:
        """Whether a command worked, per node for the kinds judged per node."""
        ...

    def wait_install(self, run: Run, nodes: tuple[str, ...], limits: WaitLimits,
                     cancel: threading.Event, progress: Progress, action: Action,
                     run_on: RunOn) -> tuple[set[str], dict[str, str]]:
        """Poll until each node's install is done, failed, stalled or timed out: (done, failed).
        `run` polls on the action's host, `run_on` on another one (read-only commands only:
        a remedy is the core's, after the wait, `Remedies`)."""
        ...


class ExpectsDrift(Protocol):
    """Optional beside `Driver`: a driver that knows which differences its platform's own tools
    make (xCAT `status`, NIM `Cstate`...). `xclone drift` reports those as expected; for a
    driver without it, every difference is surprising (noisy, never silent)."""

    def expected_drift(self, type_: str, diff: AttrDiff) -> str | None:
        """Why the tools make this difference of a resource of `type_` (display text), or None."""
        ...


class Remedy(Protocol):
    """What a driver can do, when apply was asked to (`--remediate`), for nodes an install
    wait failed: commands on the install server serving them, then the plan's own boot of each
    node run again, then a new wait (xclone/apply/remedies.py runs it, at most once per node
    per run)."""

    @property
    def name(self) -> str:
        """The `--remediate` value, for the journal."""
        ...

    def candidates(self, wait: Action, failed: Mapping[str, str], run: Run,
                   run_on: RunOn) -> tuple[str, ...]:
        """The failed nodes this remedy addresses, read from what the cluster shows now
        (read-only commands), never from the failure's wording."""
        ...

    def host(self, wait: Action) -> str:
        """Where `commands` run: the install server that answers the wait's nodes' boots (the
        wait's own host, or an xCAT service node for its nodes while the wait polls the
        management node)."""
        ...

    def commands(self, wait: Action) -> tuple[Command, ...]:
        """What runs once, in order, on `host` before the nodes are booted again."""
        ...

    def boots(self, wait: Action, nodes: tuple[str, ...], actions: Mapping[str, Action]
              ) -> dict[str, tuple[Action, ...]]:
        """The plan's actions that boot each of `nodes` again, in order (with the words a node
        now needs: xCAT resets a blade the plan powered on); a node left out must not be
        booted again (a protected LPAR, or a boot this plan did not make)."""
        ...

    # Optional: `after(why) -> str` retells a failure of the wait after the remedy (its advice
    # should not offer the remedy just tried); apply/remedies.py reads it with getattr.


class Remedies(Protocol):
    """Optional beside `Driver`: a driver whose install waits can be remedied."""

    def remedy(self, wait: Action) -> Remedy | None:
        """The remedy planned for this wait's nodes, or None."""
        ...
