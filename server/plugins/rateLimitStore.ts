// A @fastify/rate-limit store in PostgreSQL, so that every API process behind a balancer counts against
// one limit: one UPSERT per counted request into rate_limit_hits (migration 006), keyed by route class
// ("bucket"), key (an address or a token) and fixed window, the window taken from PostgreSQL's clock.
import type pg from 'pg';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export interface RateLimitStoreOptions {
  /** How often expired windows are deleted (at most once per this many ms, by the request that finds it due). */
  cleanupEveryMs?: number;
  /** Told of a failed count; the plugin then lets the request through (skipOnError). */
  onError?: (error: Error) => void;
}

const WINDOW_START = `to_timestamp(floor(extract(epoch FROM now())::float8 * 1000 / $3::float8) * $3::float8 / 1000)`;

const COUNT_SQL = `INSERT INTO rate_limit_hits AS hit (bucket, key, window_start, expires_at, hits)
  SELECT $1, $2, w.start, w.start + $3::float8 * interval '1 millisecond', 1
    FROM (SELECT ${WINDOW_START} AS start) AS w
  ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = hit.hits + 1
  RETURNING hit.hits, ceil(extract(epoch FROM hit.expires_at - now()) * 1000)::float8 AS ttl_ms`;

const READ_SQL = `SELECT hits, ceil(extract(epoch FROM expires_at - now()) * 1000)::float8 AS ttl_ms
  FROM rate_limit_hits WHERE bucket = $1 AND key = $2 AND window_start = ${WINDOW_START}`;

const REFUND_SQL = `UPDATE rate_limit_hits SET hits = hits - 1
  WHERE bucket = $1 AND key = $2 AND window_start = ${WINDOW_START} AND hits > 0`;

const CLEANUP_SQL = 'DELETE FROM rate_limit_hits WHERE expires_at < now()';

/** Keys over their limit, remembered until their window ends, so a flood costs no query once refused. */
const MAX_REMEMBERED = 10_000;

interface Shared {
  lastCleanupMs: number;
}

export class PostgresRateLimitStore {
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly db: pg.Pool,
    readonly bucket: string,
    private readonly options: RateLimitStoreOptions = {},
    private readonly shared: Shared = { lastCleanupMs: Date.now() },
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    const refusedUntil = this.refused.get(key);
    const now = Date.now();
    if (refusedUntil !== undefined) {
      if (refusedUntil > now) return callback(null, { current: max + 1, ttl: refusedUntil - now });
      this.refused.delete(key);
    }
    this.count(key, timeWindow, max).then(
      (result) => callback(null, result),
      (error: Error) => {
        this.options.onError?.(error);
        callback(error);
      },
    );
  }

  read(key: string, callback: Callback, timeWindow: number): void {
    this.db.query<{ hits: number; ttl_ms: number }>(READ_SQL, [this.bucket, key, timeWindow]).then(
      ({ rows }) =>
        callback(null, rows[0] ? { current: rows[0].hits, ttl: rows[0].ttl_ms } : { current: 0, ttl: 0 }),
      (error: Error) => callback(error),
    );
  }

  /** Gives back one count of the current window (a token check that succeeded after all). */
  async refund(key: string, timeWindow: number): Promise<void> {
    await this.db.query(REFUND_SQL, [this.bucket, key, timeWindow]);
  }

  /** The store for one route class: the plugin passes the merged options, whose nameSpace names the class. */
  child(routeOptions: object): PostgresRateLimitStore {
    const { nameSpace } = routeOptions as { nameSpace?: string };
    return new PostgresRateLimitStore(this.db, nameSpace ?? this.bucket, this.options, this.shared);
  }

  private async count(key: string, timeWindow: number, max: number) {
    const { rows } = await this.db.query<{ hits: number; ttl_ms: number }>(COUNT_SQL, [
      this.bucket,
      key,
      timeWindow,
    ]);
    const { hits, ttl_ms: ttl } = rows[0]!;
    if (hits > max) {
      if (this.refused.size >= MAX_REMEMBERED) this.refused.clear();
      this.refused.set(key, Date.now() + ttl);
    }
    await this.cleanUpWhenDue();
    return { current: hits, ttl };
  }

  private async cleanUpWhenDue(): Promise<void> {
    const now = Date.now();
    if (now - this.shared.lastCleanupMs < (this.options.cleanupEveryMs ?? 60_000)) return;
    this.shared.lastCleanupMs = now;
    await this.db.query(CLEANUP_SQL);
  }
}
