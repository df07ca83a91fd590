"""Compiled templates shared by every app of the process (a test suite makes dozens of apps)."""

from __future__ import annotations

import threading

from jinja2.bccache import Bucket, BytecodeCache


class ProcessTemplateCache(BytecodeCache):
    """Jinja bytecode kept in memory for the life of the process; an edited template has
    another checksum, so Jinja compiles it afresh."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self.lock:
            data = self.code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        with self.lock:
            self.code[bucket.key] = data


TEMPLATE_CACHE = ProcessTemplateCache()
