// Listens, on a connection of its own, for the notice PostgreSQL sends when a committed write has queued
// orders for search (the trigger of migration 005), and reconnects after a failure. The relay polls as
// well, so a notice lost while this reconnects only delays indexing until the next poll.
import type pg from 'pg';
import type { Logger } from 'pino';

export const OUTBOX_CHANNEL = 'search_outbox';
const RECONNECT_MS = 5_000;

export interface OutboxNotices {
  stop(): Promise<void>;
}

export function listenForOutboxWrites(db: pg.Pool, onWrite: () => void, log: Logger): OutboxNotices {
  let stopped = false;
  let client: pg.PoolClient | undefined;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };
  const connect = async () => {
    let connection: pg.PoolClient | undefined;
    let dropped = false;
    // A connection that fails is given back broken (the pool discards it), once, and another is tried.
    const drop = (error: Error) => {
      if (dropped || !connection) return;
      dropped = true;
      if (client === connection) client = undefined;
      connection.release(error);
      log.warn({ err: error, retryInMs: RECONNECT_MS }, 'search outbox notices lost; polling until back');
      reconnectLater();
    };
    try {
      connection = await db.connect();
      connection.on('notification', () => onWrite());
      connection.on('error', drop);
      await connection.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (stopped) {
        connection.release();
        return;
      }
      client = connection;
    } catch (error) {
      if (connection) drop(error as Error);
      else {
        log.warn({ err: error, retryInMs: RECONNECT_MS }, 'cannot listen for search outbox notices');
        reconnectLater();
      }
    }
  };
  void connect();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      const connection = client;
      client = undefined;
      if (!connection) return;
      await connection.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
      connection.release();
    },
  };
}
