"""Wires `xclone import`: bring a cluster built by hand under xclone.

Two steps of one job, so one command: `--stanza FILE` writes a first spec from an `rscan -z`
stanza file (nothing contacted), `--from-nim` one from what a NIM master and its HMCs show
(read-only), and `import SPEC ADDR...|--all` adopts the objects of a finished spec that already
exist, by marking them as xclone's, so the next plan shows only real differences instead of
conflicts. The stanza path is wired here (spec/importer.py), the NIM one in cli/from_nim.py,
adoption in cli/adopting.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xclone.base.errors import XcloneError
from xclone.cli.connect import ConnectionOptions, connection_options
from xclone.cli.duration import LOCK_WAIT
from xclone.spec.importer import ImportOptions, import_stanzas
from xclone.spec.sources import read_text


def _write_spec(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise XcloneError(f"{output} exists; choose another -o or add --force to overwrite it")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise XcloneError(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"wrote {output}: replace every <TODO>, then `xclone validate {output}`", err=True)


def import_stanzas_file(path: Path, options: ImportOptions) -> str:
    """The spec text for a stanza file, with the file named in any error."""
    if not path.is_file():
        raise XcloneError(f"{path}: no such stanza file")
    text = read_text(path)
    try:
        return import_stanzas(text, options)
    except XcloneError as exc:
        raise XcloneError(f"{path}: {exc.message}") from None


@click.command("import")
@click.argument("spec_and_addresses", nargs=-1, metavar="[SPEC [ADDR...]]")
@click.option("--stanza", type=click.Path(path_type=Path), metavar="FILE",
              help="Write a spec from this `rscan -z` stanza file instead of adopting.")
@click.option("--from-nim", is_flag=True,
              help="Write a driver: nim spec from what --master and the --hmc HMCs show.")
@click.option("--master", metavar="[USER@]HOST", help="With --from-nim: the NIM master.")
@click.option("--install-server", "servers", multiple=True, metavar="[USER@]HOST",
              help="With --from-nim: another NIM master (repeat for each), written as an "
                   "install server serving the networks of its machines.")
@click.option("--hmc", "hmcs", multiple=True, metavar="NAME=[USER@]HOST",
              help="With --from-nim: an HMC (repeat for each); its password is read from "
                   "$NAME_PASSWORD, as the written spec says.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="With --stanza or --from-nim: write the spec here (default: standard output).")
@click.option("--force", is_flag=True, help="With --stanza or --from-nim: overwrite the -o file.")
@click.option("--cluster", help="With --stanza or --from-nim: the cluster name (else <TODO>).")
@click.option("--management-node", metavar="HOST",
              help="With --stanza: the xCAT management node host (else <TODO>).")
@click.option("--all", "adopt_all", is_flag=True,
              help="Adopt every object of the spec that exists unmarked.")
@click.option("--auto-approve", is_flag=True, help="Mark without asking for confirmation.")
@LOCK_WAIT
@connection_options
def import_command(spec_and_addresses: tuple[str, ...], stanza: Path | None, from_nim: bool,
                   master: str | None, servers: tuple[str, ...], hmcs: tuple[str, ...],
                   output: Path | None, force: bool, cluster: str | None,
                   management_node: str | None, adopt_all: bool, auto_approve: bool,
                   lock_wait: float, connection: ConnectionOptions) -> None:
    """Write a spec from a stanza file or a NIM master, or adopt existing objects into SPEC.

    \b
    xclone import --stanza mystanzafile -o cluster.yaml
    xclone import --from-nim --master nimmaster --hmc hmc01=hmc01.cluster.com -o cluster.yaml
    xclone import cluster.yaml --all            # mark every existing object the spec wants
    xclone import cluster.yaml lpar.node01 network.net1

    Adopting marks objects as xclone's (xCAT usercomment, NIM comments) after showing them and
    asking for `yes`; nothing else changes, and an installed LPAR is never reinstalled.
    """
    if stanza is not None and from_nim:
        raise click.UsageError("--stanza and --from-nim exclude each other: choose one source")
    if (master is not None or hmcs or servers) and not from_nim:
        raise click.UsageError("--master, --install-server and --hmc go with --from-nim")
    if stanza is not None or from_nim:
        if spec_and_addresses or adopt_all:
            raise click.UsageError("--stanza and --from-nim write a new spec: give no SPEC, "
                                   "ADDR or --all")
        if stanza is not None:
            text = import_stanzas_file(stanza, ImportOptions(str(stanza), cluster,
                                                             management_node))
        else:
            if master is None or management_node is not None:
                raise click.UsageError("--from-nim needs --master HOST (not --management-node)")
            from xclone.cli.from_nim import spec_from_nim

            text = spec_from_nim(master, hmcs, cluster, connection, servers)
        _write_spec(text, output, force)
        return
    if output is not None or cluster is not None or management_node is not None:
        raise click.UsageError("-o, --cluster and --management-node go with --stanza or "
                               "--from-nim")
    if not spec_and_addresses:
        raise click.UsageError("give --stanza FILE, or SPEC with ADDR... or --all")
    spec_path, *addresses = spec_and_addresses
    if bool(addresses) == adopt_all:
        raise click.UsageError("give the addresses to adopt (e.g. lpar.node01) or --all, not both")
    from xclone.cli.adopting import adopt

    sys.exit(adopt(Path(spec_path), tuple(addresses), connection, auto_approve=auto_approve,
                   lock_wait=lock_wait))
