"""Validation's indexes: the network holding an address found by prefix look-up, as the walk over
the spec's networks found it (first in the spec's order), and names checked in one regex."""

from __future__ import annotations

import itertools
from ipaddress import IPv4Address, IPv4Network

import pytest

from xclone.base.names import NIM_NAME_MAX, name_problem
from xclone.spec.resolve import NetworkIndex

NETWORKS = {"inner": IPv4Network("10.0.1.0/24"), "outer": IPv4Network("10.0.0.0/16"),
            "twin": IPv4Network("10.0.1.0/24"), "edge": IPv4Network("192.168.1.128/25")}
ADDRESSES = ["10.0.1.5", "10.0.0.5", "10.0.255.255", "10.1.0.0", "192.168.1.200",
             "192.168.1.100", "0.0.0.0"]


def _walk(networks: dict[str, IPv4Network], ip: IPv4Address) -> str | None:
    return next((name for name, net in networks.items() if ip in net), None)


@pytest.mark.parametrize("order", list(itertools.permutations(NETWORKS)))
def test_index_finds_what_the_walk_finds(order: tuple[str, ...]) -> None:
    """Overlapping and duplicate networks in every order: the first listed that holds it."""
    networks = {name: NETWORKS[name] for name in order}
    index = NetworkIndex(networks)
    for text in ADDRESSES:
        ip = IPv4Address(text)
        assert index.find(ip) == _walk(networks, ip)


def test_no_networks_hold_nothing() -> None:
    assert NetworkIndex({}).find(IPv4Address("10.0.0.1")) is None
    assert NetworkIndex({"all": IPv4Network("0.0.0.0/0")}).find(IPv4Address("1.2.3.4")) == "all"


@pytest.mark.parametrize("name", ["node01", "a", "A-b_c.d", "9x"])
def test_good_names_pass(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "-a", ".a", "_a", "a b", "a\n", "node;ls", "é"])
def test_bad_names_still_get_their_reason(name: str) -> None:
    assert name_problem(name)


def test_length_is_checked_before_the_fast_path() -> None:
    assert name_problem("a" * NIM_NAME_MAX, max_length=NIM_NAME_MAX) is None
    assert "characters long" in (name_problem("a" * 40, max_length=NIM_NAME_MAX) or "")
