"""The NIM driver's two new formats, read by pure parsers: the master's /etc/hosts and the HMC's
virtual Ethernet listing.

Sources: AIX Files Reference, "hosts File Format for TCP/IP" (one entry per line, `Address
HostName [aliases]`, blanks or tabs between items, `#` to the end of the line a comment; the
resolver stops at the first matching line); HMC man page LSHWRES and docs/formats.md "HMC"
(`mac_addr` 12 hex digits without separators, `No results were found.` when nothing matches).
"""

from __future__ import annotations

import pytest

from xclone.observed.parsers.errors import ParseError
from xclone.observed.parsers.hmc import parse_virtual_eth
from xclone.observed.parsers.hosts import parse_hosts

HOSTS = (
    "# /etc/hosts on the NIM master\n"
    "127.0.0.1\tloopback localhost      # loopback (lo0) name/address\n"
    "\n"
    "   \t\n"
    "9.114.113.225 nimmaster nimmaster.cluster.com\n"
    "9.114.113.230\tnode01\t node01.cluster.com\n"
    "9.114.113.230 node01-old\n"
    "::1 loopback6\n"
)


def test_hosts_lines_map_each_address_to_its_names_official_name_first() -> None:
    assert dict(parse_hosts(HOSTS)) == {
        "127.0.0.1": ("loopback", "localhost"),
        "9.114.113.225": ("nimmaster", "nimmaster.cluster.com"),
        "9.114.113.230": ("node01", "node01.cluster.com"),
        "::1": ("loopback6",),
    }


def test_of_two_lines_for_one_address_the_first_wins_as_the_resolver_reads_it() -> None:
    """The second 9.114.113.230 line is never what a lookup of that address answers."""
    assert parse_hosts(HOSTS)["9.114.113.230"][0] == "node01"


@pytest.mark.parametrize(("line", "reason"), [
    ("node01 9.114.113.230", "is not an IP address"),
    ("9.114.113.230   # only a comment after the address", "without a host name"),
])
def test_a_line_that_is_not_an_entry_is_an_error_naming_the_line(line: str, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_hosts(f"127.0.0.1 loopback\n{line}\n")
    assert caught.value.line_no == 2
    assert reason in caught.value.reason


def test_an_only_comment_file_is_no_entry_at_all() -> None:
    assert dict(parse_hosts("# nothing here\n\n")) == {}


def test_lshwres_rows_give_partition_slot_and_the_canonical_mac() -> None:
    text = "node27,2,FEF9DF8D4A02\nnode01,2,FEF9DFA81E02\nnode01,3,fe:f9:df:a8:1e:03\n"
    assert parse_virtual_eth(text) == (
        ("node27", 2, "fef9df8d4a02"), ("node01", 2, "fef9dfa81e02"),
        ("node01", 3, "fef9dfa81e03"),
    )


def test_lshwres_no_results_is_an_empty_answer() -> None:
    assert parse_virtual_eth("No results were found.\n") == ()


@pytest.mark.parametrize(("text", "reason"), [
    ("node01,2,FEF9DFA81E02\nnode02,two,FEF9DFB7C602\n", "slot_num is not a number"),
    ("node01,2,FEF9DFA81E02\nnode02,2,\n", "is not 12 hex digits"),
    ("node01,2,FEF9DFA81E02\nnode02,2\n", "2 fields where -F asked for 3"),
])
def test_a_bad_lshwres_row_is_an_error_naming_its_line(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_virtual_eth(text)
    assert caught.value.line_no == 2
    assert reason in caught.value.reason
