// Fills a benchmark archive's PostgreSQL with many orders fast: INSERT … SELECT over generate_series in
// chunks, so PostgreSQL generates the rows itself (no round trip per row) and the statistics triggers run
// once per chunk, as they do for an importer's batches. The mix follows what the archive will hold:
// mostly registry-like decisions (a few Russian bodies, the law each uses, no outlet, one target, public),
// and a share of outlets' own orders with every status, laws, actions, responses and events, of which
// some are private or embargoed.
import type pg from 'pg';

export interface SyntheticOrdersOptions {
  orders: number;
  /** Share of outlets' own orders (the rest registry-like). */
  outletShare?: number;
  chunk?: number;
  onProgress?: (loaded: number) => void;
}

export async function loadSyntheticOrders(db: pg.Pool, options: SyntheticOrdersOptions): Promise<void> {
  const { orders, outletShare = 0.15, chunk = 50_000, onProgress } = options;
  await db.query(
    `INSERT INTO outlets (slug, name, country, domains)
     SELECT 'bench-outlet-' || n, 'Bench outlet ' || n, (ARRAY['KZ','KG','RU','UZ'])[1 + n % 4],
            ARRAY['outlet' || n || '.example']
       FROM generate_series(1, 50) AS n ON CONFLICT DO NOTHING`,
  );
  const registryBodies = [
    'ru-roskomnadzor',
    'ru-prosecutor-general',
    'ru-fns',
    'ru-rospotrebnadzor',
    'ru-mvd',
    'ru-courts',
  ];
  const registryLaws = [
    'RU/149-FZ/15.1',
    'RU/149-FZ/15.3',
    'RU/149-FZ/15.1',
    'RU/149-FZ/15.1',
    'RU/149-FZ/15.1',
    'RU/149-FZ/15.2',
  ];
  const laws = [
    'RU/149-FZ/15.3',
    'RU/149-FZ/15.1',
    'RU/149-FZ/15.1-1',
    'RU/2124-1/4',
    'KZ/MASS-MEDIA-1999/2',
    'KZ/COMMUNICATIONS-2004/41-1',
    'KG/FALSE-INFORMATION-2021/5',
  ];
  const actions = ['remove', 'restrict_access', 'block', 'geo_block', 'deindex', 'correct'];
  const statuses = ['received', 'complied', 'partially_complied', 'refused', 'challenged', 'withdrawn'];
  const { rows: counter } = await db.query<{ next: string }>(
    'SELECT COALESCE(max(id), 0) + 1 AS next FROM orders',
  );
  let first = Number(counter[0]!.next);
  for (let done = 0; done < orders; done += chunk) {
    const size = Math.min(chunk, orders - done);
    const last = first + size - 1;
    // hashes of n give stable pseudo-random choices per order, the same on every run.
    await db.query(
      `WITH r AS (
         SELECT n, abs(hashint4(n)) AS h1, abs(hashint4(n + 7919)) AS h2, abs(hashint4(n + 104729)) AS h3
           FROM generate_series($1::int, $2::int) AS n)
       INSERT INTO orders (public_id, authority_id, outlet_id, issued_on, legal_basis, demanded_actions, status,
                           visibility, embargo_until, summary, reference_number, import_source, import_reference)
       SELECT 'TD-2020-' || lpad(n::text, 7, '0'),
              CASE WHEN registry THEN (SELECT id FROM authorities WHERE slug = ($3::text[])[1 + h1 % 6])
                   ELSE (SELECT id FROM authorities ORDER BY id OFFSET h1 % 25 LIMIT 1) END,
              CASE WHEN registry THEN NULL ELSE (SELECT id FROM outlets WHERE slug = 'bench-outlet-' || (1 + h2 % 50)) END,
              date '2012-01-01' + (h3 % 4700),
              CASE WHEN registry THEN ARRAY[($4::text[])[1 + h1 % 6]]
                   WHEN h2 % 3 = 0 THEN ARRAY[($5::text[])[1 + h3 % 7], ($5::text[])[1 + h2 % 7]]
                   ELSE ARRAY[($5::text[])[1 + h3 % 7]] END,
              CASE WHEN registry THEN ARRAY['restrict_access']
                   WHEN h3 % 4 = 0 THEN ARRAY[($6::text[])[1 + h1 % 6], ($6::text[])[1 + h3 % 6]]
                   ELSE ARRAY[($6::text[])[1 + h2 % 6]] END,
              CASE WHEN registry THEN 'received' ELSE ($7::text[])[1 + h3 % 6] END,
              CASE WHEN registry OR h3 % 10 < 7 THEN 'public' WHEN h3 % 10 < 9 THEN 'private' ELSE 'embargoed' END,
              CASE WHEN NOT registry AND h3 % 10 = 9 THEN now() + interval '1 year' END,
              CASE WHEN registry THEN NULL ELSE 'A demand to remove coverage, order ' || n END,
              (h1 % 100) || '-' || (h2 % 1000) || '/' || n,
              CASE WHEN registry THEN 'registry' END,
              CASE WHEN registry THEN 'bench-' || n END
         FROM (SELECT *, (h1 % 1000) >= $8::int AS registry FROM r) AS x`,
      [first, last, registryBodies, registryLaws, laws, actions, statuses, Math.round(outletShare * 1000)],
    );
    await db.query(
      `INSERT INTO articles (url, canonical_url, title)
       SELECT 'https://site' || (o.id % 5000) || '.example/page/' || o.id,
              'https://site' || (o.id % 5000) || '.example/page/' || o.id, NULL
         FROM orders o WHERE o.id BETWEEN $1 AND $2`,
      [first, last],
    );
    await db.query(
      `INSERT INTO order_targets (order_id, article_id)
       SELECT o.id, a.id FROM orders o
         JOIN articles a ON a.canonical_url = 'https://site' || (o.id % 5000) || '.example/page/' || o.id
        WHERE o.id BETWEEN $1 AND $2`,
      [first, last],
    );
    await db.query(
      `INSERT INTO responses (order_id, kind, responded_on, text)
       SELECT id, 'refusal', issued_on + 3, 'We refuse.' FROM orders
        WHERE id BETWEEN $1 AND $2 AND outlet_id IS NOT NULL AND id % 5 < 2`,
      [first, last],
    );
    await db.query(
      `INSERT INTO events (order_id, kind, occurred_at, country)
       SELECT id, 'blocked', issued_on + 10, 'RU' FROM orders
        WHERE id BETWEEN $1 AND $2 AND id % 5 = 0`,
      [first, last],
    );
    first = last + 1;
    onProgress?.(done + size);
  }
  await db.query('ANALYZE orders; ANALYZE order_statistics; ANALYZE order_targets; ANALYZE articles');
}
