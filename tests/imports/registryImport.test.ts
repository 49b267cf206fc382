// `npm run import -- registry`: Russia's blocking registry dump goes in, each decision one public order of
// its authority with its URLs, domains and IPs as targets; broken rows are reported, never fatal; a second
// import changes nothing; successive dumps record which targets came and went.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorCaller } from '../../server/auth/caller.ts';
import { importRegistryDump } from '../../server/imports/registry/registryImporter.ts';
import { corpusFolder } from '../support/documentFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sample = corpusFolder('blocking-registry');
const SAMPLE = path.join(sample.dir, 'zi-sample.csv');
const caller = operatorCaller('registry-test');

type Harness = Awaited<ReturnType<typeof createTestApp>>;

/** Everything an import writes, counted: equal counts before and after mean it changed nothing. */
async function footprint(harness: Harness): Promise<Record<string, number>> {
  const tables = [
    'orders',
    'order_targets',
    'articles',
    'events',
    'audit_log',
    'search_outbox',
    'authorities',
    'registry_dumps',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

async function writeDump(folder: string, name: string, updated: string | undefined, rows: string[]) {
  const file = path.join(folder, name);
  const lines = updated ? [`Updated: ${updated}`, ...rows] : rows;
  await writeFile(file, iconv.encode(`${lines.join('\n')}\n`, 'win1251'));
  return file;
}

describe('registry import', () => {
  let harness: Harness;
  let work: string;
  beforeAll(async () => {
    harness = await createTestApp();
    work = await mkdtemp(path.join(os.tmpdir(), 'takedown-registry-'));
  });
  afterAll(async () => {
    await harness?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads quoted URLs with ; and |, IDNs and IP lists, and reports broken rows by line', async () => {
    const file = await writeDump(work, 'small.csv', '2016-06-13 12:04:00 +0000', [
      '1.2.3.4 | 5.6.7.8;76автобар.рф;http://76автобар.рф/прайс.html;суд;2-518/2016;2016-03-01',
      '1.2.3.9;;"http://forum.example/index.php?topic=1;wap2 | x";ФСКН;2/1/11-1;2015-06-30',
      '9.9.9.9;bad-date.example;;ФНС;2-6-27/ 2016-02-03-20-АИ;2016-13-45',
      'only;three;fields',
      '9.9.9.8;*.wild.example;;Росмолодежь;1/2020;2020-01-10',
      '9.9.9.7;;;Росмолодежь;1/2020;2020-01-10',
      '9.9.9.6;;"http://unclosed.example/;ФНС;1;2016-01-01',
      '9.9.9.5;after.example;;ФНС;2;2016-01-02',
    ]);
    const problems: { line: number; reason: string }[] = [];
    const report = await importRegistryDump(harness.db, caller, {
      source: file,
      onProblem: (problem) => problems.push(problem),
    });
    expect(report.asOf).toBe('2016-06-13');
    expect(report.rows).toBe(8);
    expect(report.rowsReported).toBe(3);
    expect(problems.map((problem) => problem.line)).toEqual([4, 5, 8]);
    expect(problems[2]!.reason).toMatch(/never closed/);
    expect(problems[0]!.reason).toMatch(/decision date/);
    expect(problems[1]!.reason).toMatch(/expected 6 fields/);
    // Rows 6 and 7 are one decision: one order, the second row merged into it.
    // The row after the unclosed quote is read on its own.
    expect(report.rowsImported).toBe(4);
    expect(report.rowsMerged).toBe(1);
    expect(report.unknownBodies).toEqual([expect.objectContaining({ body: 'Росмолодежь', rows: 2 })]);

    const order = await harness.db.query<{
      public_id: string;
      visibility: string;
      slug: string;
      outlet_id: number | null;
      reference_number: string;
      issued_on: string;
      import_source: string;
    }>(
      `SELECT o.public_id, o.visibility, a.slug, o.outlet_id, o.reference_number, to_char(o.issued_on, 'YYYY-MM-DD') AS issued_on, o.import_source
         FROM orders o JOIN authorities a ON a.id = o.authority_id WHERE o.import_reference = 'суд|2-518/2016|2016-03-01'`,
    );
    expect(order.rows[0]).toMatchObject({
      visibility: 'public',
      slug: 'ru-courts',
      outlet_id: null,
      reference_number: '2-518/2016',
      issued_on: '2016-03-01',
      import_source: 'registry',
    });
    // The public story shows the targets: canonical punycode, Unicode to read, and the IPs.
    const story = await harness.app.inject({ method: 'GET', url: `/api/orders/${order.rows[0]!.public_id}` });
    expect(story.statusCode).toBe(200);
    const body = story.json() as {
      targets: { note: string; article: { canonical_url: string; display_url: string } }[];
      events: { kind: string }[];
    };
    const urls = body.targets.map((target) => target.article.canonical_url).sort();
    expect(urls).toEqual(
      [
        'https://xn--76-8kcaef8fsao.xn--p1ai/',
        'https://xn--76-8kcaef8fsao.xn--p1ai/%D0%BF%D1%80%D0%B0%D0%B9%D1%81.html',
        'https://1.2.3.4/',
        'https://5.6.7.8/',
      ].sort(),
    );
    expect(body.targets.map((target) => target.article.display_url)).toContain('https://76автобар.рф/');
    expect(body.targets.map((target) => target.note)).toContain('blocking registry: domain');
    expect(body.targets.map((target) => target.article.display_url)).toContain('https://76автобар.рф/');
    expect(body.targets.map((target) => target.note)).toContain('blocking registry: domain');
    // A decision new to the archive is listed as of the dump: one event on the order.
    expect(body.events.filter((event) => event.kind === 'blocked')).toHaveLength(1);
    // The quoted URL kept its ; and its | (one URL, not split), beside its IP.
    const quoted = await harness.db.query<{ canonical_url: string }>(
      `SELECT a.canonical_url FROM orders o JOIN order_targets t ON t.order_id = o.id JOIN articles a ON a.id = t.article_id
        WHERE o.import_reference = 'ФСКН|2/1/11-1|2015-06-30' ORDER BY 1`,
    );
    expect(quoted.rows.map((row) => row.canonical_url)).toEqual([
      'https://1.2.3.9/',
      'https://forum.example/index.php?topic=1;wap2%20|%20x',
    ]);
  });

  const importCommand = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/importMain.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: harness.databaseUrl,
        DATA_DIR: harness.config.dataDir,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    });

  it('runs as `npm run import -- registry`, printing what it did and every problem by line', async () => {
    const file = await writeDump(work, 'cli.csv', undefined, [
      '10.0.0.1;cli.example;http://cli.example/a;Роскомнадзор;1-URL-on;2016-05-01',
      '10.0.0.2;cli.example;http://cli.example/b;Роскомнадзор;1-URL-on;2016-05-01;extra',
    ]);
    // A dump without its Updated line needs --as-of.
    const undated = importCommand(['registry', file]);
    expect(undated.status, undated.stderr).toBe(2);
    expect(undated.stderr).toMatch(/--as-of/);
    expect(importCommand(['registry', file, '--as-of', 'yesterday']).status).toBe(2);

    const done = importCommand(['registry', file, '--as-of', '2016-06-13']);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/line 2: expected 6 fields/);
    expect(done.stderr).toMatch(/2 rows .*\n.*1 made a new order, 0 merged .*, 1 reported/);
    expect(done.stderr).toMatch(/1 of 1 rows \(100\.0%\) name an authority of the catalogue/);

    const other = importCommand(['zapret', file]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/Say what to import: one of registry, gov-takedowns, lumen/);
  });

  it.skipIf(!sample.present)(
    'imports the 20,000-row sample with every row accounted for, ≥ 99% known authorities, and again changing nothing',
    async () => {
      const started = Date.now();
      const first = await importRegistryDump(harness.db, caller, { source: SAMPLE });
      const seconds = (Date.now() - started) / 1000;
      const known = first.rowsWithKnownAuthority / (first.rows - first.rowsReported);
      console.log(
        `registry sample: ${first.rows} rows in ${seconds.toFixed(1)} s: ${first.rowsImported} imported, ` +
          `${first.rowsMerged} merged, ${first.rowsReported} reported; ${(100 * known).toFixed(2)}% known authority; ` +
          `${first.ordersCreated} orders, ${first.targetsAdded} targets, ${first.targetsReported} targets left out`,
      );
      const dataLines = (await readFile(SAMPLE)).toString('latin1').trimEnd().split('\n').length - 1;
      expect(first.rows).toBe(dataLines);
      expect(first.rowsImported + first.rowsMerged + first.rowsReported).toBe(first.rows);
      expect(known).toBeGreaterThanOrEqual(0.99);
      expect(first.unknownBodies).toEqual([]);

      const before = await footprint(harness);
      const second = await importRegistryDump(harness.db, caller, { source: SAMPLE });
      expect(await footprint(harness)).toEqual(before);
      expect(second).toMatchObject({
        rowsImported: 0,
        ordersCreated: 0,
        targetsAdded: 0,
        listed: 0,
        unlisted: 0,
      });
      expect(second.rowsMerged + second.rowsReported).toBe(first.rows);
    },
    180_000,
  );
});
