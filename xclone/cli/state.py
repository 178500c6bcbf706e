"""Wires `xclone state list SPEC` and `xclone state show SPEC ADDR`: what xclone manages.

Both observe the cluster with the same fixed probes as `plan` and read the objects carrying the
cluster's mark (observed/managed.py), on the management node and, under `driver: nim`, on each
install server (another NIM master: each piece names the master holding it); nothing is
changed. Secrets are masked: xCAT's `lsdef`
prints an HMC node's password in clear.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.base.mark import ownership_mark
from xclone.base.redact import MASK, is_secret_attribute, redact
from xclone.cli.connect import ConnectionOptions, connection_options, open_transport
from xclone.cli.planning import observe_state
from xclone.cli.table import WholeSummaries
from xclone.observed.managed import OTHER, Piece, managed, shown_type, untyped_nodes
from xclone.observed.model import Observed
from xclone.plan.targets import spec_addresses
from xclone.spec import Spec, load_spec

FORMATS = ("text", "json")
SPEC_ARG = click.argument("spec", type=click.Path(exists=True, path_type=Path))
FORMAT = click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
                      show_default=True)


@click.group("state", cls=WholeSummaries)
def state_command() -> None:
    """List the objects xclone manages (`state list SPEC`), or show one (`state show`).

    xclone keeps no state file: the objects carrying the cluster's mark (`xclone:CLUSTER` in
    xCAT `usercomment` or NIM `comments`) are its state, and these commands read them from the
    cluster.
    """


def _observe(spec_path: Path, connection: ConnectionOptions) \
        -> tuple[Spec, Observed, dict[str, tuple[Piece, ...]]]:
    spec = load_spec(spec_path)
    transport = open_transport(spec, connection)
    try:
        observed, _ = observe_state(spec, transport)
    finally:
        transport.close()
    return spec, observed, _everywhere(spec, observed)


def _everywhere(spec: Spec, observed: Observed) -> dict[str, tuple[Piece, ...]]:
    """The marked objects of the management node and of each install server observed, one
    address gathering its pieces on every master (an osimage's copy on each)."""
    mark = ownership_mark(spec.cluster)
    found = {a: list(p) for a, p in managed(observed, mark, spec.management_node.host).items()}
    for _, server in sorted(spec.install_servers.items()):
        seen = observed.masters.get(server.host)
        for address, pieces in managed(seen, mark, server.host).items() if seen else ():
            found.setdefault(address, []).extend(pieces)
    return {a: tuple(found[a]) for a in sorted(found, key=lambda a: (a == OTHER, a))}


def untyped_left(spec: Spec, observed: Observed | None) -> tuple[tuple[Address, str], ...]:
    """The marked xCAT nodes of no type xclone manages (no `hwtype`: `mgt` unset) that the spec
    does not keep, with their hwtype: no plan removes them, so list and drift name them."""
    if observed is None:
        return ()
    kept = frozenset({*(n for n, lpar in spec.lpars.items() if lpar.state != "absent"),
                      *spec.cecs(), *spec.hmcs})
    return tuple((address, node.get("hwtype"))
                 for address, node in untyped_nodes(observed, ownership_mark(spec.cluster), kept))


def _note(address: str, wanted: set[str], untyped: dict[str, str]) -> str | None:
    """Why a listed address is not the spec's: absent from it, and perhaps left alone."""
    if address in wanted or address == OTHER:
        return None
    if address in untyped:
        return (f"not in the spec; xCAT shows it with {shown_type(untyped[address])}, so apply "
                "and destroy leave it")
    return "not in the spec"


def _attrs(piece: Piece) -> dict[str, str]:
    return {k: MASK if is_secret_attribute(k) else redact(v)
            for k, v in sorted(piece.attrs.items())}


@state_command.command("list")
@SPEC_ARG
@connection_options
@FORMAT
def list_command(spec: Path, connection: ConnectionOptions, fmt: str) -> None:
    """List the objects carrying the cluster's mark, by address, and where each lives.

    \b
    Example:
      xclone state list cluster.yaml --lab lab.yaml
    """
    loaded, observed, found = _observe(spec, connection)
    wanted = {str(a) for a in spec_addresses(loaded)}
    untyped = {str(a): hwtype for a, hwtype in untyped_left(loaded, observed)}
    if fmt == "json":
        rows = [{"address": None if a == OTHER else a, "in_spec": a in wanted,
                 "note": _note(a, wanted, untyped),
                 "pieces": [{"host": p.host, "where": p.where, "name": p.name} for p in ps]}
                for a, ps in found.items()]
        click.echo(json.dumps({"cluster": loaded.cluster, "managed": rows}, indent=2))
        return
    if not found:
        click.echo(f"No object on the cluster carries the {ownership_mark(loaded.cluster)} mark.")
        return
    width = max(len(a) for a in found)
    for address, pieces in found.items():
        hosts = ",".join(sorted({p.host for p in pieces}))
        several = "," in hosts  # on several masters: each piece says which one holds it
        where = "; ".join(f"{p.host}: {p.label}" if several else p.label for p in pieces)
        note = _note(address, wanted, untyped)
        note = f"  ({note})" if note else ""
        click.echo(f"{address:<{width}}  {hosts}  {where}{note}")
    resources = len(found) - (OTHER in found)
    click.echo(f"\n{resources} resources carry the {ownership_mark(loaded.cluster)} mark.")


@state_command.command("show")
@SPEC_ARG
@click.argument("address", metavar="ADDR")
@connection_options
@FORMAT
def show_command(spec: Path, address: str, connection: ConnectionOptions, fmt: str) -> None:
    """Show the observed attributes of ADDR's objects (secrets masked).

    \b
    Example:
      xclone state show cluster.yaml lpar.node01 --lab lab.yaml
    """
    try:
        wanted = Address.parse(address)
    except ValueError as exc:
        raise XcloneError(f"{address}: {exc}") from None
    loaded, observed, found = _observe(spec, connection)
    pieces = found.get(str(wanted))
    if pieces is None:
        raise XcloneError(_not_managed(wanted, observed, ownership_mark(loaded.cluster)))
    if fmt == "json":
        click.echo(json.dumps({"address": str(wanted), "pieces": [
            {"host": p.host, "where": p.where, "name": p.name, "attributes": _attrs(p)}
            for p in pieces]}, indent=2))
        return
    click.echo(f"# {wanted} (managed by {ownership_mark(loaded.cluster)})")
    for piece in pieces:
        click.echo(f"{piece.label} on {piece.host}:")
        for key, value in _attrs(piece).items():
            click.echo(f"    {key} = {value}")


def _not_managed(address: Address, observed: Observed, mark: str) -> str:
    """Why there is nothing to show: an object of that name without the mark, or none."""
    exists = any(address.name in seen.nim for seen in (observed, *observed.masters.values())) \
        or any(address.name in objects for objects in observed.xcat.values())
    if exists:
        return (f"{address}: an object named {address.name} exists but does not carry the "
                f"{mark} mark, so xclone does not manage it (`xclone import SPEC {address}` "
                "adopts it)")
    return f"{address}: no object on the cluster carries the {mark} mark under that name"
