// A @fastify/rate-limit store in PostgreSQL, so that every API process behind a balancer counts against
// one limit: rows of rate_limit_hits (migration 006), keyed by route class ("bucket"), key (an address or
// a token) and fixed window.
//
// Counting costs the request no query while a key is far from its limit: each process tallies its hits
// in memory and adds them to the table in one statement for all keys, a quarter of a second later
// (FLUSH_AFTER_MS). Once a key's count (the table's last total plus this process's tally) reaches half its
// limit, every hit is counted in the table at once, with the tally, so the limit is exact within a process
// and, across processes, over by at most what the others tallied below half the limit. A synchronous
// count per request cost anonymous search ~2 ms more per request (BENCHMARKS.md, search).
import type pg from 'pg';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export interface RateLimitStoreOptions {
  /** How often expired windows are deleted (at most once per this many ms, by the flush that finds it due). */
  cleanupEveryMs?: number;
  /** Told of a failed count; the plugin then lets the request through (skipOnError). */
  onError?: (error: Error) => void;
}

/** How long a tally waits in memory before it is added to the table. */
export const FLUSH_AFTER_MS = 250;

// Windows are fixed, aligned on the epoch: [floor(now / window) * window, + window), in ms.
const COUNT_SQL = `INSERT INTO rate_limit_hits AS hit (bucket, key, window_start, expires_at, hits)
  VALUES ($1, $2, to_timestamp($3::float8 / 1000), to_timestamp($4::float8 / 1000), $5)
  ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = hit.hits + excluded.hits
  RETURNING hit.hits`;

const FLUSH_SQL = `INSERT INTO rate_limit_hits AS hit (bucket, key, window_start, expires_at, hits)
  SELECT bucket, key, to_timestamp(start_ms / 1000), to_timestamp(end_ms / 1000), hits
    FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::int[])
      AS tally (bucket, key, start_ms, end_ms, hits)
  ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = hit.hits + excluded.hits
  RETURNING hit.bucket, hit.key, extract(epoch FROM hit.window_start)::float8 * 1000 AS start_ms, hit.hits`;

const READ_SQL = `SELECT hits FROM rate_limit_hits
  WHERE bucket = $1 AND key = $2 AND window_start = to_timestamp($3::float8 / 1000)`;

const REFUND_SQL = `UPDATE rate_limit_hits SET hits = hits - 1
  WHERE bucket = $1 AND key = $2 AND window_start = to_timestamp($3::float8 / 1000) AND hits > 0`;

const CLEANUP_SQL = 'DELETE FROM rate_limit_hits WHERE expires_at < now()';

/** Keys over their limit, remembered until their window ends, so a flood costs no query once refused. */
const MAX_REMEMBERED = 10_000;

/** One key's count in the current window: the table's last known total, and hits not yet added to it. */
interface Tally {
  bucket: string;
  key: string;
  startMs: number;
  endMs: number;
  known: number;
  pending: number;
  /** Hits on their way to the table: still counted, until the table's answer includes them. */
  sending: number;
}

/** What every route class's store of one plugin shares: the tallies, the refused keys and the flush. */
class Counter {
  readonly tallies = new Map<string, Tally>();
  readonly refused = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastCleanupMs = Date.now();

  constructor(
    readonly db: pg.Pool,
    readonly options: RateLimitStoreOptions,
  ) {}

  tally(bucket: string, key: string, timeWindow: number, now: number): Tally {
    const startMs = Math.floor(now / timeWindow) * timeWindow;
    const id = `${bucket}\u0000${key}`;
    let tally = this.tallies.get(id);
    if (!tally || tally.startMs !== startMs) {
      // A tally of an ended window still waiting for its flush is flushed with its own window first.
      if (tally?.pending) void this.flush();
      tally = { bucket, key, startMs, endMs: startMs + timeWindow, known: 0, pending: 0, sending: 0 };
      this.tallies.set(id, tally);
    }
    return tally;
  }

  flushSoon(): void {
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
  }

  /** Adds every pending tally to the table in one statement, and learns the totals other processes made. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const batch = [...this.tallies.values()].filter((tally) => tally.pending > 0);
    for (const [id, tally] of this.tallies) if (tally.endMs <= now && !tally.pending) this.tallies.delete(id);
    if (!batch.length) return;
    const sent = batch.map((tally) => ({ tally, hits: tally.pending }));
    for (const { tally, hits } of sent) {
      tally.pending = 0;
      tally.sending += hits;
    }
    try {
      const { rows } = await this.db.query<{ bucket: string; key: string; start_ms: number; hits: number }>(
        FLUSH_SQL,
        [
          sent.map(({ tally }) => tally.bucket),
          sent.map(({ tally }) => tally.key),
          sent.map(({ tally }) => tally.startMs),
          sent.map(({ tally }) => tally.endMs),
          sent.map(({ hits }) => hits),
        ],
      );
      for (const { tally, hits } of sent) tally.sending -= hits;
      for (const row of rows) {
        const tally = this.tallies.get(`${row.bucket}\u0000${row.key}`);
        if (tally && Math.abs(tally.startMs - row.start_ms) < 1)
          tally.known = Math.max(tally.known, row.hits);
      }
      await this.cleanUpWhenDue();
    } catch (error) {
      // Not counted this time: give the hits back to their tallies for the next flush.
      for (const { tally, hits } of sent) {
        tally.sending -= hits;
        tally.pending += hits;
      }
      this.options.onError?.(error as Error);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async cleanUpWhenDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanupMs < (this.options.cleanupEveryMs ?? 60_000)) return;
    this.lastCleanupMs = now;
    await this.db.query(CLEANUP_SQL);
  }
}

export class PostgresRateLimitStore {
  private readonly counter: Counter;

  constructor(
    db: pg.Pool,
    readonly bucket: string,
    options: RateLimitStoreOptions = {},
    counter?: Counter,
  ) {
    this.counter = counter ?? new Counter(db, options);
  }

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    const now = Date.now();
    const id = `${this.bucket}\u0000${key}`;
    const refusedUntil = this.counter.refused.get(id);
    if (refusedUntil !== undefined) {
      if (refusedUntil > now) return callback(null, { current: max + 1, ttl: refusedUntil - now });
      this.counter.refused.delete(id);
    }
    const tally = this.counter.tally(this.bucket, key, timeWindow, now);
    const ttl = tally.endMs - now;
    const current = tally.known + tally.sending + tally.pending + 1;
    if (current * 2 < max) {
      tally.pending += 1;
      this.counter.flushSoon();
      return callback(null, { current, ttl });
    }
    this.countNow(tally, max).then(
      (hits) => callback(null, { current: hits, ttl }),
      (error: Error) => {
        this.counter.options.onError?.(error);
        callback(error);
      },
    );
  }

  read(key: string, callback: Callback, timeWindow: number): void {
    const tally = this.counter.tally(this.bucket, key, timeWindow, Date.now());
    this.counter.db.query<{ hits: number }>(READ_SQL, [this.bucket, key, tally.startMs]).then(
      ({ rows }) => {
        const current = (rows[0]?.hits ?? 0) + tally.pending;
        callback(null, { current, ttl: current ? tally.endMs - Date.now() : 0 });
      },
      (error: Error) => callback(error),
    );
  }

  /** Gives back one count of the current window (a token check that succeeded after all). */
  async refund(key: string, timeWindow: number): Promise<void> {
    const tally = this.counter.tally(this.bucket, key, timeWindow, Date.now());
    if (tally.pending > 0) {
      tally.pending -= 1;
      return;
    }
    if (tally.known > 0) tally.known -= 1;
    await this.counter.db.query(REFUND_SQL, [this.bucket, key, tally.startMs]);
  }

  /** The store for one route class: the plugin passes the merged options, whose nameSpace names the class. */
  child(routeOptions: object): PostgresRateLimitStore {
    const { nameSpace } = routeOptions as { nameSpace?: string };
    return new PostgresRateLimitStore(this.counter.db, nameSpace ?? this.bucket, {}, this.counter);
  }

  /** Adds what this process has tallied to the table now (on close, and for tests). */
  flush(): Promise<void> {
    return this.counter.close();
  }

  /** Counts this hit, and the key's tally with it, in the table at once: near the limit, every hit is. */
  private async countNow(tally: Tally, max: number): Promise<number> {
    const hits = tally.pending + 1;
    tally.pending = 0;
    tally.sending += hits;
    let total: number;
    try {
      const { rows } = await this.counter.db.query<{ hits: number }>(COUNT_SQL, [
        tally.bucket,
        tally.key,
        tally.startMs,
        tally.endMs,
        hits,
      ]);
      total = rows[0]!.hits;
    } catch (error) {
      tally.pending += hits - 1;
      throw error;
    } finally {
      tally.sending -= hits;
    }
    tally.known = Math.max(tally.known, total);
    if (total > max) {
      if (this.counter.refused.size >= MAX_REMEMBERED) this.counter.refused.clear();
      this.counter.refused.set(`${tally.bucket}\u0000${tally.key}`, tally.endMs);
    }
    return total;
  }
}
