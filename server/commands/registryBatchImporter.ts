// Writes one batch of blocking-registry decisions: each decision one public order of its authority (found
// again by its import reference, never made twice), its URLs, domains and IPs the order's targets (one
// article per canonical URL, as everywhere in the archive), each target's listing in the dump, a
// 'blocked' event where a target newly appears, an audit record per order touched and a search update
// through the outbox — all in the caller's transaction, set-based, so a million rows take minutes.
import type { Caller } from '../auth/caller.ts';
import type { Queryable } from '../database/transaction.ts';
import type { RegistryTarget } from '../../domain/registryRows.ts';
import { registryAuthoritySlug, unknownRegistryBodySlug } from '../../domain/registryBodies.ts';
import { actorName } from '../auth/caller.ts';
import { forbidden } from '../errors.ts';

/** actor, token_id, user_id, session_id of audit_log, as recordAudit() writes them. */
type AuditColumns = [string, number | null, number | null, number | null];

function auditColumns(caller: Caller): AuditColumns {
  if (caller.kind === 'anonymous') return [actorName(caller), null, null, null];
  return [actorName(caller), caller.tokenId, caller.userId, caller.sessionId];
}

export const REGISTRY_SOURCE_URL = 'https://github.com/zapret-info/z-i';
// z-i has no LICENSE file: it is a dump of a public state register, cited by name.
export const REGISTRY_LICENCE =
  'Public state register of Roskomnadzor (no licence stated); cite "Zapret-Info / z-i"';

export interface RegistryDecision {
  /** decisionKey(): body | number | date. */
  key: string;
  authorityId: number;
  decisionNumber: string;
  decisionDate: string;
  targets: RegistryTarget[];
}

export interface RegistryBatchOutcome {
  /** Keys of the decisions this batch made an order for (the others already had one). */
  createdKeys: Set<string>;
  targetsAdded: number;
  /** Targets that appeared in the registry with this dump: one 'blocked' event each. */
  listed: number;
}

const TARGET_NOTES: Record<RegistryTarget['kind'], string> = {
  url: 'blocking registry: URL',
  domain: 'blocking registry: domain',
  ip: 'blocking registry: IP address',
};

/** Writes the decisions as of the dump dated `asOf` (YYYY-MM-DD). Run inside a transaction. */
export async function importRegistryBatch(
  db: Queryable,
  caller: Caller,
  { asOf, decisions }: { asOf: string; decisions: RegistryDecision[] },
): Promise<RegistryBatchOutcome> {
  const outcome: RegistryBatchOutcome = { createdKeys: new Set(), targetsAdded: 0, listed: 0 };
  if (decisions.length === 0) return outcome;
  if (caller.kind !== 'editor') throw forbidden('only an editor may import a registry');
  const auditor = auditColumns(caller);
  const orderIds = await findOrCreateOrders(db, auditor, decisions, outcome.createdKeys);
  const articleIds = await findOrCreateArticles(db, decisions);

  const pairs = {
    order: [] as number[],
    article: [] as number[],
    kind: [] as string[],
    note: [] as string[],
  };
  const display = new Map<number, string>();
  for (const decision of decisions) {
    const orderId = orderIds.get(decision.key)!;
    for (const target of decision.targets) {
      const articleId = articleIds.get(target.canonical)!;
      pairs.order.push(orderId);
      pairs.article.push(articleId);
      pairs.note.push(
        target.wildcard ? `${TARGET_NOTES.domain} and every name under it` : TARGET_NOTES[target.kind],
      );
      display.set(articleId, target.display);
    }
  }

  // Imported orders are public and their targets public addresses: every link discloses its article.
  // One statement adds the new targets and marks every target listed as of this dump; `old` (PostgreSQL
  // 18) tells a new listing (a new target, or one that had left the registry) from one already listed.
  const written = await db.query<{ order_id: string; article_id: string; added: boolean; relisted: boolean }>(
    `INSERT INTO order_targets AS t (order_id, article_id, note, article_disclosed, registry_listed, first_listed_on, last_listed_on)
     SELECT o, a, n, true, true, $4::date, $4::date FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS i(o, a, n)
     ON CONFLICT (order_id, article_id) DO UPDATE
       SET registry_listed = true, delisted_on = NULL, last_listed_on = $4::date,
           first_listed_on = COALESCE(t.first_listed_on, $4::date)
       WHERE t.registry_listed IS NOT TRUE OR t.last_listed_on < $4::date
     RETURNING t.order_id, t.article_id, old.order_id IS NULL AS added, old.registry_listed IS NOT TRUE AS relisted`,
    [pairs.order, pairs.article, pairs.note, asOf],
  );
  const createdIds = new Set([...outcome.createdKeys].map((key) => orderIds.get(key)!));
  const listedRows = written.rows.filter((row) => row.added || row.relisted);
  outcome.targetsAdded = written.rows.filter((row) => row.added).length;
  outcome.listed = listedRows.length;
  // A new order's listing is one event (its targets are all new, and listed as its story shows); a target
  // that joins, or comes back to, a decision already in the archive gets an event of its own.
  const joined = listedRows.filter((row) => !createdIds.has(Number(row.order_id)));
  const newOrders = decisions.filter((decision) => outcome.createdKeys.has(decision.key));
  if (joined.length > 0 || newOrders.length > 0) {
    await db.query(
      `INSERT INTO events (order_id, article_id, kind, occurred_at, country, source_url, description)
       SELECT o, a, 'blocked', $3::date, 'RU', $4, 'Listed in the unified blocking registry (dump of ' || $3 || '): ' || d
         FROM unnest($1::bigint[], $2::bigint[], $5::text[]) AS t(o, a, d)`,
      [
        [...joined.map((row) => row.order_id), ...newOrders.map((decision) => orderIds.get(decision.key)!)],
        [...joined.map((row) => row.article_id), ...newOrders.map(() => null)],
        asOf,
        REGISTRY_SOURCE_URL,
        [
          ...joined.map((row) => display.get(Number(row.article_id)) ?? ''),
          ...newOrders.map((decision) =>
            decision.targets.length === 1
              ? decision.targets[0]!.display
              : `${decision.targets.length} targets`,
          ),
        ],
      ],
    );
  }

  const touched = [...new Set(written.rows.map((row) => Number(row.order_id)))];
  if (touched.length > 0) {
    const count = (rows: typeof written.rows) => {
      const counts = new Map<number, number>();
      for (const row of rows) counts.set(Number(row.order_id), (counts.get(Number(row.order_id)) ?? 0) + 1);
      return touched.map((id) => counts.get(id) ?? 0);
    };
    // One record per order and dump: which of its targets were added and listed (a new order's
    // creation is recorded beside it, by findOrCreateOrders).
    await db.query(
      `INSERT INTO audit_log (actor, token_id, user_id, session_id, action, record_type, record_id, after)
       SELECT $2, $3, $4, $5, 'order.registry_import', 'order', t.id::text,
              jsonb_build_object('as_of', $6::text, 'targets_added', t.added, 'targets_listed', t.listed)
         FROM unnest($1::bigint[], $7::int[], $8::int[]) AS t(id, added, listed)`,
      [touched, ...auditor, asOf, count(written.rows.filter((row) => row.added)), count(listedRows)],
    );
    await db.query('INSERT INTO search_outbox (order_id) SELECT unnest($1::bigint[])', [touched]);
  }
  return outcome;
}

/** The order id of each decision: found by import reference, or created public with the next public ids. */
async function findOrCreateOrders(
  db: Queryable,
  auditor: AuditColumns,
  decisions: RegistryDecision[],
  createdKeys: Set<string>,
): Promise<Map<string, number>> {
  const keys = decisions.map((decision) => decision.key);
  const found = await db.query<{ id: number; import_reference: string }>(
    `SELECT id, import_reference FROM orders WHERE import_source = 'registry' AND import_reference = ANY($1::text[])`,
    [keys],
  );
  const ids = new Map(found.rows.map((row) => [row.import_reference, Number(row.id)]));
  const missing = decisions.filter((decision) => !ids.has(decision.key));
  if (missing.length === 0) return ids;

  // The same counter as publicIdAllocator.ts, moved on by the whole batch at once (no gaps on rollback).
  const year = new Date().getUTCFullYear();
  const counter = await db.query<{ last_value: number }>(
    `INSERT INTO public_id_counters (year, last_value) VALUES ($1, $2)
     ON CONFLICT (year) DO UPDATE SET last_value = public_id_counters.last_value + $2 RETURNING last_value`,
    [year, missing.length],
  );
  const first = counter.rows[0]!.last_value - missing.length + 1;
  const created = await db.query<{ id: number; import_reference: string }>(
    `INSERT INTO orders (public_id, authority_id, reference_number, issued_on, demanded_actions, visibility,
                         language, import_source, import_reference, import_licence, import_source_url, import_reviewed,
                         outcomes)
     SELECT p, a, n, d::date, '{block}', 'public', 'ru', 'registry', k, $6, $7, true, '{blocked}'
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS t(p, a, n, d, k)
     RETURNING id, import_reference`,
    [
      missing.map((_, index) => `TD-${year}-${String(first + index).padStart(5, '0')}`),
      missing.map((decision) => decision.authorityId),
      missing.map((decision) => decision.decisionNumber),
      missing.map((decision) => decision.decisionDate),
      missing.map((decision) => decision.key),
      REGISTRY_LICENCE,
      REGISTRY_SOURCE_URL,
    ],
  );
  for (const row of created.rows) {
    ids.set(row.import_reference, Number(row.id));
    createdKeys.add(row.import_reference);
  }
  await db.query(
    `INSERT INTO audit_log (actor, token_id, user_id, session_id, action, record_type, record_id, after)
     SELECT $2, $3, $4, $5, 'order.create', 'order', o.id::text,
            jsonb_build_object('public_id', o.public_id, 'authority_id', o.authority_id,
              'reference_number', o.reference_number, 'issued_on', o.issued_on, 'visibility', o.visibility,
              'import_source', o.import_source, 'import_reference', o.import_reference)
       FROM orders o WHERE o.id = ANY($1::bigint[])`,
    [created.rows.map((row) => row.id), ...auditor],
  );
  return ids;
}

/**
 * The article id of each target's canonical URL, recording new ones (with their outlet, by domain). Unlike
 * registerArticle() no 'article.create' record is written per article: each is recorded as a target of a
 * public order, in that order's audit record, and its visibility follows from that order.
 */
async function findOrCreateArticles(
  db: Queryable,
  decisions: RegistryDecision[],
): Promise<Map<string, number>> {
  const byCanonical = new Map<string, RegistryTarget>();
  for (const decision of decisions) {
    for (const target of decision.targets) byCanonical.set(target.canonical, target);
  }
  // Sorted, so two imports never wait on each other's rows in opposite orders.
  const targets = [...byCanonical.values()].sort((a, b) => (a.canonical < b.canonical ? -1 : 1));
  const inserted = await db.query<{
    id: number;
    canonical_url: string;
    url: string;
    outlet_id: number | null;
  }>(
    `INSERT INTO articles (url, canonical_url, outlet_id)
     SELECT u, c, (SELECT id FROM outlets WHERE h = ANY(domains) OR 'www.' || h = ANY(domains) ORDER BY id LIMIT 1)
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(u, c, h)
     ON CONFLICT (canonical_url) DO NOTHING RETURNING id, canonical_url, url, outlet_id`,
    [targets.map((t) => t.display), targets.map((t) => t.canonical), targets.map((t) => t.host)],
  );
  const ids = new Map(inserted.rows.map((row) => [row.canonical_url, Number(row.id)]));
  const rest = targets.filter((t) => !ids.has(t.canonical)).map((t) => t.canonical);
  if (rest.length > 0) {
    const found = await db.query<{ id: number; canonical_url: string }>(
      'SELECT id, canonical_url FROM articles WHERE canonical_url = ANY($1::text[])',
      [rest],
    );
    for (const row of found.rows) ids.set(row.canonical_url, Number(row.id));
  }
  return ids;
}

export interface RegistryAuthority {
  id: number;
  slug: string;
  /** The catalogue does not know the body: it was recorded (now, or by an earlier import) as 'other'. */
  unknown: boolean;
  /** This call recorded the body. */
  created: boolean;
}

/**
 * The authority of a registry issuing body: the catalogued one (seeded at start), or one recorded for a
 * body the catalogue lacks, under a slug derived from its name so the next import finds it again.
 */
export async function resolveRegistryAuthority(
  db: Queryable,
  caller: Caller,
  body: string,
): Promise<RegistryAuthority> {
  if (caller.kind !== 'editor') throw forbidden('only an editor may import a registry');
  const known = registryAuthoritySlug(body);
  if (known) {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM authorities WHERE slug = $1', [known]);
    if (rows[0]) return { id: Number(rows[0].id), slug: known, unknown: false, created: false };
  }
  const slug = unknownRegistryBodySlug(body);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO authorities (slug, name, local_name, country, kind) VALUES ($1, $2, $2, 'RU', 'other')
     ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [slug, body.trim()],
  );
  if (inserted.rows[0]) {
    const [actor, tokenId, userId, sessionId] = auditColumns(caller);
    await db.query(
      `INSERT INTO audit_log (actor, token_id, user_id, session_id, action, record_type, record_id, after)
       VALUES ($1, $2, $3, $4, 'authority.create', 'authority', $5, $6)`,
      [
        actor,
        tokenId,
        userId,
        sessionId,
        inserted.rows[0].id,
        JSON.stringify({ slug, name: body.trim(), kind: 'other', country: 'RU', from: 'blocking registry' }),
      ],
    );
    return { id: Number(inserted.rows[0].id), slug, unknown: true, created: true };
  }
  const { rows } = await db.query<{ id: string }>('SELECT id FROM authorities WHERE slug = $1', [slug]);
  return { id: Number(rows[0]!.id), slug, unknown: true, created: false };
}
