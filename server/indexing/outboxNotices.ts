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
  /** Gives the listening connection back to the pool, when there is one. */
  let closeCurrent: (() => Promise<void>) | undefined;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };
  const connect = async () => {
    let connection: pg.PoolClient | undefined;
    let released = false;
    const notify = () => onWrite();
    // Our listeners go before the connection goes back: a released client's errors are the pool's.
    const release = (error?: Error) => {
      if (released || !connection) return;
      released = true;
      connection.off('notification', notify);
      connection.off('error', drop);
      connection.release(error);
    };
    // A connection that fails is given back broken (the pool discards it), once, and another is tried.
    function drop(error: Error) {
      if (released) return;
      closeCurrent = undefined;
      release(error);
      log.warn({ err: error, retryInMs: RECONNECT_MS }, 'search outbox notices lost; polling until back');
      reconnectLater();
    }
    try {
      connection = await db.connect();
      connection.on('notification', notify);
      connection.on('error', drop);
      await connection.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (stopped) {
        release();
        return;
      }
      const listening = connection;
      closeCurrent = async () => {
        await listening.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
        release();
      };
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
      const close = closeCurrent;
      closeCurrent = undefined;
      await close?.();
    },
  };
}
