"""xCAT noderange names: expand `node[03-64]` / `node03-node64` and compact name lists back.

Zero padding comes from the bounds, as in noderange(3): `[03-64]` gives `node03`..`node64`,
`[1-10]` gives `node1`..`node10`. `compact` only writes ranges whose bounds have the same
number of digits, so expanding its output always gives back exactly the input set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_BRACKET = re.compile(r"^(?P<pre>[^\[\]]*)\[(?P<lo>\d+)[-:](?P<hi>\d+)\](?P<post>[^\[\]]*)$")
_TRAILING_DIGITS = re.compile(r"^(?P<pre>.*?)(?P<num>\d+)$")
_ASCII_DIGITS = "0123456789"


class NoderangeError(ValueError):
    pass


def _numbers(lo: str, hi: str) -> list[str]:
    a, b = int(lo), int(hi)
    if a > b:
        raise NoderangeError(f"range bounds {lo}-{hi} run backwards")
    width = len(lo) if len(lo) == len(hi) else 0
    return [str(n).zfill(width) for n in range(a, b + 1)]


def _parts(token: str) -> tuple[str, str, str, str] | None:
    """(prefix, low, high, suffix) of a range token, or None when the token is not a range."""
    m = _BRACKET.match(token)
    if m:
        return m["pre"], m["lo"], m["hi"], m["post"]
    for sep in ("-", ":"):
        for i, ch in enumerate(token):
            if ch != sep:
                continue
            left = _TRAILING_DIGITS.match(token[:i])
            right = _TRAILING_DIGITS.match(token[i + 1 :])
            if left and right and left["pre"] == right["pre"] and left["pre"]:
                return left["pre"], left["num"], right["num"], ""
    return None


def expand_token(token: str) -> list[str] | None:
    """Expand one range token, or return None when the token is not a range."""
    parts = _parts(token)
    if parts is None:
        return None
    pre, lo, hi, post = parts
    return [f"{pre}{n}{post}" for n in _numbers(lo, hi)]


def _tokens(text: str) -> list[str]:
    return [t for t in (t.strip() for t in text.split(",")) if t]


def count(text: str, is_name: Callable[[str], bool] = lambda _: False) -> int:
    """How many names `expand` gives (repeats counted), computed from the bounds alone, so a
    range of ten million names is measured in microseconds; backwards ranges count 0."""
    total = 0
    for token in _tokens(text):
        parts = None if is_name(token) else _parts(token)
        total += 1 if parts is None else max(0, int(parts[2]) - int(parts[1]) + 1)
    return total


def expand(text: str, is_name: Callable[[str], bool] = lambda _: False,
           limit: int | None = None) -> list[str]:
    """Expand a comma-separated noderange; a token that `is_name` knows is never split.

    With `limit`, a noderange naming more than `limit` nodes is refused before expanding.
    """
    if limit is not None and (size := count(text, is_name)) > limit:
        raise NoderangeError(f"gives {size:,} names; at most {limit:,} are allowed")
    names: list[str] = []
    for token in _tokens(text):
        if is_name(token):
            names.append(token)
            continue
        expanded = expand_token(token)
        names.extend(expanded if expanded is not None else [token])
    return names


def compact(names: Iterable[str]) -> str:
    """The shortest noderange we can write for these names, in a stable order."""
    runs: dict[tuple[str, int], list[int]] = {}
    singles: list[str] = []
    for name in sorted(set(names)):
        pre = name.rstrip(_ASCII_DIGITS)
        if pre and pre != name and name.isascii() and name.isprintable():
            # what the regex below finds, without it: 10,000 LPARs are 10,000 matches a range
            runs.setdefault((pre, len(name) - len(pre)), []).append(int(name[len(pre):]))
            continue
        m = _TRAILING_DIGITS.match(name)
        if m and m["pre"]:
            runs.setdefault((m["pre"], len(m["num"])), []).append(int(m["num"]))
        else:
            singles.append(name)
    parts: list[tuple[str, str]] = [(s, s) for s in singles]
    for (pre, width), nums in runs.items():
        nums.sort()
        start = prev = nums[0]
        for n in [*nums[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            lo, hi = str(start).zfill(width), str(prev).zfill(width)
            key = f"{pre}{lo}"
            parts.append((key, f"{pre}{lo}" if start == prev else f"{pre}[{lo}-{hi}]"))
            if n is not None:
                start = prev = n
    return ",".join(text for _, text in sorted(parts))
