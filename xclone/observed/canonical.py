"""A canonical JSON dump of an `Observed`, and its digest: the plan file stores the digest so that
`apply` can refuse a plan made from a cluster that has changed since."""

from __future__ import annotations

from typing import Any

from xclone.base.digest import digest
from xclone.observed.model import Observed


def to_json(observed: Observed) -> dict[str, Any]:
    """Plain, key-sorted data: the same observation always dumps to the same document."""
    return {
        "xcat": {
            type_: {name: dict(sorted(obj.attrs.items())) for name, obj in sorted(objs.items())}
            for type_, objs in sorted(observed.xcat.items())
        },
        "nim": {
            name: {"class": obj.cls, "type": obj.type, "attrs": dict(sorted(obj.attrs.items())),
                   # every value of a repeated attribute (two `script` lines); absent otherwise,
                   # so an observation without one keeps its digest
                   **({"repeats": {k: list(v) for k, v in sorted(obj.repeats.items())}}
                      if obj.repeats else {})}
            for name, obj in sorted(observed.nim.items())
        },
        "systems": [
            {"hmc": s.hmc, "name": s.name, "type_model": s.type_model, "serial": s.serial,
             "state": s.state}
            for _, s in sorted(observed.systems.items())
        ],
        "partitions": [
            {"hmc": p.hmc, "system": p.system, "name": p.name, "lpar_id": p.lpar_id,
             "state": p.state, "curr_profile": p.curr_profile,
             "default_profile": p.default_profile, "lpar_env": p.lpar_env,
             "os_version": p.os_version}
            for _, parts in sorted(observed.partitions.items())
            for p in sorted(parts, key=lambda p: (p.lpar_id, p.name))
        ],
    }


def digest_of(observed: Observed) -> str:
    return digest(to_json(observed))
