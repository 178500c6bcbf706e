"""`xclone lab init --from-spec`: load a spec, outline its cluster for the lab, write the lab file.

The CLI is the one place that may read both sides: the spec model here becomes the simulator's
plain `ClusterOutline` (xclone.sim.from_spec), so the lab never imports the spec parser.
"""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from xclone.base.errors import XcloneError
from xclone.sim.from_spec import (
    HEADER,
    ClusterOutline,
    HmcOutline,
    LparOutline,
    NetworkOutline,
    OsimageOutline,
    ServerOutline,
    lab_document,
)
from xclone.spec import Spec, load_spec

_FALLBACK_DOMAIN = "cluster.com"


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (file contents) as `|` blocks, as a person would write them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def outline(spec: Spec) -> ClusterOutline:
    """The parts of `spec` that decide what hardware and NIM objects its lab must hold."""
    networks = tuple(NetworkOutline(name, str(n.net), str(n.mask),
                                    None if n.gateway is None else str(n.gateway))
                     for name, n in spec.networks.items())
    domain = spec.site.domain or next(
        (n.domain for n in spec.networks.values() if n.domain), None) or _FALLBACK_DOMAIN
    hmcs = tuple(HmcOutline(name, h.host, h.username, None if h.password is None else
                            {k: v for k, v in h.password.model_dump().items() if v is not None})
                 for name, h in spec.hmcs.items())
    images = tuple(OsimageOutline(name, image.source_node,
                                  None if image.creates_spot else image.spot_name(name),
                                  tuple(image.resources.items()),
                                  None if image.location is None else str(image.location))
                   for name, image in spec.osimages.items())
    lpars = tuple(LparOutline(lpar.name, lpar.hmc, lpar.cec, lpar.id, lpar.profile,
                              None if lpar.ip is None else str(lpar.ip), lpar.mac, lpar.osimage)
                  for lpar in spec.lpars.values())
    mn = spec.management_node
    scripts = tuple(dict.fromkeys([*(s for g in spec.groups.values() for s in g.postscripts),
                                   *(s for lpar in spec.lpars.values() for s in lpar.postscripts)]))
    servers = tuple(ServerOutline(name, server.host, tuple(server.networks),
                                  tuple((net, str(ip)) for net, ip in server.addresses.items()))
                    for name, server in spec.install_servers.items())
    return ClusterOutline(mn.host, mn.xcat_name, domain, hmcs, networks, images, lpars,
                          spec.driver, str(mn.scripts_dir), scripts, servers)


def _header(spec_file: Path, spec: Spec) -> str:
    refs = [f"{name}: {', '.join(f'{k} {v}' for k, v in h.password.model_dump().items() if v)}"
            for name, h in spec.hmcs.items() if h.password is not None]
    lines = [f"{HEADER} {spec_file}`: a fresh cluster for that spec (docs/lab.md).",
             "# Written again by the same command; edit the spec, not this file.",
             "# No secret is stored here: each HMC accepts the password its reference holds when",
             "# xclone logs in, read from the environment (or file) the lab runs in."]
    lines += [f"#   {ref}" for ref in refs]
    return "\n".join(lines) + "\n"


def write_lab_from_spec(spec_file: Path, output: Path | None, instant: bool) -> Path:
    """Write the lab file for `spec_file` and return its path. A file that this command did not
    write is never overwritten: it may be a hand-made lab someone keeps."""
    spec = load_spec(spec_file)
    target = output or spec_file.with_name(f"{spec_file.stem}-lab.yaml")
    if target.exists() and not target.read_text(encoding="utf-8").startswith(HEADER):
        raise XcloneError(f"{target} exists and was not written by `lab init --from-spec`; "
                          "remove it or choose another file with -o")
    document = lab_document(outline(spec), instant=instant)
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, default_flow_style=None,
                     width=100)
    try:
        target.write_text(_header(spec_file, spec) + body, encoding="utf-8")
    except OSError as exc:
        raise XcloneError(f"{target}: cannot write the lab file ({exc.strerror})") from None
    lpars = sum(len(s["lpars"]) for h in document["hmcs"].values() for s in h["systems"].values())
    click.echo(f"Lab file {target} written from {spec_file}: {len(document['hmcs'])} HMC(s), "
               f"{lpars} partition(s).")
    return target
