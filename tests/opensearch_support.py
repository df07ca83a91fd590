"""Real OpenSearch nodes for the tests: the launcher in tests/opensearch/ started on loopback.

The launcher is a small Java program (Maven build) that runs the OpenSearch 2.19 engine from its
Maven artifacts. `launcher_command()` builds it once, offline, from jars that `.ci/run` (or
`mvn -f tests/opensearch/pom.xml dependency:go-offline package`) fetched. Without Java, Maven or
those jars the tests that need a node skip with the reason; in CI (ARKIV_REQUIRE_SYSTEM_PACKAGES=1)
tests/conftest.py turns any skip into a failure.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

LAUNCHER = Path(__file__).resolve().parent / "opensearch"
JAR = LAUNCHER / "target" / "launcher.jar"
LIB = LAUNCHER / "target" / "lib"
MAIN_CLASS = "no.regionarkiv.opensearch.Launcher"
HEAP = "512m"  # per node; the machine has 2 cores and runs other tests beside it
START_TIMEOUT = 240.0  # seconds until the ready line, on a loaded 2-core machine
CLASSPATH = f"{JAR}{os.pathsep}{LIB}{os.sep}*"
# The tests' nodes: C1 only (TieredStopAtLevel=1), as a node starts in a third of the time on
# two busy cores (measured: a two-node cluster formed in 17 s instead of 51 s) and tests need no
# peak speed; and their classes mapped from a class-data archive made once per build
# (target/launcher.jsa, see _dump_class_archive).
QUICK_FLAGS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
CLASS_ARCHIVE = LAUNCHER / "target" / "launcher.jsa"
FETCH_HINT = (
    "mvn -q -f tests/opensearch/pom.xml dependency:go-offline package (needs Maven Central)"
)

_build_lock = threading.Lock()
_built: list[str] = []


def _sources_newer_than_jar() -> bool:
    if not JAR.is_file() or not LIB.is_dir():
        return True
    built_at = JAR.stat().st_mtime
    sources = [LAUNCHER / "pom.xml", *(LAUNCHER / "src").rglob("*.java")]
    return any(path.stat().st_mtime > built_at for path in sources)


@contextmanager
def _build_file_lock() -> Iterator[None]:
    """Held while the launcher is checked and built: the test workers of `make test` (and a
    benchmark run) are separate processes, and two Maven builds into one target/ break both."""
    LAUNCHER.joinpath("target").mkdir(exist_ok=True)
    with LAUNCHER.joinpath("target", ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def launcher_command(heap: str = HEAP, *, quick_start: bool = True) -> list[str]:
    """The java command that starts the launcher, building it first if needed (offline).
    Skips the calling test when Java, Maven or the fetched jars are missing. `quick_start`
    (tests) limits the JIT to C1 and maps the class-data archive; the benchmark turns it off
    for full speed."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("OpenSearch tests need Java 17 (apt-get install default-jdk-headless)")
    with _build_lock, _build_file_lock():
        if not _built:
            if _sources_newer_than_jar():
                mvn = shutil.which("mvn")
                if mvn is None:
                    pytest.skip(
                        "OpenSearch tests need Maven to build the launcher (apt-get install maven)"
                    )
                shutil.rmtree(LIB, ignore_errors=True)  # no jar of an older version stays behind
                done = subprocess.run(
                    [mvn, "-q", "-o", "-B", "-f", str(LAUNCHER / "pom.xml"), "package"],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
                    pytest.skip(
                        "the OpenSearch launcher does not build offline; fetch its jars once with "
                        f"`{FETCH_HINT}`: " + " | ".join(tail)
                    )
            if _archive_older_than_jar():
                _dump_class_archive(java)
            _built.append(str(JAR))
    if not quick_start:
        return [java, f"-Xms{heap}", f"-Xmx{heap}", "-cp", CLASSPATH, MAIN_CLASS]
    shared = [f"-XX:SharedArchiveFile={CLASS_ARCHIVE}"] if CLASS_ARCHIVE.is_file() else []
    return [java, f"-Xms{heap}", f"-Xmx{heap}", *QUICK_FLAGS, *shared, "-cp", CLASSPATH, MAIN_CLASS]


def _archive_older_than_jar() -> bool:
    return not CLASS_ARCHIVE.is_file() or CLASS_ARCHIVE.stat().st_mtime < JAR.stat().st_mtime


def _dump_class_archive(java: str) -> None:
    """Start and stop one node with -XX:ArchiveClassesAtExit, so that every later node maps
    the launcher's classes (some 12,000) from the archive instead of loading and verifying
    them: measured on two loaded cores, a node was ready after 2.3 s of CPU instead of 5.0 s.
    The dump costs one such start once per build; a node started without the archive (any
    failure here, or a JVM that rejects it) only starts slower."""
    partial = CLASS_ARCHIVE.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="arkiv-cds-") as home:
        command = [
            java, f"-Xms{HEAP}", f"-Xmx{HEAP}", *QUICK_FLAGS,
            f"-XX:ArchiveClassesAtExit={partial}", "-cp", CLASSPATH, MAIN_CLASS,
            f"path.home={home}", "node.name=class-archive", "cluster.name=arkiv-class-archive",
        ]  # fmt: skip
        process, reader, ready = _run_launcher(command, Path(home) / "node.log")
        assert process.stdout is not None
        try:
            line = ready.get(timeout=START_TIMEOUT)
        except queue.Empty:
            line = None
        if line is not None:
            process.send_signal(signal.SIGTERM)
        else:
            process.kill()
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stdout.close()
    if process.returncode == 0 and partial.is_file():
        partial.replace(CLASS_ARCHIVE)
    else:
        partial.unlink(missing_ok=True)


def free_port() -> int:
    """A TCP port free on loopback now (for transport ports that other nodes must know first)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Node:
    """One launcher process: a real OpenSearch node."""

    name: str
    home: Path
    process: subprocess.Popen[str]
    http: str  # host:port
    transport: str
    log: Path
    _reader: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.http}"

    def stop(self) -> int:
        """SIGTERM, then wait for the node to close; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_output()
        return self.process.returncode

    def _close_output(self) -> None:
        if self._reader is not None:
            self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def kill(self) -> None:
        """SIGKILL: the node dies at once, as a crashed machine would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._close_output()


class Relay:
    """A TCP relay on loopback to a node's HTTP port: the only road from an app to its cluster,
    so that closing it takes the cluster away under the app (as a stopped node would: open
    connections are cut and new ones refused) while the session's node serves the others."""

    def __init__(self, target: str) -> None:
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)  # the accept loop looks at `closed` this often
        self.http = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.closed = threading.Event()
        self.sockets: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    @property
    def url(self) -> str:
        return f"http://{self.http}"

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                pump = threading.Thread(target=self._pump, args=(source, sink), daemon=True)
                self.threads.append(pump)
                pump.start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # closed by close() or by the other side
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        """Refuse new connections and cut the open ones."""
        self.closed.set()
        self.listener.close()
        for each in self.sockets:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()
        for thread in self.threads:
            thread.join(timeout=10)


def _pump(stream: IO[str], log: Path, ready: queue.Queue[str | None]) -> None:
    with log.open("a", encoding="utf-8") as out:
        for line in stream:
            out.write(line)
            out.flush()
            if line.startswith("READY "):
                ready.put(line.strip())
    ready.put(None)  # the process closed its output: it has exited


@dataclass
class _Starting:
    name: str
    home: Path
    process: subprocess.Popen[str]
    log: Path
    reader: threading.Thread
    ready: queue.Queue[str | None]


def _spawn(
    home: Path, name: str, settings: Sequence[str], heap: str, *, quick_start: bool = True
) -> _Starting:
    command = launcher_command(heap, quick_start=quick_start)
    home.mkdir(parents=True, exist_ok=True)
    log = home / "node.log"
    args = [f"path.home={home}", f"node.name={name}", *settings]
    process, reader, ready = _run_launcher([*command, *args], log)
    return _Starting(name, home, process, log, reader, ready)


def _run_launcher(
    command: list[str], log: Path
) -> tuple[subprocess.Popen[str], threading.Thread, queue.Queue[str | None]]:
    """A launcher process, with a thread copying its output to `log` that puts the line
    saying the node is ready (or None at the end of the output) on the queue."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdout is not None
    ready: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, log, ready), daemon=True)
    reader.start()
    return process, reader, ready


def _await_ready(starting: _Starting) -> Node:
    process = starting.process
    assert process.stdout is not None
    try:
        line = starting.ready.get(timeout=START_TIMEOUT)
    except queue.Empty:
        process.kill()
        process.wait()
        process.stdout.close()
        raise RuntimeError(
            f"OpenSearch node {starting.name} gave no ready line; see {starting.log}"
        ) from None
    if line is None:
        process.wait()
        process.stdout.close()
        tail = starting.log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(
            f"OpenSearch node {starting.name} exited ({process.returncode}): " + "\n".join(tail)
        )
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    return Node(
        starting.name,
        starting.home,
        process,
        fields["http"],
        fields["transport"],
        starting.log,
        starting.reader,
    )


def start_node(
    home: Path,
    name: str,
    settings: Sequence[str] = (),
    heap: str = HEAP,
    *,
    quick_start: bool = True,
) -> Node:
    """Start a node in `home` (data and logs inside) and return once its HTTP port is bound."""
    return _await_ready(_spawn(home, name, settings, heap, quick_start=quick_start))


def start_cluster(root: Path, cluster: str, size: int = 2, heap: str = HEAP) -> list[Node]:
    """`size` launcher processes forming one cluster on loopback (every node may be manager).
    They start together: a node's start waits for the cluster to form, which needs the others."""
    names = [f"{cluster}-{i}" for i in range(1, size + 1)]
    ports = [free_port() for _ in names]
    seeds = ",".join(f"127.0.0.1:{port}" for port in ports)
    starting = [
        _spawn(
            root / name,
            name,
            [
                f"cluster.name={cluster}",
                f"transport.port={port}",
                f"discovery.seed_hosts={seeds}",
                f"cluster.initial_cluster_manager_nodes={','.join(names)}",
            ],
            heap,
        )
        for name, port in zip(names, ports, strict=True)
    ]
    nodes: list[Node] = []
    try:
        for each in starting:
            nodes.append(_await_ready(each))
    except BaseException:
        for node in nodes:
            node.stop()
        for each in starting[len(nodes) :]:
            if each.process.poll() is None:
                each.process.kill()
                each.process.wait()
            if each.process.stdout is not None:
                each.process.stdout.close()
        raise
    return nodes


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """One real node (cluster `arkiv-test`) for the whole session, killed at the end: its data
    is thrown away, and a clean close waited up to 30 s for work a test left in flight (seen
    after the benchmark smoke run), at the end of the worker's run."""
    node = start_node(
        tmp_path_factory.mktemp("opensearch"), "arkiv-single", ["cluster.name=arkiv-test"]
    )
    try:
        yield node
    finally:
        node.kill()
