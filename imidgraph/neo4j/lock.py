"""The load lock: a second load waits for the first, then sees what it left.

Every load takes it before it reads anything and holds it until it ends, in a transaction
that is never committed: a ``MERGE`` on the load record's label with a key no record has
(:data:`~.vocabulary.LOCK_KEY`); the unique constraint on the key makes a second ``MERGE``
wait until the first transaction ends (rolled back, or gone with its server).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from .vocabulary import LOCK_KEY, META_LABEL

if TYPE_CHECKING:
    import neo4j

# Taken by every load before it reads anything, held until it ends, never committed: a
# second load waits here for the first (the unique constraint on the key makes the MERGE
# wait), then reads the state the first one left.
_LOCK = f"MERGE (l:{META_LABEL} {{key: $key}}) ON MATCH SET l.key = l.key"


@contextmanager
def load_lock(driver: neo4j.Driver, database: str) -> Iterator[None]:
    """Wait until no other load runs, and keep others waiting until the block ends."""
    with driver.session(database=database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(_LOCK, key=LOCK_KEY).consume()
            yield
        finally:
            with suppress(Exception):  # the server may be gone: the lock went with it
                tx.rollback()
