// Successive dumps of the blocking registry, imported in date order, record on each order exactly what
// changed: targets that appeared ('blocked'), targets no longer listed ('unblocked'), decisions whose
// targets all left ('lifted'). An interrupted import resumes where it stopped.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionKey, isRowProblem, parseRegistryRow } from '../../domain/registryRows.ts';
import { operatorCaller } from '../../server/auth/caller.ts';
import { importRegistryDump } from '../../server/imports/registry/registryImporter.ts';
import { corpusFolder } from '../support/documentFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const sample = corpusFolder('blocking-registry');
const caller = operatorCaller('registry-test');

/** The (decision, canonical target) pairs a dump's lines list, as `decision<TAB>canonical`. */
function pairsOf(lines: string[]): Set<string> {
  const pairs = new Set<string>();
  for (const [index, line] of lines.entries()) {
    const fields = parse(line, {
      delimiter: ';',
      relax_quotes: true,
      relax_column_count: true,
    })[0] as string[];
    const row = parseRegistryRow(fields, index + 2);
    if (isRowProblem(row)) continue;
    for (const target of row.targets) pairs.add(`${decisionKey(row)}\t${target.canonical}`);
  }
  return pairs;
}

const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((item) => !b.has(item)));

describe.skipIf(!sample.present)('registry life', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let work: string;
  let lines: string[];
  beforeAll(async () => {
    harness = await createTestApp();
    work = await mkdtemp(path.join(os.tmpdir(), 'takedown-registry-life-'));
    const text = iconv.decode(await readFile(path.join(sample.dir, 'zi-sample.csv')), 'win1251');
    lines = text.split('\n').slice(1, 401);
  });
  afterAll(async () => {
    await harness?.close();
    await rm(work, { recursive: true, force: true });
  });

  const writeDump = async (name: string, updated: string, rows: string[]) => {
    const file = path.join(work, name);
    await writeFile(
      file,
      iconv.encode(`Updated: ${updated} 12:00:00 +0000\n${rows.join('\n')}\n`, 'win1251'),
    );
    return file;
  };

  /** Events of a kind from the dump of `day`, as (decision, canonical target) pairs or decisions. */
  const eventsOf = async (kind: string, day: string) => {
    const { rows } = await harness.db.query<{ decision: string; canonical_url: string | null }>(
      `SELECT o.import_reference AS decision, a.canonical_url FROM events e JOIN orders o ON o.id = e.order_id
         LEFT JOIN articles a ON a.id = e.article_id
        WHERE e.kind = $1 AND e.occurred_at = $2::date`,
      [kind, day],
    );
    return rows;
  };

  it('records exactly the targets that came and went between two dumps', async () => {
    // Decisions of the first 300 rows with several rows: one leaves whole, one loses a row, one gains one.
    const first = lines.slice(0, 300);
    const keyOf = (line: string) => line.split(';').slice(-3).join(';');
    const rowsByDecision = new Map<string, number[]>();
    first.forEach((line, index) =>
      rowsByDecision.set(keyOf(line), [...(rowsByDecision.get(keyOf(line)) ?? []), index]),
    );
    const multi = [...rowsByDecision.values()].filter(
      (indexes) => indexes.length >= 2 && !first[indexes[0]!]!.includes('"'),
    );
    expect(multi.length).toBeGreaterThanOrEqual(3);
    const [leaving, shrinking, growing] = multi;
    const heldBack = growing!.at(-1)!;
    const dropped = new Set([...leaving!, shrinking!.at(-1)!]);

    const dump1Lines = first.filter((_, index) => index !== heldBack);
    const dump2Lines = [...first.filter((_, index) => !dropped.has(index)), ...lines.slice(300, 320)];
    const dump1 = await writeDump('dump-2016-06-13.csv', '2016-06-13', dump1Lines);
    const dump2 = await writeDump('dump-2016-07-01.csv', '2016-07-01', dump2Lines);

    const one = await importRegistryDump(harness.db, caller, { source: dump1 });
    expect(one.unlisted).toBe(0);
    const two = await importRegistryDump(harness.db, caller, { source: dump2 });

    const pairs1 = pairsOf(dump1Lines);
    const pairs2 = pairsOf(dump2Lines);
    const gone = minus(pairs1, pairs2);
    const came = minus(pairs2, pairs1);
    expect(gone.size).toBeGreaterThan(0);
    expect(came.size).toBeGreaterThan(0);

    const unblocked = await eventsOf('unblocked', '2016-07-01');
    expect(new Set(unblocked.map((event) => `${event.decision}\t${event.canonical_url}`))).toEqual(gone);
    expect(two.unlisted).toBe(gone.size);

    // A target joining a decision already in the archive has its own event; a new decision has one event
    // for its order, whose targets are all new.
    const blocked = await eventsOf('blocked', '2016-07-01');
    const newDecisions = new Set(
      blocked.filter((event) => !event.canonical_url).map((event) => event.decision),
    );
    const listed = new Set([
      ...blocked
        .filter((event) => event.canonical_url)
        .map((event) => `${event.decision}\t${event.canonical_url}`),
      ...[...pairs2].filter((pair) => newDecisions.has(pair.split('\t')[0]!)),
    ]);
    expect(listed).toEqual(came);
    expect(blocked.some((event) => event.canonical_url)).toBe(true);

    // Only the decision whose rows all left is lifted; the one that lost a row is still listed.
    const decisionsOf = (pairs: Set<string>) => new Set([...pairs].map((pair) => pair.split('\t')[0]!));
    const lifted = minus(decisionsOf(pairs1), decisionsOf(pairs2));
    expect(lifted.size).toBe(1);
    expect(new Set((await eventsOf('lifted', '2016-07-01')).map((event) => event.decision))).toEqual(lifted);
    expect(two.lifted).toBe(1);

    // The order shows when each target stopped being listed.
    const { rows } = await harness.db.query<{ listed: boolean; delisted_on: string | null }>(
      `SELECT t.registry_listed AS listed, to_char(t.delisted_on, 'YYYY-MM-DD') AS delisted_on
         FROM order_targets t JOIN orders o ON o.id = t.order_id WHERE o.import_reference = $1`,
      [[...lifted][0]],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => !row.listed && row.delisted_on === '2016-07-01')).toBe(true);

    // An older dump after a newer one would run the registry's life backwards: refused.
    await expect(importRegistryDump(harness.db, caller, { source: dump1 })).rejects.toThrow(/date order/);
  });

  it('resumes an interrupted import after its last committed batch, ending as a whole import would', async () => {
    const rows = lines.slice(0, 200);
    const dump = await writeDump('dump-2016-08-01.csv', '2016-08-01', rows);
    const interrupted = importRegistryDump(harness.db, caller, {
      source: dump,
      batchRows: 50,
      onProgress: ({ rows: read }) => {
        if (read >= 100) throw new Error('killed');
      },
    });
    await expect(interrupted).rejects.toThrow('killed');

    const resumed = await importRegistryDump(harness.db, caller, { source: dump, batchRows: 50 });
    expect(resumed.rowsResumed).toBe(100);
    expect(resumed.rowsResumed + resumed.rowsImported + resumed.rowsMerged + resumed.rowsReported).toBe(200);
    const { rows: listed } = await harness.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM order_targets WHERE registry_listed AND last_listed_on = '2016-08-01'`,
    );
    expect(Number(listed[0]!.n)).toBe(pairsOf(rows).size);
  });
});
