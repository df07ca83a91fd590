"""Slowing down guessed passwords: failed sign-ins per key in a sliding window."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import datetime, timedelta

MAX_KEYS = 10_000


class SignInThrottle:
    """After `free` failures within `window` for a key, each further try waits twice as long.

    Keys are a lower-cased user name and a client address, so that one address cannot try
    many names, nor many addresses one name. The clock is injected for tests.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        free: int = 5,
        window: timedelta = timedelta(minutes=15),
        base: timedelta = timedelta(seconds=2),
        longest: timedelta = timedelta(minutes=15),
    ) -> None:
        self.clock = clock
        self.free = free
        self.window = window
        self.base = base
        self.longest = longest
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait_seconds(self, *keys: str) -> int:
        """Seconds until any of keys may try again (0: now)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                extra = len(times) - self.free
                if extra < 0:
                    continue
                delay = min(self.base * 2**extra, self.longest)
                longest = max(longest, (times[-1] + delay - now).total_seconds())
        return max(0, int(-(-longest // 1)))  # round up

    def fail(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:  # many names or addresses: forget the old ones
                for key in [k for k, times in self._failures.items() if not self._recent(k, now)]:
                    del self._failures[key]
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
