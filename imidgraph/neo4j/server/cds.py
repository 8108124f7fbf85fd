"""Class-data sharing: the server's JVM starts from an archive of the classes it loaded before.

Java 17+ can write, when it exits, the classes an application loaded into an archive
(``-XX:ArchiveClassesAtExit``) and map that archive at the next start
(``-XX:SharedArchiveFile``), so that some 20,000 classes are not read from the jars, parsed
and verified again: on our 2-core machines the server's start went from ~7 s to ~4.3 s, which
every restart gains (``imidgraph load --bulk`` restarts it once).

An archive holds only for the same ``java`` and the same jars on the same paths with the same
options, so its file, ``<home>/run/cds/<fingerprint>.jsa``, is named after a fingerprint of
them (the ``java`` binary, every jar's name, size and time, the JVM options): after an
upgrade the name changes, a new archive is written and the old ones are removed.

Writing one costs once per home: the first start runs with ``-XX:ArchiveClassesAtExit`` into a
``.part`` file, and that server's stop takes some seconds more while the JVM writes ~160 MB.
:func:`after_stop` keeps the file only if the JVM ended by itself after SIGTERM (a SIGKILL
may leave half an archive), and writes it to disk (``fsync``) before it renames it into place,
with a note of its size beside it (``<archive>.size``). :func:`options` maps an archive only if
its size is the noted one (a crash right after a stop, a truncated file: discarded, and a new
one written at the next stop). An archive is mapped with ``-Xshare:on`` and
``-XX:+VerifySharedSpaces`` (its header and the checksums of its regions checked): a JVM that
cannot use it (flipped bytes) exits at start-up, and ``server.start`` discards it and starts once
more without it; that JVM writes a new one at its stop. (Without them the JVM goes on without
a damaged archive, silently, at every start, and it is never written again.)
``IMIDGRAPH_NEO4J_CDS=0`` turns this off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

ENV_CDS = "IMIDGRAPH_NEO4J_CDS"
FOLDER = "run/cds"
PART = ".part"
SIZE = ".size"  # beside an archive: its size as written, for the check before mapping it
MAP_OPTION = "-XX:SharedArchiveFile="
STRICT = ("-Xshare:on", "-XX:+VerifySharedSpaces")  # with an archive mapped: use it or stop


def enabled() -> bool:
    return os.environ.get(ENV_CDS, "1").strip().lower() not in ("0", "false", "no", "off")


def fingerprint(java: str, home: Path, command: list[str]) -> str:
    """What an archive depends on: the JVM, the jars of the class path, the options."""
    h = hashlib.sha256()
    real = Path(java).resolve()
    st = real.stat()
    h.update(f"{real}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for folder in ("plugins", "conf", "lib"):
        for jar in sorted((home / folder).glob("*.jar")):
            js = jar.stat()
            h.update(f"{jar}\0{js.st_size}\0{js.st_mtime_ns}\0".encode())
    h.update("\0".join(command[1:]).encode())
    return h.hexdigest()[:16]


def options(java: str, home: Path, command: list[str]) -> list[str]:
    """The JVM options for launching ``command``: map the archive if there is one for this
    fingerprint, else write one at exit (any other archive or unfinished part is removed)."""
    if not enabled():
        return []
    folder = home / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{fingerprint(java, home, command)}.jsa"
    note = archive.with_name(archive.name + SIZE)
    for other in folder.iterdir():
        if other not in (archive, note):
            with contextlib.suppress(OSError):
                other.unlink()
    if intact(archive):
        # -Xshare:on: an archive the JVM cannot use (a damaged header, or with the check of
        # -XX:+VerifySharedSpaces a damaged region) stops it at once, and server.start starts
        # again without it; by default the JVM would go on without it, silently, at every start,
        # and the archive would never be written again
        return [f"{MAP_OPTION}{archive}", *STRICT]
    discard(home)
    # -Xlog:cds=off: the dump warns once per class it skips (some 3,000 lines in console.out)
    return [f"-XX:ArchiveClassesAtExit={archive}{PART}", "-Xlog:cds=off"]


def intact(archive: Path) -> bool:
    """Whether ``archive`` is there with the size noted when it was put in place."""
    try:
        noted = int(archive.with_name(archive.name + SIZE).read_text().strip())
        return noted > 0 and archive.stat().st_size == noted
    except (OSError, ValueError):
        return False


def discard(home: Path) -> None:
    """Remove every archive of ``home`` (and its note): the next start writes a new one."""
    folder = home / FOLDER
    for path in folder.glob("*.jsa*") if folder.is_dir() else ():
        with contextlib.suppress(OSError):
            path.unlink()


def mapped(command: list[str]) -> bool:
    """Whether ``command`` maps an archive."""
    return any(arg.startswith(MAP_OPTION) for arg in command)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def after_stop(home: Path, ended_by_itself: bool) -> None:
    """Keep the archive the stopped JVM wrote if it ended by itself (on disk before it is
    renamed into place, its size noted beside it); drop it otherwise."""
    folder = home / FOLDER
    if not folder.is_dir():
        return
    for part in folder.glob(f"*.jsa{PART}"):
        with contextlib.suppress(OSError):
            size = part.stat().st_size
            if not (ended_by_itself and size > 0):
                part.unlink()
                continue
            archive = part.with_name(part.name[: -len(PART)])
            _fsync(part)
            part.replace(archive)
            note = archive.with_name(archive.name + SIZE)
            tmp = note.with_name(note.name + PART)
            tmp.write_text(f"{size}\n")
            _fsync(tmp)
            tmp.replace(note)
            _fsync(folder)
