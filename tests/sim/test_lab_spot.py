"""The lab's mknimimage and the SPOT, as xCAT 2.9.2 aixinstall.pm `mk_spot` has it: `spot=NAME`
is recorded as given (never checked nor built); without `spot=` a SPOT named after the osimage
is built from its mksysb, or an existing NIM object of that name is used."""

from __future__ import annotations

from tests.sim.conftest import Run, define

MKSYSB = "mknimimage -m mksysb -n node27 610sysb"


def test_a_named_spot_is_only_recorded(run: Run) -> None:
    define(run)
    done = run(f"{MKSYSB} spot=710spot")
    assert done.exit_status == 0, done.stderr
    assert "Creating a NIM SPOT resource" not in done.stdout
    assert "    spot=710spot\n" in run("lsdef -t osimage -o 610sysb").stdout
    assert run("lsnim -l 710spot").exit_status != 0


def test_without_spot_a_spot_named_after_the_image_is_built(run: Run) -> None:
    define(run)
    done = run(MKSYSB)
    assert "Creating a NIM SPOT resource. This could take a while.\n" in done.stdout
    assert "   type          = spot\n" in run("lsnim -l 610sysb").stdout
    assert "    spot=610sysb\n" in run("lsdef -t osimage -o 610sysb").stdout
