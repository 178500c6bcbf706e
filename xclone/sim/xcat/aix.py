"""`mknimimage -m mksysb` and `rmnimimage`: xCAT osimages backed by NIM resources (docs/formats.md
"NIM from xCAT"; xCAT 2.9.2 aixinstall.pm mknimimage lines 2249-3600, prermnimimage 5700-5970,
rmnimimage 6193-6480; the servers it removes from: rmnimsn.py). AIX-plugin texts end in a
newline of their own, so a blank line follows each, and a failing call ends with
`Error: Return=1.`."""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim.args import UsageError, parse
from xclone.sim.nim.ops import backup
from xclone.sim.seed import resource
from xclone.sim.world import Block, Out, Reply, World
from xclone.sim.xcat import rmnimsn
from xclone.sim.xcat.aixusage import failed, usage

REPORT = ("The following xCAT osimage definition was created. Use the xCAT lsdef command \n"
          "to view the xCAT definition and the AIX lsnim command to view the individual \n"
          "NIM resources that are included in this definition.\n")


def mknimimage(world: World, args: list[str]) -> Reply:
    # no arguments, a bad option and -h all print the usage and return 0 (lines 2270-2312)
    try:
        opts = parse(args, "Vfm:n:b:h", ("help",))
    except UsageError:
        return usage(Out(), "mknimimage")
    if not args or opts.has("-h", "--help"):
        return usage(Out(), "mknimimage")
    names = [w for w in opts.rest if "=" not in w]
    extra = dict(w.split("=", 1) for w in opts.rest if "=" in w)
    if len(names) != 1 or opts.value("-m") != "mksysb" or not opts.has("-n", "-b"):
        # the lab builds mksysb images only: anything else is refused, not half-simulated
        return failed(usage(Out(), "mknimimage"))
    image, mn = names[0], world.mn["name"]
    out = Out()
    if world.xcat("osimage", image) is not None and not opts.has("-f"):
        return failed(out.err(f"Error: The osimage definition '{image}' already exists.\n"))
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
                return failed(out.err(f"Error: Could not define mksysb resource named "
                                      f"'{mksysb}' on {mn}.\n")
                              .err("Error: Could not create mksysb definition.\n"))
            seconds = reply.seconds
            finish_backup = reply.then
    spot = extra.pop("spot", "")
    build_spot = not spot  # with spot=NAME, mk_spot only records NAME (aixinstall.pm)
    if build_spot:
        spot = image
        if world.nim(spot) is None:
            out.out("Creating a NIM SPOT resource. This could take a while.\n")
            seconds += world.costs.spot_seconds
        else:
            out.out(f"Using the existing SPOT named '{spot}'.\n")
    bosinst = f"{image}_bosinst_data"

    def finish(later: World) -> Out:
        if finish_backup is not None:
            finish_backup(later)
        if build_spot and later.nim(spot) is None:
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
    # prermnimimage lines 5706-5745: no arguments or a bad option is usage + Return=1, -h is
    # usage alone, a missing name is its own error first
    try:
        opts = parse(args, "VfdxMs:h", ("help",))
    except UsageError:
        return failed(usage(Out(), "rmnimimage"))
    if not args:
        return failed(usage(Out(), "rmnimimage"))
    if opts.has("-h", "--help"):
        return usage(Out(), "rmnimimage")
    if not opts.rest:
        return failed(usage(Out().err("Error: The xCAT osimage name is required.\n"),
                            "rmnimimage"))
    image, out = opts.rest[0], Out()
    attrs = world.xcat("osimage", image)
    if attrs is None:
        return failed(out.err(f"Error: '{image}' is not a valid xCAT image name.\n"))
    kinds = ["bosinst_data", "mksysb", "resolv_conf", "script", "spot"]
    if opts.has("-d"):
        kinds.append("lpp_source")
    names = [(k, n) for k in sorted(kinds) for n in attrs.get(k, "").split(",") if n]
    others = {n for name, a in world.xcat_all("osimage").items() if name != image
              for k in kinds for n in a.get(k, "").split(",")}
    if not opts.has("-f") and any(n in others for _, n in names):
        return failed(out.err(f"Error: One or more resources are being used in other osimage "
                              f"definitions.  The osimage {image} will not be removed.  Use the "
                              f"force option to override this check.\n"))
    dests = rmnimsn.servers(world, opts.has("-M"), opts.value("-s"))
    rmnimsn.remove_everywhere(world, [n for _, n in names], dests, opts.has("-d"), out)
    if opts.has("-x"):
        world.del_xcat("osimage", image)
        out.out(f"Removed the xCAT osimage definition '{image}'.\n")
    return out
