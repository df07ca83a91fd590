"""`python tests/cpu_total.py COMMAND...`: the wall time and the CPU time of every process a
command starts, orphans included, and the load average before and after (Linux).

`/usr/bin/time` and the shell's `time` count only the processes that their parents waited for.
Chromium's helper processes outlive the Playwright driver that started them, are handed to
init and are reaped there, so their CPU was missing from the suite's figures (a third of the
browser modules' CPU). Run as a child subreaper, this process is given every orphan of the
command and reaps it, so the kernel adds its CPU to the figure.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    load_before = load_average()
    started = time.monotonic()
    code = subprocess.call(argv)
    wall = time.monotonic() - started
    while True:  # the orphans handed to this process, some perhaps still running
        try:
            os.wait()
        except ChildProcessError:
            break
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{wall:.1f} s wall, {used.ru_utime + used.ru_stime:.1f} s CPU "
        f"({used.ru_utime:.1f} user, {used.ru_stime:.1f} system); "
        f"load average {load_before} before, {load_average()} after",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
