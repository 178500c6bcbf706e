"""The before/after comparison's table (benchmarks/compare_refactor.py): medians, spreads and
the ratio against issue 13's 5% limit, from made-up figures (the measuring is the script's run)."""

from __future__ import annotations

from benchmarks.compare_refactor import Row, report


def test_the_table_gives_medians_spreads_and_flags_only_a_ratio_beyond_five_percent() -> None:
    rows = [
        Row("plan 1,000 LPARs", "`make_plan` CPU", {"old": [1.0, 1.2, 0.9],
                                                    "new": [1.05, 1.0, 1.1]}),
        Row("lab apply 100 LPARs", "worker CPU", {"old": [2.0], "new": [2.2],
                                                  "new-old-store": [2.1]}),
    ]
    text = report(rows, "a" * 40, "b" * 40, 3, 90.0)
    assert ("| plan 1,000 LPARs | `make_plan` CPU | 1.00 (0.90–1.20) | 1.05 (1.00–1.10) | "
            "1.050 | — | — |") in text
    assert ("| lab apply 100 LPARs | worker CPU | 2.00 (2.00–2.00) | 2.20 (2.20–2.20) | "
            "1.100 (slower) | 2.10 (2.10–2.10) | 1.050 |") in text
    assert "Old: `aaaaaaaaaaaa`" in text and "New: `bbbbbbbbbbbb`" in text
    assert "the run took 1.5 min" in text


def test_the_report_gives_the_whole_process_ratio_of_10000_over_1000_lpars() -> None:
    """Issue 16: the 10k/1k ratio of `xclone plan` as a whole process, from the same rows."""
    rows = [
        Row("`xclone plan` 1,000 LPARs, snapshot", "whole process CPU",
            {"old": [1.0, 1.2], "new": [0.5]}),
        Row("`xclone plan` 10,000 LPARs, snapshot", "whole process CPU",
            {"old": [9.9, 12.1], "new": [2.0]}),
        Row("`xclone plan` 10,000 LPARs, snapshot", "whole process peak RSS, MiB",
            {"old": [400.0], "new": [140.0]}),
    ]
    text = report(rows, "a" * 40, "b" * 40, 2, 60.0)
    assert "10,000 over 1,000 LPARs (medians): old 10.0, new 4.0." in text
    assert "| whole process peak RSS, MiB | 400.00 (400.00–400.00) |" in text
