"""The ceiling of bench/ingest.py: the rows the API writes for an event (inbound event, customer
seq, timeline entry) written with plain psycopg on the same database, without Django, one event
per transaction and set-based batches."""

import collections
import hashlib
import json
import os
import random
import threading
import time
from datetime import UTC, datetime

from _events import Events

RAW_SOURCE = "bench-raw"


def _body_hash(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Raw:
    """Writes the rows the API writes for an interaction.recorded event, without Django."""

    def __init__(self, tables: dict, token_id: int):
        t = tables
        self.seq_sql = f"UPDATE {t['customer']} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq"
        self.entry_sql = (
            f"INSERT INTO {t['entry']} (customer_id, seq, kind, channel, direction, occurred_at, recorded_at, "
            "summary, body, actor_source, raw) VALUES (%s, %s, 'interaction', %s, 'inbound', %s, %s, %s, '', %s, %s) "
            "RETURNING id"
        )
        self.inbound_sql = (
            f"INSERT INTO {t['inbound']} (source, event_id, type, body_hash, body, customer_id, token_id, response, "
            "received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        # The batched variant, set-based.
        self.seqs_sql = (
            f"UPDATE {t['customer']} c SET last_seq = c.last_seq + v.n FROM unnest(%s::bigint[], %s::bigint[]) "
            "AS v(id, n) WHERE c.id = v.id RETURNING c.id, c.last_seq"
        )
        self.entries_sql = (
            f"INSERT INTO {t['entry']} (customer_id, seq, kind, channel, direction, occurred_at, recorded_at, "
            "summary, body, actor_source, raw) SELECT customer_id, seq, 'interaction', channel, 'inbound', "
            "occurred_at, recorded_at, summary, '', actor_source, raw::jsonb FROM unnest(%s::bigint[], %s::bigint[], "
            "%s::text[], %s::timestamptz[], %s::timestamptz[], %s::text[], %s::text[], %s::text[]) "
            "AS v(customer_id, seq, channel, occurred_at, recorded_at, summary, actor_source, raw) "
            "RETURNING id, customer_id, seq"
        )
        self.inbounds_sql = (
            f"INSERT INTO {t['inbound']} (source, event_id, type, body_hash, body, customer_id, token_id, response, "
            "received_at) SELECT source, event_id, type, body_hash, body::jsonb, customer_id, token_id, "
            "response::jsonb, received_at FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
            "%s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[]) "
            "AS v(source, event_id, type, body_hash, body, customer_id, token_id, response, received_at)"
        )
        self.token_id = token_id

    def entry_params(self, customer_id: int, seq: int, payload: dict, now: datetime) -> tuple:
        from psycopg.types.json import Jsonb

        return (
            customer_id,
            seq,
            payload["data"]["channel"],
            payload["occurred_at"],
            now,
            payload["data"]["summary"],
            RAW_SOURCE,
            Jsonb(payload),
        )

    def inbound_params(self, customer: tuple, seq: int, entry_id: int, payload: dict, now: datetime) -> tuple:
        from psycopg.types.json import Jsonb

        customer_id, number, _ = customer
        response = {
            "event": {"id": payload["id"], "type": payload["type"], "source": RAW_SOURCE},
            "customer": {"id": customer_id, "customer_number": number, "created": False},
            "timeline_entry": {"id": entry_id, "seq": seq},
        }
        return (
            RAW_SOURCE,
            payload["id"],
            payload["type"],
            _body_hash(payload),
            Jsonb(payload),
            customer_id,
            self.token_id,
            Jsonb(response),
            now,
        )

    def one(self, conn, customer: tuple, payload: dict) -> None:
        now = datetime.now(UTC)
        with conn.transaction(), conn.cursor() as cur:
            seq = cur.execute(self.seq_sql, (customer[0],)).fetchone()[0]
            entry_id = cur.execute(self.entry_sql, self.entry_params(customer[0], seq, payload, now)).fetchone()[0]
            cur.execute(self.inbound_sql, self.inbound_params(customer, seq, entry_id, payload, now))

    def many(self, conn, batch: list[tuple[tuple, dict]]) -> None:
        """Set-based: one UPDATE hands out the seqs, one INSERT per table, all from arrays (unnest)."""
        now = datetime.now(UTC)
        counts = collections.Counter(c[0] for c, _ in batch)
        with conn.transaction(), conn.cursor() as cur:
            tops = dict(cur.execute(self.seqs_sql, (list(counts), list(counts.values()))).fetchall())
            next_seq = {cid: top - counts[cid] + 1 for cid, top in tops.items()}
            seqs = []
            for c, _ in batch:
                seqs.append(next_seq[c[0]])
                next_seq[c[0]] += 1
            entries = [self.entry_params(c[0], seq, p, now) for (c, p), seq in zip(batch, seqs, strict=True)]
            ids = {(cid, seq): eid for eid, cid, seq in cur.execute(self.entries_sql, _columns(entries)).fetchall()}
            cur.execute(
                self.inbounds_sql,
                _columns(
                    [
                        self.inbound_params(c, seq, ids[c[0], seq], p, now)
                        for (c, p), seq in zip(batch, seqs, strict=True)
                    ]
                ),
            )


def _columns(rows: list[tuple]) -> list[list]:
    """Rows to one array per column; JSON values as text, cast to jsonb in the statement."""
    from psycopg.types.json import Jsonb

    return [[json.dumps(v.obj) if isinstance(v, Jsonb) else v for v in column] for column in zip(*rows, strict=True)]


def ceiling(
    *, raw: Raw, customers: list[tuple], threads: int, per_txn: int, warmup: float, seconds: float, run: str
) -> tuple[float, list[str]]:
    """Events/s written by ``threads`` connections, ``per_txn`` events per transaction."""
    import psycopg

    t0 = time.perf_counter() + warmup
    t1 = t0 + seconds
    done = [0] * threads
    errors: list[str] = []

    def worker(i: int):
        # Batched writers each get their own customers: no lock waits between them, the best case.
        mine = customers[i::threads] if per_txn > 1 else customers
        events = Events([], f"{run}-{i}", seed=100 + i)
        rng = random.Random(200 + i)
        try:
            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                while time.perf_counter() < t1:
                    if per_txn == 1:
                        customer = rng.choice(mine)
                        raw.one(conn, customer, events.one(customer[2]))
                    else:
                        picked = [rng.choice(mine) for _ in range(per_txn)]
                        raw.many(conn, [(c, events.one(c[2])) for c in picked])
                    if t0 <= time.perf_counter() <= t1:
                        done[i] += per_txn
        except Exception as exc:  # reported at the end, not hidden
            errors.append(f"{type(exc).__name__}: {exc}"[:300])

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / seconds, errors
