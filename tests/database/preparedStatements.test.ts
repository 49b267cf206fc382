// The archive's pool prepares each parameterised query once per connection, so PostgreSQL stops parsing
// and planning the hot queries of every upload (about a third of its CPU per document, measured).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/testApp.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('prepared statements', () => {
  it('prepares a parameterised query on first use and reuses it', async () => {
    const client = await database.pool.connect();
    try {
      const text = 'SELECT count(*)::int AS n FROM documents WHERE id = $1';
      for (const id of [1, 2, 3]) {
        const { rows } = await client.query<{ n: number }>(text, [id]);
        expect(rows[0]!.n).toBe(0);
      }
      const { rows } = await client.query<{ runs: number }>(
        `SELECT (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE statement = $1`,
        [text],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ runs: 3 });
    } finally {
      client.release();
    }
  });

  it('leaves queries without parameters, and several statements in one text, as they were', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN; SELECT 1; COMMIT');
      await client.query('SELECT 2 AS two');
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'BEGIN%' OR statement LIKE 'SELECT 2%'`,
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      client.release();
    }
  });

  it('gives the same answers as unprepared queries, through the pool and in parallel', async () => {
    const text = 'SELECT $1::int * 2 AS doubled, $2::text AS word';
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => database.pool.query(text, [index, `w${index}`])),
    );
    answers.forEach((answer, index) =>
      expect(answer.rows[0]).toEqual({ doubled: index * 2, word: `w${index}` }),
    );
  });
});
