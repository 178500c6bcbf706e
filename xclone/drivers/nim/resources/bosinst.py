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


# What makes the install an unattended clone (issue 14: no prompt, the golden client's devices
# not recovered onto other hardware): a file without them is not the one xclone would use.
REQUIRED = ("control_flow.PROMPT", "control_flow.RECOVER_DEVICES")


def bosinst_text() -> str:
    """The file's content: stanzas `name:` with indented `VARIABLE = value` lines, blank lines
    between stanzas (the layout of IBM's sample)."""
    flow = "".join(f"    {key} = {value}\n" for key, value in CONTROL_FLOW)
    disk = "".join(f"    {key} =\n" for key in ("LOCATION", "SIZE_MB", "HDISKNAME"))
    return f"control_flow:\n{flow}\ntarget_disk_data:\n{disk}"


def bosinst_values(text: str) -> dict[str, str]:
    """`stanza.VARIABLE` -> value of a bosinst.data text (a `name:` line opens a stanza, its
    indented `VARIABLE = value` lines follow; `#` comments and blank lines carry nothing), so a
    changed file shows which answers differ."""
    values: dict[str, str] = {}
    stanza = ""
    for line in text.splitlines():
        shown = line.split("#", 1)[0].rstrip()
        if not shown.strip():
            continue
        if not shown[0].isspace() and shown.endswith(":"):
            stanza = shown[:-1].strip()
        elif "=" in shown:
            key, value = shown.split("=", 1)
            values[f"{stanza}.{key.strip()}"] = value.strip()
    return values


def differences(observed: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(key, observed value, generated value) for each answer the observed file gives otherwise
    than bosinst_text(), and for each of REQUIRED it lacks. Answers xclone does not set (an
    added `locale` stanza) and others it sets but a file made by hand may leave to BOS install's
    defaults are the administrator's: an adopted file (`xclone import`) stays as it is."""
    have, want = bosinst_values(observed), bosinst_values(bosinst_text())
    return tuple((key, have.get(key), value) for key, value in sorted(want.items())
                 if (key in have or key in REQUIRED) and have.get(key) != value)
