// The statistics benchmark: p50 and p95 of orderStatistics (what GET /api/stats and the statistics page
// run) for a few groupings and callers, at N orders, each beside a bare `SELECT count(*)` of the orders the
// same caller sees and a direct GROUP BY over `orders` (what the rollup saves), timed in the same run.
//   node --import tsx bench/stats/statsBench.ts [--orders 1000000] [--rounds 30]
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import type { Caller } from '../../server/auth/caller.ts';
import { visibleOrdersSql } from '../../server/auth/orderAccess.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { createLogger } from '../../server/logger.ts';
import { orderStatistics, rollupFor, ROLLUPS } from '../../server/records/orderStatistics.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import type { StatisticsGroup } from '../../server/schemas/statistics.ts';
import type { DataFilterValues } from '../../server/schemas/statistics.ts';
import { loadSyntheticOrders } from './syntheticOrders.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '30' },
  },
});
const ORDERS = Number(args.orders);
const ROUNDS = Number(args.rounds);
const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

const PAGE_COUNTS: StatisticsGroup[][] = [
  ['authority', 'month'],
  ...(
    ['month', 'authority', 'country', 'legal_act', 'demanded_action', 'outcome', 'status', 'outlet'] as const
  ).map((group) => [group]),
];

async function timed(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm: plans and caches
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]! };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-stats-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', RUN_WORKER: 'false' });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  say(`statistics benchmark: ${ORDERS.toLocaleString('en-US')} orders, ${os.cpus().length} CPUs`);
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );
  const db: pg.Pool = createPool(services.databaseUrl, 4);
  try {
    await migrateDatabase(services.databaseUrl);
    await seedAuthorities(db);
    const loadStarted = Date.now();
    await loadSyntheticOrders(db, {
      orders: ORDERS,
      onProgress: (loaded) => {
        if (loaded % 200_000 === 0 || loaded === ORDERS) say(`  loaded ${loaded.toLocaleString('en-US')}`);
      },
    });
    const { rows: sizes } = await db.query<{ hidden: number }>(
      `SELECT count(*)::int AS hidden FROM orders WHERE visibility <> 'public'`,
    );
    const count = (value: number) => value.toLocaleString('en-US');
    say(
      `loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (rollups kept by the triggers); ` +
        `non-public orders: ${count(sizes[0]!.hidden)}; rollup rows:`,
    );
    for (const { table } of ROLLUPS) {
      const { rows } = await db.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM ${table}`);
      say(`  ${table.padEnd(36)}${count(rows[0]!.rows).padStart(9)}`);
    }
    const { rows: outlet } = await db.query<{ id: number }>(
      `SELECT id FROM outlets WHERE slug = 'bench-outlet-1'`,
    );
    const callers: [string, Caller][] = [
      ['anonymous', { kind: 'anonymous' }],
      [
        'an outlet member',
        {
          kind: 'account',
          outletIds: [Number(outlet[0]!.id)],
          adminOf: [],
          researcher: false,
          name: 'bench',
          userId: null,
          tokenId: null,
          sessionId: null,
          readOnly: false,
        },
      ],
      [
        'editor',
        { kind: 'editor', name: 'bench', userId: null, tokenId: null, sessionId: null, readOnly: false },
      ],
    ];
    const cases: [string, StatisticsGroup[], DataFilterValues][] = [
      ['authority', ['authority'], {}],
      ['authority,month', ['authority', 'month'], {}],
      ['demanded_action,year', ['demanded_action', 'year'], {}],
      ['outcome', ['outcome'], {}],
      ['demanded_action', ['demanded_action'], {}],
      ['legal_act', ['legal_act'], {}],
      ['status', ['status'], {}],
      ['legal_act,status (country=RU)', ['legal_act', 'status'], { country: ['RU'] }],
      [
        'outlet,month (2019-03-10..2021-11-20)',
        ['outlet', 'month'],
        { issued_from: '2019-03-10', issued_to: '2021-11-20' },
      ],
    ];
    say(
      '\ncaller            grouping                                 stats p50 / p95    count(*) p50   GROUP BY p50   ratio stats/count   rollup read',
    );
    for (const [callerName, caller] of callers) {
      const params: unknown[] = [];
      const visible = visibleOrdersSql(caller, 'o', params);
      const count = await timed(() => db.query(`SELECT count(*) FROM orders o WHERE ${visible}`, params));
      for (const [name, group, filters] of cases) {
        const stats = await timed(() => orderStatistics(db, caller, { group, filters }));
        // The same count straight from orders, for the first group, to show what the rollup saves.
        const direct = await timed(() =>
          db.query(`SELECT o.status, count(*) FROM orders o WHERE ${visible} GROUP BY 1`, params),
        );
        const rollup = rollupFor(group, filters).table.replace('order_statistics', '') || '(fine)';
        say(
          `${callerName.padEnd(18)}${name.padEnd(41)}${`${ms(stats.p50)} / ${ms(stats.p95)}`.padEnd(19)}` +
            `${ms(count.p50).padEnd(15)}${ms(direct.p50).padEnd(15)}${(stats.p50 / count.p50).toFixed(2).padEnd(20)}` +
            rollup,
        );
      }
      // What the statistics page asks at once without a filter (web/routes/statisticsPage.ts): the
      // authority-by-month table, its seven sections and the outlets its form offers.
      const page = await timed(() =>
        Promise.all(PAGE_COUNTS.map((group) => orderStatistics(db, caller, { group, filters: {} }))),
      );
      say(
        `${callerName.padEnd(18)}${'the page: its 9 counts at once'.padEnd(41)}` +
          `${`${ms(page.p50)} / ${ms(page.p95)}`.padEnd(19)}${ms(count.p50).padEnd(15)}${''.padEnd(15)}` +
          (page.p50 / count.p50).toFixed(2),
      );
    }
  } finally {
    await db.end();
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
