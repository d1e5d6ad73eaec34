"""Progress reporting shared by commands (tqdm bar) and web jobs (a stored status)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[int, int | None], None]


def noop_progress(done: int, total: int | None) -> None:
    """Default callback: report nothing."""


def tqdm_progress(
    desc: str, *, unit: str = "baris", disable: bool | None = None
) -> tuple[ProgressCallback, Callable[[], None]]:
    """A (callback, close) pair that drives a tqdm bar on stderr."""
    from tqdm import tqdm

    bar: Any = tqdm(
        desc=desc,
        unit=unit,
        unit_scale=True,
        file=sys.stderr,
        disable=(not sys.stderr.isatty()) if disable is None else disable,
    )

    def callback(done: int, total: int | None) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    return callback, bar.close
