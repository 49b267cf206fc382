// `import lumen` over the shared corpus's Lumen fixtures: Lumen's legacy notice export and the form e-mails
// it names, form e-mails standing alone, its blog export, and a cassette of github/dmca notices. Every file
// is accounted for; the notices become public orders whose source files are searchable documents.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLumen, type LumenReport } from '../../server/imports/lumen/index.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { corpusFolder } from '../support/documentFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const corpus = corpusFolder('lumen');

describe.skipIf(!corpus.present)('importing the Lumen fixtures of the corpus', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let first: LumenReport;
  const deps = () => ({ db: harness.db, jobs: harness.jobs, blobs: harness.blobs, maxBytes: 10_000_000 });
  const count = async (table: string) =>
    (await harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  const storyOf = async (reference: string) => {
    const { rows } = await harness.db.query<{ public_id: string }>(
      `SELECT public_id FROM orders WHERE import_source = 'lumen' AND import_reference = $1`,
      [reference],
    );
    expect(rows, reference).toHaveLength(1);
    const response = await harness.app.inject({ method: 'GET', url: `/api/orders/${rows[0]!.public_id}` });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const urlsOf = (story: { targets: { article: { url: string } }[] }) =>
    story.targets.map((target) => target.article.url).sort();
  const filenamesOf = (story: { documents: { original_filename: string }[] }) =>
    story.documents.map((document) => document.original_filename).sort();

  beforeAll(async () => {
    harness = await createTestApp({}, { worker: true, searchRelay: true });
    first = await importLumen(deps(), { path: corpus.dir });
  }, 60_000);
  afterAll(() => harness?.close());

  it('accounts for every file: read for its notices, attached to one, or skipped with the reason', async () => {
    const onDisk = (await readdir(corpus.dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join('lumen', path.relative(corpus.dir, path.join(entry.parentPath, entry.name))))
      .sort();
    expect(first.files.map((account) => account.file).sort()).toEqual(onDisk);
    for (const account of first.files) expect(account.detail, account.file).not.toBe('');
    const became = (file: string) => first.files.find((account) => account.file === `lumen/${file}`)?.became;
    expect(became('example_files/example_notice_export.csv')).toBe('notices');
    expect(became('example_files/original_notice_source.txt')).toBe('attached');
    expect(became('example_files/youtube_defamation.html')).toBe('attached');
    expect(became('example_files/mixed-charset-source.html')).toBe('notices');
    expect(became('vcr_github_notices/ingests_github_notices.yml')).toBe('notices');
    expect(became('SOURCE.md')).toBe('about');

    console.log(
      `Lumen corpus: ${first.files.length} files (` +
        ['notices', 'attached', 'about', 'skipped']
          .map((kind) => `${first.files.filter((account) => account.became === kind).length} ${kind}`)
          .join(', ') +
        `); orders by format: ${JSON.stringify(first.orders)}\n` +
        first.skipped.map(({ file, reason }) => `  reported: ${file}: ${reason}`).join('\n'),
    );
    expect(first.orders).toEqual({
      'notice-json': 0,
      'legacy-csv': 10,
      'notice-source': 5,
      'github-dmca': 3,
    });
    expect(first).toMatchObject({ imported: 18, updated: 0, unchanged: 0 });
    expect(first.skipped).toEqual([
      {
        file: 'lumen/example_files/blog_export.csv',
        reason: expect.stringMatching(/blog posts.*not notices/),
      },
      {
        file: 'lumen/example_files/eb_dmca_source.txt',
        reason: expect.stringMatching(/no date it was sent/),
      },
      {
        file: 'lumen/example_files/example_notice_export.csv#1000000',
        reason: expect.stringMatching(/^original\.jpg \(its SupportingFilePath\) is not beside the export/),
      },
      {
        file: 'lumen/example_files/example_notice_export.csv#1053314',
        reason: expect.stringMatching(/^original\.jpg/),
      },
      {
        file: 'lumen/example_files/secondary_other_redaction_notice_source.html',
        reason: expect.stringMatching(/private person/),
      },
    ]);
  });

  it('shows a row of the legacy export as a public order with its sender, date, targets and original', async () => {
    const story = await storyOf('legacy-csv:1053314');
    expect(story.visibility).toBe('public');
    expect(story.authority).toMatchObject({ name: 'Kundan Singh', country: 'IN' });
    expect(story).toMatchObject({ issued_on: '2013-07-01', received_on: '2013-07-01' });
    expect(story.summary).toMatch(
      /^DMCA \(Copyright\) Complaint to Google\n.*Recipient: Google, Inc\. \[Blogger\]/,
    );
    expect(urlsOf(story)).toEqual([
      'http://infringing.example.com/url_0',
      'http://infringing.example.com/url_1',
      'http://infringing.example.com/url_second_0',
      'http://infringing.example.com/url_second_1',
    ]);
    expect(filenamesOf(story)).toEqual(['original_notice_source.txt']);
    expect(story.source).toEqual({
      kind: 'lumen',
      reference: 'legacy-csv:1053314',
      licence: expect.stringMatching(/^GPL-2\.0/),
      url: null,
      reviewed: false,
    });

    // A row with no sender of its own takes it from the form it names; both of a row's files are filed.
    expect((await storyOf('legacy-csv:1000000')).authority.name).toBe('FooCorp');
    // A sender's accents are folded in its body's slug, not cut into words ("gene-ve").
    expect((await storyOf('legacy-csv:10000045')).authority).toMatchObject({
      name: 'Humboldt SA, Genève',
      slug: 'lumen-humboldt-sa-geneve',
    });
    expect(filenamesOf(await storyOf('legacy-csv:1053334'))).toEqual([
      'secondary_dmca_notice_source-2.html',
      'secondary_dmca_notice_source.html',
    ]);
    expect(urlsOf(await storyOf('legacy-csv:10000002'))).toEqual([
      'http://www.youtube.com/watch?v=6HG',
      'http://www.youtube.com/watch?v=FzH',
      'http://www.youtube.com/watch?v=iPK',
    ]);

    await waitUntilSearchable(harness);
    const [document] = (await storyOf('legacy-csv:1053314')).documents;
    expect(document.status).toBe('extracted');
    const found = await harness.app.inject({ method: 'GET', url: '/api/search?q=Flipy&per_page=50' });
    expect(found.statusCode).toBe(200);
    expect(found.json().hits.map((hit: { id: string }) => hit.id)).toEqual([story.id]);
  }, 120_000);

  it('decodes the Japanese notice: its MIME-encoded subject and its text', async () => {
    const story = await storyOf('notice-source:mixed-charset-source.html');
    expect(story.summary).toMatch(/^Fw: \[7-5824000001279\] Google への申し立て\n/);
    expect(story.authority.name).toBe('株式会社廣記商行');
    expect(story).toMatchObject({ issued_on: '2013-07-01', language: 'ja' });
    expect(urlsOf(story)).toHaveLength(2);
    await waitUntilSearchable(harness);
    const document = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${story.documents[0].id}`,
    });
    expect(
      document
        .json()
        .pages.map((page: { text: string }) => page.text)
        .join('\n'),
    ).toContain('サジェスト機能に「ブラック」');
  }, 120_000);

  it('reads a Latin-1 form standing on its own: sender, country, language, date and the addresses', async () => {
    const story = await storyOf('notice-source:blogger_dmca_source.txt');
    expect(story.authority).toMatchObject({ name: 'No Time Records / MERCURY', country: 'FR' });
    expect(story).toMatchObject({ issued_on: '2011-01-29', language: 'fr' });
    expect(story.summary).toMatch(/Recipient: Google, Inc\. \[Blogger\]/);
    expect(story.targets).toHaveLength(6);
    expect(story.targets[0].note).toMatch(/^Malgré les signalements/);
  });

  it('imports each github/dmca notice of the cassette on behalf of the name in its file name', async () => {
    const story = await storyOf('github-dmca:2024/11/2024-11-04-poki.md');
    expect(story.authority).toMatchObject({ name: 'Poki', country: 'US' });
    expect(story.issued_on).toBe('2024-11-04');
    expect(story.summary).toMatch(/Recipient: GitHub/);
    expect(urlsOf(story)).toEqual(['https://wordle-unlimited-unblocked.github.io/play/stickman-hook']);
    expect(filenamesOf(story)).toEqual(['2024-11-04-poki.md']);
    expect(story.source.url).toBe(
      'https://github.com/github/dmca/blob/64c520716df6c603afaed4ae1cf7a7c999597abc/2024/11/2024-11-04-poki.md',
    );
    // A notice not in GitHub's form: only what GitHub hosts is a target, not the work's own site.
    const metaquotes = urlsOf(await storyOf('github-dmca:2024/11/2024-11-04-metaquotes.md'));
    expect(metaquotes).toContain('https://github.com/tyolab/MT4-Manager-API-1');
    expect(metaquotes.filter((url) => !/github/.test(url))).toEqual([]);
  });

  it('changes nothing when the same folder is imported again', async () => {
    await waitUntilSearchable(harness);
    const tables = [
      'orders',
      'documents',
      'order_targets',
      'articles',
      'events',
      'authorities',
      'audit_log',
      'search_outbox',
    ];
    const before = await Promise.all(tables.map(count));
    const second = await importLumen(deps(), { path: corpus.dir });
    expect(second).toMatchObject({ imported: 0, updated: 0, unchanged: 18, newAuthorities: [] });
    expect(second.skipped).toEqual(first.skipped);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  }, 60_000);
});
