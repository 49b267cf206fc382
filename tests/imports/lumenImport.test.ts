// `import lumen`: Lumen's notice JSON becomes public orders of their sender, with targets, dates, parties
// and the recipient's action; the source and licence are shown; importing again changes nothing.
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLumen } from '../../server/imports/lumen/index.ts';
import type { ImportReport } from '../../server/imports/importReport.ts';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/lumen');

describe('importing Lumen notices', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let first: ImportReport;
  const deps = () => ({ db: harness.db, jobs: harness.jobs, blobs: harness.blobs, maxBytes: 1_000_000 });
  const storyOf = async (reference: string) => {
    const { rows } = await harness.db.query<{ public_id: string }>(
      `SELECT public_id FROM orders WHERE import_source = 'lumen' AND import_reference = $1`,
      [reference],
    );
    const response = await harness.app.inject({ method: 'GET', url: `/api/orders/${rows[0]!.public_id}` });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const count = async (table: string) =>
    (await harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { searchRelay: true });
    first = await importLumen(deps(), { path: FIXTURES });
  });
  afterAll(() => harness.close());

  it('imports every notice of every fixture, and says what it left out', () => {
    expect(first).toMatchObject({ imported: 4, updated: 0, unchanged: 0 });
    expect(first.skipped).toEqual([
      { file: 'lumen/not_a_notice.json', reason: expect.stringMatching(/no Lumen notice/) },
      {
        file: 'lumen/search_page.json#2',
        reason: expect.stringMatching(/not a web address.*not a web address/),
      },
      { file: 'lumen/search_page.json#3', reason: 'the notice has no Lumen id' },
    ]);
    expect(first.newAuthorities.sort()).toEqual(
      ['lumen-copyright-owner-llc', expect.stringMatching(/^lumen-[0-9a-f]{12}$/)].sort(),
    );
  });

  it('shows a DMCA notice as a public order of its sender, with its URLs, parties, outcome and source', async () => {
    const story = await storyOf('1053314');
    expect(story.visibility).toBe('public');
    expect(story.outlet).toBeNull();
    expect(story.authority).toMatchObject({
      slug: 'lumen-copyright-owner-llc',
      name: 'Copyright Owner LLC',
      country: 'US',
    });
    expect(story).toMatchObject({ issued_on: '2013-07-01', received_on: '2013-07-02', status: 'complied' });
    expect(story.demanded_actions).toEqual(['remove']);
    expect(story.summary).toMatch(/Recipient: Google, Inc\. \[Blogger\]/);
    expect(story.targets.map((t: { article: { url: string } }) => t.article.url).sort()).toEqual([
      'http://infringing.example.com/url_0',
      'http://infringing.example.com/url_1',
      'http://infringing.example.com/url_second_0',
    ]);
    expect(story.events).toEqual([
      expect.objectContaining({ kind: 'blocked', description: expect.stringMatching(/acted on the notice/) }),
    ]);
    expect(story.source).toEqual({
      kind: 'lumen',
      reference: '1053314',
      licence: expect.stringMatching(/Lumen/),
      url: 'https://lumendatabase.org/notices/1053314',
      reviewed: false,
    });
    const page = await harness.app.inject({ method: 'GET', url: `/orders/${story.id}` });
    expect(page.body).toContain('https://lumendatabase.org/notices/1053314');
    expect(page.body).toContain('The Lumen Database');
  });

  it('maps a catalogued sender to its body and keeps court order, laws and partial action', async () => {
    const court = await storyOf('20000001');
    expect(court.authority.slug).toBe((await authorityByAlias(harness.app, 'Роскомнадзор')).slug);
    expect(court).toMatchObject({
      reference_number: '2-388/18',
      status: 'partially_complied',
      language: 'ru',
    });
    expect(court.legal_basis_raw).toMatch(/149-FZ/);
    expect(court.source.reviewed).toBe(true);
    expect(court.events[0].description).toMatch(/in part/);

    const request = await storyOf('20000002');
    expect(request.authority.slug).toBe('ru-prosecutor-general');
    expect(request).toMatchObject({ status: 'refused', events: [] });
    expect(request.targets[0].article.url).toBe('http://example.org/');
    expect(request.targets[0].note).toMatch(/12 URLs/);
  });

  it('shows no source on an order filed here', async () => {
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = await fileOrder(harness.app, editor, { authority });
    const story = (
      await harness.app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers: editor })
    ).json();
    expect(story.source).toBeNull();
  });

  it('lets a reader find and count orders by where they came from', async () => {
    await waitUntilSearchable(harness);
    const imported = await harness.app.inject({ method: 'GET', url: '/api/search?source=lumen&per_page=50' });
    expect(imported.statusCode).toBe(200);
    const result = imported.json();
    expect(result.total).toBe(4);
    expect(result.facets.source).toEqual({ lumen: 4 });
    const all = (
      await harness.app.inject({ method: 'GET', url: '/api/search?per_page=50', headers: editor })
    ).json();
    expect(all.facets.source).toEqual({ lumen: 4, archive: 1 });
    const page = await harness.app.inject({ method: 'GET', url: '/?source=lumen' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The Lumen Database');
    const bad = await harness.app.inject({ method: 'GET', url: '/api/search?source=elsewhere' });
    expect(bad.statusCode).toBe(400);
  });

  it('changes nothing when imported again, and updates a notice that changed', async () => {
    const tables = [
      'orders',
      'order_targets',
      'articles',
      'events',
      'authorities',
      'audit_log',
      'search_outbox',
    ];
    const before = await Promise.all(tables.map(count));
    const second = await importLumen(deps(), { path: FIXTURES });
    expect(second).toMatchObject({ imported: 0, updated: 0, unchanged: 4, newAuthorities: [] });
    expect(await Promise.all(tables.map(count))).toEqual(before);

    const work = await mkdtemp(path.join(os.tmpdir(), 'lumen-'));
    try {
      await cp(path.join(FIXTURES, 'dmca.json'), path.join(work, 'dmca.json'));
      const notice = JSON.parse(await readFile(path.join(work, 'dmca.json'), 'utf8'));
      notice.dmca.title = 'DMCA complaint, corrected title';
      await writeFile(path.join(work, 'dmca.json'), JSON.stringify(notice));
      const third = await importLumen(deps(), { path: work });
      expect(third).toMatchObject({ imported: 0, updated: 1 });
      expect((await storyOf('1053314')).summary).toMatch(/^DMCA complaint, corrected title/);
      expect(await count('orders')).toBe(before[0]);

      // An editor's correction outlives the next import; what changed at the source still comes in.
      const { id } = await storyOf('1053314');
      const current = await harness.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: editor });
      const patched = await harness.app.inject({
        method: 'PATCH',
        url: `/api/orders/${id}`,
        headers: { ...editor, 'if-match': String(current.headers.etag) },
        payload: { summary: 'Corrected by an editor', status: 'challenged' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      notice.dmca.title = 'DMCA complaint, title changed again';
      notice.dmca.date_received = '2013-07-03T09:00:00Z';
      await writeFile(path.join(work, 'dmca.json'), JSON.stringify(notice));
      expect(await importLumen(deps(), { path: work })).toMatchObject({ updated: 1 });
      expect(await storyOf('1053314')).toMatchObject({
        summary: 'Corrected by an editor',
        status: 'challenged',
        received_on: '2013-07-03',
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  it('reads a legacy export whose rows name form e-mails, and never a file outside its folder', async () => {
    const outer = await mkdtemp(path.join(os.tmpdir(), 'lumen-export-'));
    const work = path.join(outer, 'export');
    try {
      await writeFile(path.join(outer, 'outside.txt'), 'field_submitter_company:Not Yours\n');
      await mkdir(work);
      await writeFile(
        path.join(work, 'notices.csv'),
        'NoticeID,Date,Subject,Sender_Principal,Sender_Country,Recipient_Entity,OriginalFilePath,SupportingFilePath\n' +
          '77,2015-03-02,Complaint about a mirror,,DE,Example Host,form.txt,../outside.txt\n' +
          '78,2015-03-03,Second complaint,Rights Agency,DE,Example Host,gone.txt,link.txt\n',
      );
      await writeFile(
        path.join(work, 'form.txt'),
        'field_form_version:1\nfield_submitter_company:Mirror Watch GmbH\n' +
          'field_group_0_work_description:A photograph of a lighthouse\n\n' +
          'field_group_0_infringement_url_0:http://mirror.example.net/lighthouse.jpg\n',
      );
      await writeFile(
        path.join(work, 'stray.html'),
        '<HTML><BODY><PRE>\nSubject: =?UTF-8?B?w4RuZGVydW5n?=\ncompanyname: Stray Sender Ltd\n' +
          'signature_date_day: 4\nsignature_date_month: 5\nsignature_date_year: 2016\n' +
          'url_box_1: http://stray.example.org/page\n</PRE></BODY></HTML>',
      );
      await writeFile(path.join(work, 'scan.bin'), Buffer.from([0, 1, 2, 3]));
      await symlink(path.join(outer, 'outside.txt'), path.join(work, 'link.txt'));

      const report = await importLumen(deps(), { path: work });
      expect(report).toMatchObject({ imported: 3 });
      expect(report.orders).toMatchObject({ 'legacy-csv': 2, 'notice-source': 1 });
      expect(report.skipped).toEqual([
        {
          file: 'export/notices.csv#77',
          reason: expect.stringMatching(/^\.\.\/outside\.txt .*not in the export's folder/),
        },
        {
          file: 'export/notices.csv#78',
          reason: expect.stringMatching(/^gone\.txt .*not beside the export/),
        },
        {
          file: 'export/notices.csv#78',
          reason: expect.stringMatching(/^link\.txt .*not in the export's folder/),
        },
        { file: 'export/scan.bin', reason: expect.stringMatching(/not text/) },
      ]);
      expect(report.files.map(({ file, became }) => [file, became])).toEqual([
        ['export/form.txt', 'attached'],
        ['export/notices.csv', 'notices'],
        ['export/scan.bin', 'skipped'],
        ['export/stray.html', 'notices'],
      ]);

      const row = await storyOf('legacy-csv:77');
      expect(row.authority).toMatchObject({ name: 'Mirror Watch GmbH', country: 'DE' });
      expect(row).toMatchObject({ issued_on: '2015-03-02', received_on: '2015-03-02' });
      expect(
        row.targets.map((t: { article: { url: string }; note: string }) => [t.article.url, t.note]),
      ).toEqual([['http://mirror.example.net/lighthouse.jpg', 'A photograph of a lighthouse']]);
      expect(row.documents.map((d: { original_filename: string }) => d.original_filename)).toEqual([
        'form.txt',
      ]);
      expect((await storyOf('legacy-csv:78')).authority.name).toBe('Rights Agency');
      const stray = await storyOf('notice-source:stray.html');
      expect(stray.summary).toMatch(/^Änderung\n/);
      expect(stray.issued_on).toBe('2016-05-04');
    } finally {
      await rm(outer, { recursive: true, force: true });
    }
  });
});
