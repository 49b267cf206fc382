// Which errors answer 503 database_unavailable: only those that say PostgreSQL is slow, frozen or out of
// reach (send the request again later). A fault in a statement we wrote is a bug, and a 503 would hide
// it behind "try again": it must stay a 500, logged. The errors are PostgreSQL's and pg's own, provoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../server/database/databaseUnavailable.ts';
import { createPool } from '../../server/database/pool.ts';
import { findFreePort } from '../../server/runtime/dataDirState.ts';
import { createTestDatabase, type TestDatabase } from '../support/testApp.ts';

/** The error a statement fails with, and its SQLSTATE. */
async function failureOf(run: () => Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the statement was expected to fail');
  return error;
}

describe('isDatabaseUnavailable', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it.each<[string, string, string, unknown[]]>([
    ['42P18', 'a parameter whose type PostgreSQL cannot determine', 'SELECT $1 IS NULL', [null]],
    ['42703', 'an undefined column', 'SELECT no_such_column FROM orders', []],
    ['42P01', 'an undefined table', 'SELECT 1 FROM no_such_table', []],
    ['42601', 'a syntax error', 'SELEC 1', []],
    ['22P02', 'invalid text for a type', 'SELECT $1::int', ['twelve']],
    [
      '08P01',
      'fewer parameters than the statement has (a protocol violation)',
      'SELECT $1::int, $2::int',
      [1],
    ],
    ['23505', 'a unique violation', 'INSERT INTO public_id_counters VALUES (1999, 1), (1999, 2)', []],
  ])('is not a 503: %s, %s', async (state, _what, sql, params) => {
    const error = await failureOf(() => database.pool.query(sql, params));
    expect(error.code).toBe(state);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('is a 503: a statement cut off by statement_timeout (57014)', async () => {
    const slow = createPool(database.url, 1, undefined, { connectMs: 1000, statementMs: 100 });
    try {
      const error = await failureOf(() => slow.query('SELECT pg_sleep(2)'));
      expect(error.code).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await slow.end();
    }
  });

  it('is a 503: a session PostgreSQL ends (57P01) and a PostgreSQL nobody listens for (ECONNREFUSED)', async () => {
    const client = await database.pool.connect();
    client.on('error', () => undefined);
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const ended = await failureOf(() => client.query('SELECT 1'));
    client.release(ended);
    expect(isDatabaseUnavailable(ended)).toBe(true);

    const url = new URL(database.url);
    url.host = `127.0.0.1:${await findFreePort()}`;
    url.search = '';
    const nowhere = createPool(url.toString(), 1, undefined, { connectMs: 1000 });
    try {
      const refused = await failureOf(() => nowhere.query('SELECT 1'));
      expect(isDatabaseUnavailable(refused)).toBe(true);
    } finally {
      await nowhere.end();
    }
  });

  it('is a 503 for each connection exception of class 08, but not 08P01 (protocol violation: our bug)', () => {
    const withState = (code: string) => Object.assign(new Error('from PostgreSQL'), { code });
    for (const code of ['08000', '08001', '08003', '08004', '08006', '08007']) {
      expect(isDatabaseUnavailable(withState(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(withState('08P01'))).toBe(false);
  });
});
