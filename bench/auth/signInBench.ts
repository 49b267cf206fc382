// Sign-in benchmark (a script, not a test):
//   node --import tsx bench/auth/signInBench.ts [--seconds 10] [--concurrency 20] [--sequential 40]
//        [--hashes 20] [--bursts 10] [--keep]
// Starts embedded PostgreSQL and Meilisearch in a temporary DATA_DIR, the archive as `npm start` runs it
// (server/main.ts, its own process, joined to those servers), and creates one user per concurrent client.
// Then it measures, in the same run: (a) one argon2id hash and one verification with the archive's
// parameters, in this process, on their own; (b) the baseline: sign-ins over HTTP one at a time;
// (c) `--concurrency` clients signing in in a loop, each on its own keep-alive connection, for `--seconds`;
// (d) `--bursts` bursts of `--concurrency` sign-ins sent at the same moment. It prints p50/p95/p99 of each,
// the ratio p99(concurrent) / p50(one at a time), and the CPU the server and PostgreSQL use per sign-in. The target: p99 under 0.5 s with 20 sign-ins at once on 2 cores.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { operatorCaller } from '../../server/auth/caller.ts';
import { ARGON2_PARAMETERS, hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/commands/userAccounts.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { createLogger } from '../../server/logger.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import { startArchiveServer } from '../support/archiveServer.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '20' },
    sequential: { type: 'string', default: '40' },
    hashes: { type: 'string', default: '20' },
    bursts: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const SEQUENTIAL = Number(args.sequential);
const HASHES = Number(args.hashes);
const BURSTS = Number(args.bursts);
const PASSWORD = 'a benchmark passphrase';

const say = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const line = (samples: number[]) => {
  const { p50, p95, p99 } = summary(samples);
  return `p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)} (${samples.length} sign-ins)`;
};

/** CPU seconds a process has used so far (user + system, all its threads), from /proc. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of the benchmark's PostgreSQL: its postmaster (postmaster.pid) and the postmaster's children. */
function postgresCpuSeconds(dataDir: string): number {
  const pidFile = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  const postmaster = Number(pidFile.split('\n')[0]);
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(entry) !== postmaster && Number(fields[1]) !== postmaster) continue;
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // The process ended while we read it.
    }
  }
  return total;
}

/** CPU used (server, PostgreSQL) over a phase, per sign-in, in ms. */
function cpuMeter(serverPid: number, dataDir: string) {
  const server = cpuSecondsOf(serverPid);
  const postgres = postgresCpuSeconds(dataDir);
  return (count: number) => ({
    server: ((cpuSecondsOf(serverPid) - server) * 1000) / count,
    postgres: ((postgresCpuSeconds(dataDir) - postgres) * 1000) / count,
  });
}

const cpuLine = (cpu: { server: number; postgres: number }) =>
  `CPU per sign-in: server ${ms(cpu.server)}, PostgreSQL ${ms(cpu.postgres)}`;

/** One sign-in over HTTP on `agent`; resolves with its time in ms once the whole answer is read. */
function timedSignIn(agent: http.Agent, base: URL, email: string): Promise<number> {
  const body = JSON.stringify({ email, password: PASSWORD });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: '/api/session',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'signInBench',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 201) {
            return reject(new Error(`${response.statusCode}: ${Buffer.concat(chunks).toString()}`));
          }
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Wall time of each hash and verification, and the CPU a verification takes (argon2 runs on libuv's threads). */
async function timeHashes(): Promise<{ hash: number[]; verify: number[]; verifyCpu: number[] }> {
  const hash: number[] = [];
  const verify: number[] = [];
  const verifyCpu: number[] = [];
  const stored = await hashPassword(PASSWORD);
  for (let i = 0; i < HASHES + 2; i++) {
    let started = process.hrtime.bigint();
    await hashPassword(PASSWORD);
    const hashMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage();
    started = process.hrtime.bigint();
    await argon2.verify(stored, PASSWORD);
    const verifyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    if (i >= 2) {
      hash.push(hashMs);
      verify.push(verifyMs);
      verifyCpu.push((used.user + used.system) / 1000);
    }
  }
  return { hash, verify, verifyCpu };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-sign-in-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', RUN_WORKER: 'false' });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  say(
    `sign-in benchmark: ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const { memoryCost, timeCost, parallelism } = ARGON2_PARAMETERS;
  say(`argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}; data in ${dataDir}`);
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );
  const db = createPool(services.databaseUrl, 4);
  let server: ChildProcess | undefined;
  try {
    await migrateDatabase(services.databaseUrl);
    const emails = Array.from({ length: CONCURRENCY }, (_, i) => `bench-${i}@sign-in.example`);
    for (const email of emails) {
      await createUser(db, operatorCaller('bench'), { email, displayName: email, password: PASSWORD });
    }

    const archive = await startArchiveServer({
      dataDir,
      services,
      // The per-address limit stays on (each sign-in is counted in PostgreSQL, as in production), high
      // enough that the bench's sign-ins from one address are never refused.
      env: { RATE_LIMIT_SIGN_INS_PER_MINUTE: '1000000' },
    });
    server = archive.process;
    const base = archive.base;

    // (a) argon2 on its own, in this process, while the server idles.
    const hashes = await timeHashes();
    say('');
    say(
      `(a) one argon2id hash: p50 ${ms(summary(hashes.hash).p50)} (${HASHES} hashes); one verification: ` +
        `p50 ${ms(summary(hashes.verify).p50)}, CPU ${ms(summary(hashes.verifyCpu).p50)}`,
    );

    // (b) one at a time, on one keep-alive connection.
    const single = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++) await timedSignIn(single, base, emails[0]!);
    const sequential: number[] = [];
    let cpu = cpuMeter(server.pid!, dataDir);
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await timedSignIn(single, base, emails[0]!));
    const sequentialCpu = cpu(SEQUENTIAL);
    single.destroy();
    say(`(b) one at a time: ${line(sequential)}; ${cpuLine(sequentialCpu)}`);

    // (c) CONCURRENCY clients, each its own user and keep-alive connection, signing in in a loop.
    const agents = emails.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    await Promise.all(agents.map((agent, i) => timedSignIn(agent, base, emails[i]!)));
    const concurrent: number[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    cpu = cpuMeter(server.pid!, dataDir);
    const wallStarted = Date.now();
    await Promise.all(
      agents.map(async (agent, i) => {
        while (Date.now() < deadline) concurrent.push(await timedSignIn(agent, base, emails[i]!));
      }),
    );
    const wallSeconds = (Date.now() - wallStarted) / 1000;
    const concurrentCpu = cpu(concurrent.length);
    say(
      `(c) ${CONCURRENCY} in a loop for ${wallSeconds.toFixed(1)} s: ${line(concurrent)}; ` +
        `${(concurrent.length / wallSeconds).toFixed(1)} sign-ins/s; ${cpuLine(concurrentCpu)}`,
    );

    // (d) bursts: CONCURRENCY sign-ins sent at the same moment, the next burst once all are answered.
    const bursts: number[] = [];
    for (let round = 0; round < BURSTS; round++) {
      bursts.push(...(await Promise.all(agents.map((agent, i) => timedSignIn(agent, base, emails[i]!)))));
    }
    for (const agent of agents) agent.destroy();
    say(`(d) ${BURSTS} bursts of ${CONCURRENCY} at once: ${line(bursts)}`);
    // Little's law: with every client always waiting, each waits for the others' CPU on the cores there are.
    const perSignIn = concurrentCpu.server + concurrentCpu.postgres;
    say(
      `    ${CONCURRENCY} clients × ${ms(perSignIn)} of CPU / ${os.cpus().length} cores = ` +
        `${ms((CONCURRENCY * perSignIn) / os.cpus().length)}: the mean wait in (c) were the cores doing nothing else`,
    );
    const ratio = summary(concurrent).p99 / summary(sequential).p50;
    say('');
    say(
      `p99 with ${CONCURRENCY} at once / p50 one at a time: ${ms(summary(concurrent).p99)} / ` +
        `${ms(summary(sequential).p50)} = ${ratio.toFixed(2)}; target p99 < 500 ms: ` +
        (summary(concurrent).p99 < 500 ? 'met' : 'missed'),
    );
    say(
      `load after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await db.end();
    await services.stop();
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
