"""The bosinst.data xclone generates for cloning from a mksysb, defined as a bosinst_data resource.

Without a bosinst_data resource, or when it lacks answers, BOS install prompts on the LPAR's
console (IBM AIX, "Using the bosinst_data resource"). The `control_flow` stanza below follows
IBM's non-prompted network install sample (IBM AIX, "The bosinst.data file"; variable meanings
in "bosinst.data control_flow stanza descriptions"): `PROMPT = no` needs a console named
(`Default` picks the system's own), `INSTALL_METHOD = overwrite` is a new and complete install,
`EXISTING_SYSTEM_OVERWRITE = yes` lets it overwrite the target's volume groups,
`RECOVER_DEVICES = no` keeps the golden client's device configuration off other hardware, and
`ACCEPT_LICENSES = yes` answers the licence prompt. An empty `target_disk_data` lets the
installer choose the disk, which is what the non-prompted sample does.
"""

from __future__ import annotations

CONTROL_FLOW = (
    ("CONSOLE", "Default"),
    ("INSTALL_METHOD", "overwrite"),
    ("PROMPT", "no"),
    ("EXISTING_SYSTEM_OVERWRITE", "yes"),
    ("RECOVER_DEVICES", "no"),
    ("ACCEPT_LICENSES", "yes"),
)


def bosinst_text() -> str:
    """The file's content: stanzas `name:` with indented `VARIABLE = value` lines, blank lines
    between stanzas (the layout of IBM's sample)."""
    flow = "".join(f"    {key} = {value}\n" for key, value in CONTROL_FLOW)
    disk = "".join(f"    {key} =\n" for key in ("LOCATION", "SIZE_MB", "HDISKNAME"))
    return f"control_flow:\n{flow}\ntarget_disk_data:\n{disk}"
