"""`lsrefcode -n N`: a partition's last N reference codes, the most recent first.

IBM HMC lsrefcode: `-n number` lists that many of the partition's reference codes, newest
first, each record numbered (`refcode_num`). The lab's history is the partition's code
timeline (refcode.py) up to now; a partition with none shows only the code of its state.
"""

from __future__ import annotations

from xclone.sim import choices, refcode
from xclone.sim.clock import stamp
from xclone.sim.store import Body
from xclone.sim.world import World

WORDS = ("word2", "word3", "word4", "word5", "word6", "word7", "word8", "word9")


def records(world: World, lpar: Body, count: int) -> list[dict[str, str]]:
    shown = [(float(at), str(code)) for at, code in lpar.get("refcodes") or []
             if float(at) <= world.now]
    now = refcode.current(world, lpar)
    if not shown or shown[-1] != now:
        shown.append(now)
    newest = list(reversed(shown))[:max(count, 1)]
    return [{"lpar_name": lpar["name"], "lpar_id": str(lpar["id"]), "refcode_num": str(index),
             "time_stamp": stamp(at).strftime(choices.REFCODE_TIME_FORMAT), "refcode": code,
             **dict.fromkeys(WORDS, ""), "fru_call_out_loc_codes": ""}
            for index, (at, code) in enumerate(newest, start=1)]
