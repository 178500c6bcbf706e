"""The ownership mark: how xclone tells the objects it manages from everything else on a cluster.

xclone keeps no state file (CONTRACT §5): every object it creates carries `xclone:<cluster>` in
xCAT's `usercomment` or NIM's `comments`, and cleanup is planned only for marked objects. The
mark may share the attribute with an administrator's own words (an adopted object keeps its
comment), so it counts as present when it is one of the attribute's blank-separated words.
"""

from __future__ import annotations

# The attribute holding the mark: xCAT objects (`lsdef`) and NIM objects (`lsnim`).
XCAT_ATTR = "usercomment"
NIM_ATTR = "comments"


def ownership_mark(cluster: str) -> str:
    """`xclone:clustersite` for the cluster the spec names."""
    return f"xclone:{cluster}"


def carries(value: str, mark: str) -> bool:
    """Whether an attribute's value holds `mark` as one of its words (never for an empty mark)."""
    return bool(mark) and mark in value.split()
