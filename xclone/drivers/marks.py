"""The commands that write xclone's ownership mark on an object built by hand (`xclone import`):
xCAT keeps it in an object's `usercomment` (`chdef`), NIM in its `comments` (`nim -o change`).
Both drivers mark NIM objects (the xCAT management node is a NIM master too), so the words live
here, beside the drivers, and the core's adoption data only carries them."""

from __future__ import annotations

from xclone.plan.adoption import Adoption, with_mark


def xcat_mark(address: str, obj_type: str, name: str, before: str, mark: str,
              extra: tuple[tuple[str, str], ...] = ()) -> Adoption:
    after = with_mark(before, mark)
    words = (f"usercomment={after}", *(f"{k}={v}" for k, v in extra))
    return Adoption(address, "xCAT", obj_type, name, "usercomment", before, after,
                    ("chdef", "-t", obj_type, "-o", name, *words), extra)


def nim_mark(address: str, cls: str, name: str, before: str, mark: str,
             host: str | None = None) -> Adoption:
    after = with_mark(before, mark)
    return Adoption(address, "NIM", cls, name, "comments", before, after,
                    ("nim", "-o", "change", "-a", f"comments={after}", name), host=host)
