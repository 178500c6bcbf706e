"""`mknimimage -m mksysb` and `rmnimimage`: xCAT osimages backed by NIM resources (FORMATS §2.7,
§2.11). AIX-plugin texts end in a newline of their own, so a blank line follows each."""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import allocated
from xclone.sim.nim.ops import backup
from xclone.sim.seed import resource
from xclone.sim.world import Block, Out, Reply, World

MK_USAGE = "mknimimage [-V] [-f] [-m mksysb] [-n mksysbnode] [-b mksysbfile] osimage_name " \
           "[attr=val [attr=val ...]]"
RM_USAGE = "rmnimimage [-V] [-f] [-d] [-x] [-M] [-s servicenoderange] osimage_name"
REPORT = ("The following xCAT osimage definition was created. Use the xCAT lsdef command \n"
          "to view the xCAT definition and the AIX lsnim command to view the individual \n"
          "NIM resources that are included in this definition.\n")


def _usage(cmd: str, usage: str) -> Out:
    return Out().out(choices.XCAT_USAGE.format(cmd=cmd, usage=usage)).fail()


def mknimimage(world: World, args: list[str]) -> Reply:
    try:
        opts = parse(args, "Vfm:n:b:h", ("help",))
    except UsageError:
        return _usage("mknimimage", MK_USAGE)
    names = [w for w in opts.rest if "=" not in w]
    extra = dict(w.split("=", 1) for w in opts.rest if "=" in w)
    if len(names) != 1 or opts.value("-m") != "mksysb" or not opts.has("-n", "-b"):
        return _usage("mknimimage", MK_USAGE)
    image, mn = names[0], world.mn["name"]
    out = Out()
    if world.xcat("osimage", image) is not None and not opts.has("-f"):
        return out.err(f"Error: The osimage definition '{image}' already exists.\n").fail()
    mksysb = f"{image}_mksysb"
    seconds = 0.0
    finish_backup: Callable[[World], Out] | None = None
    if world.nim(mksysb) is not None:
        out.out(f"Using existing mksysb resource named '{mksysb}'.\n")
    else:
        out.out(f"Creating a NIM mksysb resource called '{mksysb}'.  This could take a while.\n")
        world.mkdir("/install/nim/mksysb")
        world.mkdir(f"/install/nim/mksysb/{image}")
        location = f"/install/nim/mksysb/{image}/{mksysb}"
        if opts.has("-b"):
            world.put_nim(mksysb, resource(mksysb, "mksysb", {"location": location}))
        else:
            reply = backup(world, mksysb, {"server": "master", "location": location,
                                           "source": opts.value("-n") or ""})
            if not isinstance(reply, Block):
                return out.err(f"Error: Could not define mksysb resource named '{mksysb}' on "
                               f"{mn}.\n").err("Error: Could not create mksysb definition.\n") \
                    .fail()
            seconds = reply.seconds
            finish_backup = reply.then
    spot = extra.pop("spot", "")
    if not spot:
        spot = image
        if world.nim(spot) is None:
            out.out("Creating a NIM SPOT resource. This could take a while.\n")
            seconds += choices.SPOT_SECONDS
        else:
            out.out(f"Using the existing SPOT named '{spot}'.\n")
    bosinst = f"{image}_bosinst_data"

    def finish(later: World) -> Out:
        if finish_backup is not None:
            finish_backup(later)
        if later.nim(spot) is None:
            location = f"/install/nim/spot/{spot}/usr"
            later.put_nim(spot, resource(spot, "spot", {"location": location}))
        if later.nim(bosinst) is None:
            later.put_nim(bosinst, resource(bosinst, "bosinst_data", {
                "location": f"/install/nim/bosinst_data/{bosinst}"}))
        else:
            out.out(f"Using existing bosinst_data resource named '{bosinst}'.\n")
        attrs = {"imagetype": "NIM", "osname": "AIX", "nimtype": "standalone",
                 "nimmethod": "mksysb", "mksysb": mksysb, "spot": spot,
                 "bosinst_data": bosinst, **extra}
        later.put_xcat("osimage", image, attrs)
        out.out(REPORT).out(f"Object name: {image}")
        out.stdout.append("".join(f"\t{k}={attrs[k]}\n" for k in sorted(attrs)))
        return out

    if seconds:
        return Block(seconds, finish)
    return finish(world)


def rmnimimage(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "VfdxMs:h", ("help",))
    except UsageError:
        return _usage("rmnimimage", RM_USAGE)
    if len(opts.rest) != 1:
        return _usage("rmnimimage", RM_USAGE)
    image, mn, out = opts.rest[0], world.mn["name"], Out()
    attrs = world.xcat("osimage", image)
    if attrs is None:
        return out.err(f"Error: '{image}' is not a valid xCAT image name.").fail()
    kinds = ["bosinst_data", "mksysb", "resolv_conf", "script", "spot"]
    if opts.has("-d"):
        kinds.append("lpp_source")
    names = [(k, n) for k in sorted(kinds) for n in attrs.get(k, "").split(",") if n]
    others = {n for name, a in world.xcat_all("osimage").items() if name != image
              for k in kinds for n in a.get(k, "").split(",")}
    if not opts.has("-f") and any(n in others for _, n in names):
        return out.err(f"Error: One or more resources are being used in other osimage "
                       f"definitions.  The osimage {image} will not be removed.  Use the force "
                       f"option to override this check.").fail()
    for _, name in names:
        body = world.nim(name)
        if body is None:
            continue
        if int(body.get("alloc_count", "0")) > 0 or allocated(body):
            out.out(f"{mn}: The resource named '{name}' is currently allocated. It will not be "
                    f"removed.\n")
            continue
        world.del_nim(name)
        if opts.has("-d") and "location" in body:
            world.s.delete("file", str(body["location"]))
        out.out(f"{mn}: Removed the NIM resource named '{name}'.\n")
    if opts.has("-x"):
        world.del_xcat("osimage", image)
        out.out(f"Removed the xCAT osimage definition '{image}'.\n")
    return out
