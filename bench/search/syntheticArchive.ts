// Fills an archive's PostgreSQL with synthetic orders for the search benchmark: authorities from the
// seeded catalog, targeted URLs on a few hundred sites, documents with pages of Russian-, Kazakh- and
// English-looking text whose words follow a Zipf law (a few very common, a long tail of rare ones).
import { createHash } from 'node:crypto';
import type pg from 'pg';

const STATUSES = ['received', 'complied', 'partially_complied', 'refused', 'challenged', 'withdrawn'];
const ACTIONS = ['remove', 'restrict_access', 'block', 'geo_block', 'deindex', 'correct'];
const LEGAL_BASES = [
  'RU/149-FZ/15.3',
  'RU/149-FZ/15.1',
  'RU/149-FZ/15.1-1',
  'RU/2124-1/4',
  'KZ/MASS-MEDIA-1999/2',
  'KZ/COMMUNICATIONS-2004/41-1',
  'KG/FALSE-INFORMATION-2021/5',
];
// Real words the benchmark's queries use, mixed into the generated text at fixed rates.
export const BENCH_WORDS = {
  common: ['информация', 'доступа', 'ограничение', 'удалить', 'материал', 'ақпарат', 'information'],
  kazakh: ['Қазақстан', 'министрлігі', 'талабы'],
};

/** A deterministic pseudo-random generator (mulberry32), so every run loads the same archive. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(random: () => number, size: number): string[] {
  const cyrillic = ['ка', 'ро', 'на', 'ди', 'ле', 'то', 'ми', 'се', 'ва', 'ру', 'по', 'жа', 'ны', 'ще', 'ль'];
  const kazakh = ['қа', 'ғы', 'ұл', 'ің', 'ә', 'өз', 'үй', 'һа', 'ты', 'ба'];
  const latin = ['ta', 'ke', 'do', 'wn', 'pri', 'va', 'cy', 'law', 'net', 'ro'];
  const words = new Set<string>();
  while (words.size < size) {
    const roll = random();
    const syllables = roll < 0.7 ? cyrillic : roll < 0.85 ? kazakh : latin;
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += syllables[Math.floor(random() * syllables.length)];
    words.add(word);
  }
  return [...words];
}

export class TextGenerator {
  readonly words: string[];
  private readonly cumulative: number[];
  constructor(
    private readonly random: () => number,
    size = 20_000,
  ) {
    this.words = vocabulary(random, size);
    // Zipf: the k-th word is used in proportion to 1/k.
    let sum = 0;
    this.cumulative = this.words.map((_, k) => (sum += 1 / (k + 1)));
  }
  word(): string {
    const target = this.random() * this.cumulative.at(-1)!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return this.words[low]!;
  }
  sentence(words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const roll = this.random();
      if (roll < 0.03) out.push(BENCH_WORDS.common[Math.floor(this.random() * BENCH_WORDS.common.length)]!);
      else if (roll < 0.035)
        out.push(BENCH_WORDS.kazakh[Math.floor(this.random() * BENCH_WORDS.kazakh.length)]!);
      else out.push(this.word());
    }
    const text = out.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
  page(words: number): string {
    const sentences: string[] = [];
    let left = words;
    while (left > 0) {
      const length = Math.min(left, 8 + Math.floor(this.random() * 12));
      sentences.push(this.sentence(length));
      left -= length;
    }
    return sentences.join(' ');
  }
}

export interface LoadOptions {
  orders: number;
  /** Pages per document: 1..maxPages, uniformly. */
  maxPages: number;
  wordsPerPage: number;
  batchSize?: number;
  onProgress?: (loaded: number) => void;
}

export interface LoadedArchive {
  /** Some targeted URLs (for URL queries). */
  sampleUrls: string[];
  rareWords: string[];
  pages: number;
}

export async function loadSyntheticArchive(db: pg.Pool, options: LoadOptions): Promise<LoadedArchive> {
  const random = seededRandom(42);
  const text = new TextGenerator(random);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const { rows: authorities } = await db.query<{ id: number }>('SELECT id FROM authorities ORDER BY id');
  const outletIds: number[] = [];
  for (let i = 0; i < 50; i++) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO outlets (slug, name, domains) VALUES ($1, $2, $3)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [`outlet-${i}`, `Outlet ${i}`, [`site${i}.kz`]],
    );
    outletIds.push(rows[0]!.id);
  }
  const hosts = Array.from({ length: 500 }, (_, i) => (i < 50 ? `site${i}.kz` : `host${i}.example.org`));
  const batchSize = options.batchSize ?? 1000;
  const sampleUrls: string[] = [];
  let pages = 0;
  let articleSeq = 0;

  for (let start = 0; start < options.orders; start += batchSize) {
    const count = Math.min(batchSize, options.orders - start);
    const orders = Array.from({ length: count }, (_, i) => {
      const n = start + i;
      const issued = new Date(Date.UTC(2014, 0, 1) + Math.floor(random() * 11 * 365) * 86_400_000);
      const visibilityRoll = random();
      return {
        publicId: `TD-${issued.getUTCFullYear()}-${String(n + 1).padStart(6, '0')}`,
        authorityId: authorities[Math.floor(random() ** 2 * authorities.length)]!.id,
        outletId: pick(outletIds),
        issuedOn: issued.toISOString().slice(0, 10),
        receivedOn: new Date(issued.getTime() + Math.floor(random() * 20) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        legalBasis: `{${[pick(LEGAL_BASES)].join(',')}}`,
        actions: `{${[...new Set([pick(ACTIONS), pick(ACTIONS)])].join(',')}}`,
        status: pick(STATUSES),
        visibility: visibilityRoll < 0.8 ? 'public' : visibilityRoll < 0.9 ? 'private' : 'embargoed',
        embargoUntil:
          visibilityRoll >= 0.9 ? new Date(Date.now() + (random() - 0.5) * 4e10).toISOString() : null,
        summary: text.sentence(12),
        reason: text.sentence(20),
      };
    });
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO orders (public_id, authority_id, outlet_id, issued_on, received_on, legal_basis,
                             demanded_actions, status, visibility, embargo_until, summary, stated_reason, language)
         SELECT p, a, o, i, r, lb::text[], da::text[], st, v, e, s, sr, 'ru'
           FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::date[], $5::date[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[])
             AS x(p, a, o, i, r, lb, da, st, v, e, s, sr)
         RETURNING id`,
        [
          orders.map((o) => o.publicId),
          orders.map((o) => o.authorityId),
          orders.map((o) => o.outletId),
          orders.map((o) => o.issuedOn),
          orders.map((o) => o.receivedOn),
          orders.map((o) => o.legalBasis),
          orders.map((o) => o.actions),
          orders.map((o) => o.status),
          orders.map((o) => o.visibility),
          orders.map((o) => o.embargoUntil),
          orders.map((o) => o.summary),
          orders.map((o) => o.reason),
        ],
      );
      const orderIds = inserted.rows.map((row) => Number(row.id));

      const articles = orderIds.map(() => {
        const url = `https://${pick(hosts)}/news/${++articleSeq}-${text.word()}`;
        if (sampleUrls.length < 200 && random() < 0.01) sampleUrls.push(url);
        return url;
      });
      const articleRows = await client.query<{ id: number }>(
        `INSERT INTO articles (url, canonical_url, title) SELECT u, u, t FROM unnest($1::text[], $2::text[]) AS x(u, t)
         RETURNING id`,
        [articles, articles.map(() => text.sentence(6))],
      );
      await client.query(
        'INSERT INTO order_targets (order_id, article_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])',
        [orderIds, articleRows.rows.map((row) => row.id)],
      );

      const shas = orderIds.map((id) => createHash('sha256').update(`bench-${start}-${id}`).digest('hex'));
      await client.query(
        'INSERT INTO blobs (sha256, size) SELECT s, 1000 FROM unnest($1::text[]) AS s ON CONFLICT DO NOTHING',
        [shas],
      );
      const documents = await client.query<{ id: number }>(
        `INSERT INTO documents (order_id, sha256, size, mime, original_filename, role, status, ocr_languages,
                                page_count, language, extracted_at)
         SELECT o, s, 1000, 'application/pdf', 'notice.pdf', 'order', 'extracted', 'kaz+rus+eng', 0, 'ru', now()
           FROM unnest($1::bigint[], $2::text[]) AS x(o, s) RETURNING id`,
        [orderIds, shas],
      );
      const pageDocuments: number[] = [];
      const pageNumbers: number[] = [];
      const pageTexts: string[] = [];
      for (const { id } of documents.rows) {
        const count = 1 + Math.floor(random() * options.maxPages);
        for (let number = 1; number <= count; number++) {
          pageDocuments.push(Number(id));
          pageNumbers.push(number);
          pageTexts.push(text.page(options.wordsPerPage));
        }
      }
      pages += pageTexts.length;
      await client.query(
        `INSERT INTO document_pages (document_id, number, text, method)
         SELECT d, n, t, 'text-layer' FROM unnest($1::bigint[], $2::int[], $3::text[]) AS x(d, n, t)`,
        [pageDocuments, pageNumbers, pageTexts],
      );
      await client.query(
        `UPDATE documents d SET page_count = p.n FROM
           (SELECT document_id, count(*)::int AS n FROM document_pages WHERE document_id = ANY($1::bigint[])
             GROUP BY document_id) p WHERE d.id = p.document_id`,
        [documents.rows.map((row) => row.id)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    options.onProgress?.(start + count);
  }
  return { sampleUrls, rareWords: text.words.slice(3000, 3010), pages };
}
