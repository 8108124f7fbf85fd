"""The load lock: a second load waits for the first, then sees what it left.

Every load takes it before it reads anything and holds it until it ends, in a transaction
that is never committed: a ``MERGE`` on the load record's label with a key no record has
(:data:`~.vocabulary.LOCK_KEY`); the unique constraint on the key makes a second ``MERGE``
wait until the first transaction ends (rolled back, or gone with its server).

A load waiting here when the server goes away (``load --bulk`` holds the lock until it has
stopped the server to import) fails with one line that says so: nothing was written, since
every load writes only once it holds the lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from .record import LoadError
from .vocabulary import LOCK_KEY, META_LABEL

if TYPE_CHECKING:
    import neo4j

# Taken by every load before it reads anything, held until it ends, never committed: a
# second load waits here for the first (the unique constraint on the key makes the MERGE
# wait), then reads the state the first one left.
_LOCK = f"MERGE (l:{META_LABEL} {{key: $key}}) ON MATCH SET l.key = l.key"

GONE_WHILE_WAITING = (
    "the server went away while this load waited for another load to finish (a 'load --bulk' stops the "
    "server to import): nothing was written; run the load again once the server is back"
)
# what the wait ends with when the server stops under it: the connection lost, or the
# server ending the waiting transaction as it shuts down
_GONE_CODES = ("LockClientStopped", "Transaction.Terminated", "DatabaseUnavailable", "DatabaseNotFound")


@contextmanager
def load_lock(driver: neo4j.Driver, database: str) -> Iterator[None]:
    """Wait until no other load runs, and keep others waiting until the block ends."""
    with driver.session(database=database) as session:
        tx = session.begin_transaction()
        try:
            try:
                tx.run(_LOCK, key=LOCK_KEY).consume()
            except Exception as e:
                if _server_went_away(e):
                    raise LoadError(GONE_WHILE_WAITING) from e
                raise
            yield
        finally:
            with suppress(Exception):  # the server may be gone: the lock went with it
                tx.rollback()


def _server_went_away(error: Exception) -> bool:
    from neo4j import exceptions as nx  # the driver: imported when used

    if isinstance(error, nx.ServiceUnavailable | nx.SessionExpired | OSError):
        return True
    return any(code in (getattr(error, "code", None) or "") for code in _GONE_CODES)
