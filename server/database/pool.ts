// The PostgreSQL connection pool, with types parsed the way the API presents them.
import pg from 'pg';

// DATE stays 'YYYY-MM-DD': turning it into a JS Date would shift it by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// BIGINT (ids, counts) as numbers: none of ours comes near 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max });
}
