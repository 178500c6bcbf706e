"""`xclone lab serve LAB`: keep a lab reachable over real SSH until interrupted."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType

import click

from xclone.base.errors import XcloneError
from xclone.cli.labstate import name_state
from xclone.sim import Lab
from xclone.sim.serve import LabServer


class _Stop(Exception):
    """Raised from the SIGTERM handler so the server stops on the same path as Ctrl-C."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def _describe(server: LabServer) -> str:
    run_dir = server.run_dir
    width = max(len(name) for name in server.faces)
    hosts = "\n".join(
        f"  {name:<{width}}  {kind:<3}  key {server.identity(name)}"
        for name, kind in server.faces.items()
    )
    hmcs = [name for name, kind in server.faces.items() if kind == "hmc"]
    example = hmcs[0] if hmcs else next(iter(server.faces))
    return (
        f"Lab served over SSH on 127.0.0.1:{server.port} (world: {server.state_dir})\n"
        f"{hosts}\n"
        f"  ssh_config   {server.ssh_config}\n"
        f"  known_hosts  {server.known_hosts}\n"
        f"  logs         {run_dir / 'sshd.log'}, {server.login_log}\n"
        f"Try:\n"
        f"  ssh -F {server.ssh_config} {example} lssyscfg -r sys\n"
        f"xclone's SSH transport reads the same ssh_config (HostName, Port, User, IdentityFile,\n"
        f"UserKnownHostsFile), with host keys verified. Ctrl-C stops the server."
    )


@click.command("serve")
@click.argument("lab_file", metavar="LAB",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", type=click.Path(file_okay=False, path_type=Path),
              help="The world's state directory (default: the one `xclone lab run LAB` uses).")
@click.option("--port", type=click.IntRange(1, 65535),
              help="Port to listen on at 127.0.0.1 (default: a free one).")
@click.option("--dir", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write keys, ssh_config, known_hosts and logs (default: a temp dir).")
def serve(lab_file: Path, state: Path | None, port: int | None, run_dir: Path | None) -> None:
    """Expose the lab LAB over real OpenSSH sshd on 127.0.0.1 until Ctrl-C."""
    # The same world `xclone lab run`/`--lab` use, (re)seeded when the lab file changed.
    lab = Lab.for_file(lab_file, state_dir=state)
    name_state(lab)
    server = LabServer(lab.state_dir, run_dir=run_dir, port=port)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        server.start()
        click.echo(_describe(server))
        status = server.wait()
        raise XcloneError(f"sshd exited on its own (status {status}): {server.log_tail()}")
    except (KeyboardInterrupt, _Stop):
        click.echo("Stopping the lab's sshd.")
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
