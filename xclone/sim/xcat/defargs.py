"""The command line of mkdef/chdef/rmdef/lsdef as DBobjectdefs.pm `processArgs` reads it
(xCAT 2.9.2, DBobjectdefs.pm lines 387-1000): one option set for all four, then the checks that
end the command before any object is touched."""

from __future__ import annotations

from dataclasses import dataclass, field

from xclone.base.noderange import NoderangeError, expand_token
from xclone.sim.args import Parsed, UsageError, parse
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.stanza import Stanza, read
from xclone.sim.xcat.usage import usage

# xCAT's option set minus what the lab does not model (-a all objects, -d/-w dynamic groups,
# -n rename, -u osimage attributes): those are refused as invalid options, not ignored
SHORT = "cfi:hlsmo:pt:Vvxz"
LONG = ("compress", "force", "help", "long", "short", "minus", "plus", "verbose", "version",
        "xml", "stanza", "nocache")


@dataclass
class Request:
    """What the command line asks for: the options, the named objects and attr=val pairs."""

    opts: Parsed
    types: list[str]
    names: list[str] = field(default_factory=list)
    attrs: Attrs = field(default_factory=dict)
    stanzas: list[Stanza] | None = None  # from -z stdin

    def has(self, *flags: str) -> bool:
        return self.opts.has(*flags)


def _noderange(text: str) -> list[str]:
    """mkdef's noderange(NR, 0): names expand without checking that they exist."""
    names: list[str] = []
    for token in ob.split_list(text):
        try:
            expanded = expand_token(token)
        except NoderangeError:
            expanded = None
        names.extend(expanded or [token])
    return names


def _with_usage(cmd: str, *errors: str) -> Out:
    out = Out()
    for line in errors:
        out.err(f"Error: {line}").fail()
    return out.out(usage(cmd).removesuffix("\n"))


def request(world: World, cmd: str, args: list[str]) -> Request | Out:
    """The parsed request, or what xCAT prints when it stops at the command line."""
    if not args:
        return _with_usage(cmd)
    try:
        opts = parse(args, SHORT, LONG)
    except UsageError:
        return _with_usage(cmd, "Invalid option..")
    if opts.has("-x", "--xml"):
        return _with_usage(cmd, "The '-x' (XML format) option is not yet implemented.")
    if opts.has("-c", "--compress") and not opts.has("-i"):
        return _with_usage(cmd, "The flags '-c' and '-i' must be used together.")
    if opts.has("-i") and opts.has("-s", "--short"):
        return _with_usage(cmd, "The flags '-i' and '-s' cannot be used together.")
    if opts.has("-l", "--long") and opts.has("-s", "--short"):
        return _with_usage(cmd, "The flags '-l' and '-s' cannot be used together.")
    explicit = opts.value("-t")
    attrs: Attrs = {}
    positional: list[str] = []
    for word in opts.rest:
        if "=" in word:
            key, value = word.split("=", 1)
            attrs[key.strip()] = value.strip()
        else:
            positional.append(word)
    if len(positional) > 1:
        return _with_usage(cmd, "noderange can not contain spaces.")
    if opts.has("-h", "--help") and not explicit:
        return _with_usage(cmd)
    types = ob.split_list(explicit or "")
    if len(types) > 1 and attrs:
        return Out().err("Error: Cannot combine multiple types with 'att=val' pairs on the "
                         "command line.").fail()
    for type_ in types:
        if type_ not in ob.TYPES:
            return Out().err(f"Error: \nType '{type_}' is not a valid xCAT object type.").fail()
    req = Request(opts, types or ["node"], attrs=attrs)
    text = opts.value("-o") or (positional[0] if positional else "")
    if text:
        req.names = _noderange(text) if req.types == ["node"] else ob.split_list(text)
    if opts.has("-z", "--stanza") and cmd in ("mkdef", "chdef"):
        req.stanzas = read(world.stdin or "")
    return req
