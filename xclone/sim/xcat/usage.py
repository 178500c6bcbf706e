"""The usage texts of xCAT 2.9.2's object commands (DBobjectdefs.pm `def*_usage`, lines 4046-4230).

xCAT prints them as informational lines, so they go to stdout, and a usage shown because of a
missing argument or `-h` leaves the exit status 0; only an `Error:` line before it makes it 1.
"""

from __future__ import annotations

from xclone.sim.xcat.objects import TYPES

_TAIL = ("\nThe following data object types are supported by xCAT.\n", *sorted(TYPES),
         "\nUse the '-h' option together with the '-t' option to",
         "get a list of valid attribute names for each object type.\n")

_HEADS = {
    "mkdef": (
        "\nUsage: mkdef - Create xCAT data object definitions.\n",
        "  mkdef [-h | --help ] [-t object-types]\n",
        "  mkdef [-V | --verbose] [-t object-types] [-o object-names] [-z|--stanza ]",
        "      [-d | --dynamic] [-w attr==val [-w attr=~val] ...]",
        "      [-f | --force] [noderange] [attr=val [attr=val...]]",
        "      [-u provmethod=<install|netboot|statelite> profile=<xxx> [osvers=value] "
        "[osarch=value]]\n"),
    "chdef": (
        "\nUsage: chdef - Change xCAT data object definitions.\n",
        "  chdef [-h | --help ] [-t object-types]\n",
        "  chdef [-t object-types] [-o object-names] [-n new-name] [node]\n",
        "  chdef [-V | --verbose] [-t object-types] [-o object-names] [-d | --dynamic]",
        "    [-z | --stanza] [-m | --minus] [-p | --plus]",
        "    [-w attr==val [-w attr=~val] ... ] [noderange] [attr=val [attr=val...]]\n",
        "    [-u [provmethod=<install|netboot|statelite>]|[profile=<xxx>]|[osvers=value]|"
        "[osarch=value]]"),
    "lsdef": (
        "\nUsage: lsdef - List xCAT data object definitions.\n",
        "  lsdef [-h | --help ] [-t object-types]\n",
        "  lsdef [-V | --verbose] [-t object-types] [-o object-names]",
        "    [ -l | --long] [-s | --short] [-a | --all] [-z | --stanza ] [-S]",
        "    [-i attr-list] [-w attr==val [-w attr=~val] ...] [noderange]\n"),
    "rmdef": (
        "\nUsage: rmdef - Remove xCAT data object definitions.\n",
        "  rmdef [-h | --help ] [-t object-types]\n",
        "  rmdef [-V | --verbose] [-t object-types] [-a | --all] [-f | --force]",
        "    [-o object-names] [-w attr=val,[attr=val...] [noderange]\n"),
}


def usage(cmd: str) -> str:
    """The whole text, each of xCAT's message lines followed by the newline the client adds."""
    return "".join(line + "\n" for line in (*_HEADS[cmd], *_TAIL))
