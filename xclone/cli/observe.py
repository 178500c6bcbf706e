"""`xclone observe`: read the cluster once with the fixed probes and optionally save the snapshot.

A saved snapshot is what a pull request's CI job plans against without credentials
(`xclone plan SPEC --snapshot DIR`); see docs/snapshots.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from xclone.cli.connect import ConnectionOptions, connection_options, open_transport, targets_for
from xclone.observed.observe import Observation, observe
from xclone.observed.snapshot import save_snapshot
from xclone.spec import load_spec


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(observation: Observation) -> str:
    seen = observation.observed
    hosts = len({entry.host for entry in observation.entries})
    xcat_objects = sum(len(objects) for objects in seen.xcat.values())
    partitions = sum(len(parts) for parts in seen.partitions.values())
    nim = len(seen.nim) + sum(len(master.nim) for master in seen.masters.values())
    where = f" on {len(seen.masters) + 1} NIM masters" if seen.masters else ""
    return (
        f"Observed {_plural(hosts, 'host')} with {_plural(len(observation.entries), 'command')}: "
        f"{_plural(xcat_objects, 'xCAT object')}, {_plural(nim, 'NIM object')}{where}, "
        f"{_plural(len(seen.systems), 'managed system')}, {_plural(partitions, 'partition')}."
    )


@click.command("observe")
@click.argument("spec_path", metavar="SPEC", type=click.Path(exists=True, path_type=Path))
@connection_options
@click.option("--save", "save_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write every raw output to DIR/snapshot.json for later --snapshot DIR.")
@click.option("--max-workers", type=click.IntRange(1, 256), default=16, show_default=True,
              help="Probes run at the same time.")
def observe_command(
    spec_path: Path, connection: ConnectionOptions, save_dir: Path | None, max_workers: int
) -> None:
    """Run the read-only probes the SPEC needs and print what they found.

    Nothing is changed anywhere. The number of commands depends on the hosts and managed
    systems only, never on the number of LPARs.
    """
    spec = load_spec(spec_path)
    transport = open_transport(spec, connection)
    try:
        observation = observe(transport, targets_for(spec), max_workers=max_workers)
    finally:
        transport.close()
    line = summary(observation)
    if save_dir is not None:
        written = save_snapshot(save_dir, observation.entries, datetime.now(UTC))
        line += f" Snapshot saved to {written}."
    click.echo(line)
