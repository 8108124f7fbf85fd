"""Answers are computed in worker threads, a few at once, each within the time limit: a slow
or failing answer holds one worker, never the server (the time limit's 503 is sent by
:mod:`.app`'s handlers; a thread past it finishes on its own and its result is dropped)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import anyio
from fastapi import Request


async def answer(request: Request, fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a worker thread (at most WORKERS at once), within the time limit."""
    with anyio.fail_after(request.app.state.time_limit):
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs), abandon_on_cancel=True, limiter=request.app.state.limiter
        )
