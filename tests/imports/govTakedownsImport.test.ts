// `import gov-takedowns`: every note of GitHub's collection becomes a public order of the right body on
// the right day, its text a document of the order, its source and licence shown; importing again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGovTakedowns, type GovTakedownsReport } from '../../server/imports/govTakedowns/index.ts';
import { corpusFolder } from '../support/documentFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const corpus = corpusFolder('gov-takedowns');

/** The sender each file name spells, as a person reads it: the answer key the importer is measured against. */
const SENDER_IN_NAME: [RegExp, string][] = [
  [/^ro[sz]c?k?o?[cm]+n*adzor$/i, 'ru-roskomnadzor'],
  [/^MPS$/, 'cn-mps'],
  [/^BNIA$/, 'cn-bnia'],
  [/^CSTCB$/, 'hk-cstcb'],
  [/^SingCERT$/, 'sg-singcert'],
  [/^GuardiaCivil$/, 'es-guardia-civil'],
];

function expectedSender(file: string): string | undefined {
  const agency = /(?:^|\/)\d{4}-\d{2}-\d{2}-([^/]+?)(?:-\d+)?\.md$/.exec(file)![1]!;
  return SENDER_IN_NAME.find(([pattern]) => pattern.test(agency))?.[1];
}

describe.skipIf(!corpus.present)('importing gov-takedowns', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let first: GovTakedownsReport;
  const deps = () => ({ db: harness.db, jobs: harness.jobs, blobs: harness.blobs, maxBytes: 50_000_000 });
  const count = async (table: string) =>
    (await harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    harness = await createTestApp();
    first = await importGovTakedowns(deps(), { path: corpus.dir });
  }, 120_000);
  afterAll(() => harness.close());

  it('imports every note with the sender and the date its file name gives', async () => {
    expect(first.skipped).toEqual([]);
    expect(first.imported).toBe(93);
    const { rows } = await harness.db.query<{
      reference: string;
      received_on: string;
      issued_on: string;
      slug: string;
    }>(
      `SELECT o.import_reference AS reference, o.received_on, o.issued_on, a.slug
         FROM orders o JOIN authorities a ON a.id = o.authority_id WHERE o.import_source = 'gov-takedowns'`,
    );
    expect(rows).toHaveLength(93);
    for (const row of rows) {
      const named = /(\d{4}-\d{2}-\d{2})[^/]*\.md$/.exec(row.reference)![1]!;
      expect(row.received_on, row.reference).toBe(named);
      expect(row.issued_on <= row.received_on, row.reference).toBe(true);
      const sender = expectedSender(row.reference);
      if (sender) expect(row.slug, row.reference).toBe(sender);
    }
    let named = 0;
    let textRead = 0;
    let textRight = 0;
    for (const notice of first.notices) {
      expect(notice.date, notice.file).toBe(/(\d{4}-\d{2}-\d{2})/.exec(notice.file)![1]);
      const expected = expectedSender(notice.file);
      if (!expected) continue;
      named++;
      expect(notice.authority, notice.file).toBe(expected);
      if (notice.authorityRead.fromText) {
        textRead++;
        if (notice.authorityRead.fromText === expected) textRight++;
      }
    }
    // The name decides; how well the text alone finds the sender says how far it can be trusted where
    // a name is silent (`2015-07-22-fast-die.md`).
    console.log(
      `gov-takedowns: ${first.notices.length} notes, ${named} name their sender; sender read from the text: ` +
        `precision ${(textRight / textRead).toFixed(3)} (${textRight}/${textRead}), recall ${(textRight / named).toFixed(3)} (${textRight}/${named}); ` +
        `${first.notices.filter((n) => !n.reviewed).length} imported unreviewed; new bodies: ${first.newAuthorities.join(', ')}`,
    );
    expect(named).toBeGreaterThanOrEqual(90);
    expect(textRight / named).toBeGreaterThan(0.9);
    expect(first.newAuthorities.sort()).toEqual(
      [
        'cn-bnia',
        'cn-cybersecurity-association',
        'cn-mps',
        'es-guardia-civil',
        'hk-cstcb',
        'sg-singcert',
      ].sort(),
    );
  });

  it('shows anyone the order with its source, licence and review state, the note and its PDFs as documents', async () => {
    const notice = first.notices.find(
      (n) => n.file === 'Russia/2020/2020-04-16-roskomnadzor/2020-04-16-roskomnadzor.md',
    )!;
    const response = await harness.app.inject({ method: 'GET', url: `/api/orders/${notice.order}` });
    expect(response.statusCode).toBe(200);
    const story = response.json();
    expect(story.authority.slug).toBe('ru-roskomnadzor');
    expect(story.received_on).toBe('2020-04-16');
    expect(story.outlet).toBeNull();
    expect(story.source).toEqual({
      kind: 'gov-takedowns',
      reference: 'Russia/2020/2020-04-16-roskomnadzor/2020-04-16-roskomnadzor.md',
      licence: expect.stringMatching(/GitHub/),
      url: expect.stringMatching(
        /^https:\/\/github\.com\/github\/gov-takedowns\/blob\/[0-9a-f]{40}\/Russia\/2020\/2020-04-16-roskomnadzor\/2020-04-16-roskomnadzor\.md$/,
      ),
      reviewed: notice.reviewed,
    });
    expect(story.documents.map((d: { original_filename: string }) => d.original_filename).sort()).toEqual([
      '2020-04-16-roskomnadzor.md',
      '2020-04-16-roskomnadzor.pdf',
    ]);
    expect(story.targets.map((t: { article: { url: string } }) => t.article.url)).toContain(
      'https://snustop.github.io/lyft',
    );

    const hongKong = first.notices.find((n) => n.file.startsWith('Hong Kong/'))!;
    const page = await harness.app.inject({ method: 'GET', url: `/orders/${hongKong.order}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('https://github.com/github/gov-takedowns/blob/');
    expect(page.body).toContain('Hong%20Kong/2021/');
  });

  it('changes nothing when the same collection is imported again', async () => {
    const tables = [
      'orders',
      'documents',
      'order_targets',
      'articles',
      'authorities',
      'audit_log',
      'search_outbox',
    ];
    const before = await Promise.all(tables.map(count));
    const second = await importGovTakedowns(deps(), { path: corpus.dir });
    expect(second).toMatchObject({ imported: 0, updated: 0, unchanged: 93, skipped: [], newAuthorities: [] });
    expect(await Promise.all(tables.map(count))).toEqual(before);
  }, 120_000);
});
