"""What xCAT 2.9.2's AIX plugins print when they stop: their usage texts (xcat2nim.pm
`xcat2nim_usage` lines 1395-1404; aixinstall.pm `mknimimage_usage` 14155-14172,
`rmnimimage_usage` 14202-14216, `nimnodeset_usage` 14251-14265) and the closing
`Error: Return=1.` (aixinstall.pm preprocess_request lines 215-225, 281-291 and
process_request 555-572; xcat2nim.pm preprocess_request 96-104, process_request 166-177):
a subcommand that returns 1 gets that one line, after its own messages."""

from __future__ import annotations

from xclone.sim.world import Out

_USAGE = {
    "xcat2nim": (
        "\nUsage: xcat2nim - Use this command to create and manage AIX NIM definitions based "
        "on xCAT object definitions.\n",
        "  xcat2nim [-h|--help ]\n",
        "  xcat2nim [-V|--verbose] [-l|--list] [-r|--remove] [-u|--update]\n"
        "    [-f|--force] [-t object-types] [-o object-names] [-a|--allobjects]\n"
        "    [-p|--primarySN] [-b|--backupSN] [noderange] [attr=val [attr=val...]]\n"),
    "mknimimage": (
        "\n  mknimimage - Use this xCAT command to create xCAT osimage definitions \n"
        "\t\tand related AIX/NIM resources. The command can also be used \n"
        "\t\tto update an existing AIX diskless image(SPOT).\n",
        "  Usage: ", "\tmknimimage [-h | --help]", "or",
        "\tmknimimage [-V] -u osimage_name [attr=val [attr=val ...]]", "or",
        "\tmknimimage [-V] [-f|--force] [-t nimtype] [-m nimmethod]\n"
        "\t\t[-c|--completeosimage] [-r|--sharedroot] [-D|--mkdumpres]\n"
        "\t\t[-l <location>] [-s image_source] [-i current_image]\n"
        "\t\t[-p|--cplpp] [-n mksysbnode] [-b mksysbfile]\n"
        "\t\tosimage_name [attr=val [attr=val ...]]\n"),
    "rmnimimage": (
        "\n  rmnimimage - Use this xCAT command to remove an xCAT osimage definition\n"
        "             and associated NIM resources.",
        "  Usage: ", "\trmnimimage [-h | --help]", "or",
        "\trmnimimage [-V] [-f|--force] [-d|--delete] [-M|--managementnode] \n"
        "\t\t[-s <servernoderange>] [-x|--xcatdef] image_name\n"),
    "nimnodeset": (
        "\n  nimnodeset - Use this xCAT command to initialize AIX \n\t\t\tstandalone nodes.",
        "  Usage: ", "\tnimnodeset [-h | --help ]", "or",
        "\tnimnodeset [-V|--verbose] [-f|--force] [ -i osimage_name]\n"
        "\t\t[-l location] [-p|--primarySN] [-b|--backupSN] noderange \n"
        "\t\t[attr=val [attr=val ...]]\n"),
}

RETURN_1 = "Error: Return=1."


def usage(out: Out, cmd: str) -> Out:
    """The usage on stdout (xCAT sends it as informational lines)."""
    for line in _USAGE[cmd]:
        out.out(line)
    return out


def failed(out: Out) -> Out:
    """The plugin returned 1: xCAT adds `Error: Return=1.` and the client exits 1."""
    return out.err(RETURN_1).fail()
