"""The master's /etc/hosts as the LPAR planner reads it: built once per plan, not per LPAR.

NIM resolves the host name of a machine's `if1` on the master, so each LPAR needs its line
(`hostent -a IP -h NAME`); a line that gives its address to another name, or its name to
another address, is a plan error: `hostent` would not fix it and NIM would install the wrong
address. `lpar_netboot -S` needs the master's own address: the line naming the master (its
`host` or `name` as the spec says, or the host's first label), preferably on the LPAR's network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, ip_address

from xclone.base.address import Address
from xclone.plan.context import Context
from xclone.spec.model import Network


@dataclass
class Hosts:
    by_ip: dict[str, tuple[str, ...]]
    by_name: dict[str, str]
    master: tuple[IPv4Address, ...]
    reported: bool = field(default=False)

    @classmethod
    def of(cls, ctx: Context) -> Hosts:
        by_ip = dict(ctx.observed.hosts)
        by_name: dict[str, str] = {}
        for ip, names in by_ip.items():
            for name in names:
                by_name.setdefault(name, ip)
        mn = ctx.spec.management_node
        wanted = {mn.host, mn.host.split(".", 1)[0], *((mn.name,) if mn.name else ())}
        master = []
        for ip, names in sorted(by_ip.items()):
            addr = ip_address(ip)
            if wanted & set(names) and isinstance(addr, IPv4Address):
                master.append(addr)
        return cls(by_ip, by_name, tuple(master))

    def has(self, ip: IPv4Address) -> bool:
        return str(ip) in self.by_ip

    def check(self, ctx: Context, address: Address, ip: IPv4Address, name: str) -> bool:
        names = self.by_ip.get(str(ip), ())
        if names and name not in names:
            ctx.error(address, f"/etc/hosts on the NIM master gives {ip} to "
                      f"{' '.join(names)}, not {name}: fix that line or the spec's ip")
            return False
        other = self.by_name.get(name)
        if other is not None and other != str(ip):
            ctx.error(address, f"/etc/hosts on the NIM master gives {name} the address {other}, "
                      f"not {ip}: fix that line or the spec's ip")
            return False
        return True

    def master_ip(self, ctx: Context, address: Address, net: Network) -> IPv4Address | None:
        """The address lpar_netboot sends the client to (-S); one error per plan if none."""
        inside = [ip for ip in self.master if ip in net.network]
        if inside or self.master:
            return (inside or list(self.master))[0]
        if not self.reported:
            self.reported = True
            mn = ctx.spec.management_node
            ctx.error(address, f"/etc/hosts on the NIM master has no line for the master itself "
                      f"({mn.name or mn.host}): lpar_netboot needs its address as the boot "
                      "server; add that line")
        return None
