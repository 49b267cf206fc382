// `npm run cli -- token create …`, `user create …`, `documents reprocess …`: administrative commands.
// It uses DATABASE_URL, or the embedded PostgreSQL of the running archive's DATA_DIR (the same default,
// ./data, as npm start). With nothing running there it refuses, rather than start a second database
// whose tokens the archive never sees, unless told the DATA_DIR with --data-dir: then it starts that
// DATA_DIR's database for the command.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import type pg from 'pg';
import { createApiToken } from './auth/apiTokens.ts';
import { operatorCaller, type Caller } from './auth/caller.ts';
import { linkPath } from './commands/accountLinks.ts';
import { reprocessDocument } from './commands/documentReprocessor.ts';
import { revokeToken } from './commands/tokenAdministration.ts';
import { createPasswordReset } from './commands/passwordResets.ts';
import { checkPassword, createUser, normalizeEmail } from './commands/userAccounts.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { ArchiveError, describeError } from './errors.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { withTransaction } from './database/transaction.ts';
import { createLogger } from './logger.ts';
import { JobQueue } from './queue/jobQueue.ts';
import { checkLogIntegrity } from './records/logIntegrityCheck.ts';
import { resolveOutletId } from './records/referenceLookup.ts';
import { BlobStore } from './storage/blobStore.ts';
import { NoRunningArchiveError, openArchiveDatabase } from './runtime/runningArchive.ts';
import { ORDER_ID_PATTERN } from './schemas/common.ts';
import { DOCUMENT_STATUSES, isOcrLanguageList } from './schemas/documents.ts';
import { DisplayName, Email } from './schemas/people.ts';

const USAGE = `Usage:
  TOKEN=$(npm run -s cli -- token create --name NAME --role editor)   (stdout: the token alone)
  npm run cli -- token create --name NAME --role outlet --outlet OUTLET_ID_OR_SLUG
  npm run cli -- token revoke --id TOKEN_ID
  npm run cli -- user create --email EMAIL --name NAME --editor   (stdout: a one-time /password-reset#… link)
  npm run cli -- user create --email EMAIL --name NAME --editor --password-stdin < password-file
  npm run cli -- documents reprocess [--status failed,partial] [--order ORDER_ID] [--ocr-languages kir+rus+eng]
  npm run cli -- log check   (re-hash every stored file and log leaf; exit 1 naming each document that differs)
Each command works on the archive running on DATA_DIR (default ./data) or DATABASE_URL; add
--data-dir DIR to work on DIR's database while no archive runs on it.`;

class UsageError extends Error {}

/** Whether --data-dir was given: then the command may start that DATA_DIR's database itself. */
let dataDirGiven = false;

async function withDatabase<T>(config: Config, work: (pool: pg.Pool, url: string) => Promise<T>): Promise<T> {
  const database = await openArchiveDatabase(config, createLogger({ ...config, LOG_LEVEL: 'warn' }), {
    startIfStopped: dataDirGiven,
  });
  const url = database.url;
  try {
    await migrateDatabase(url);
    const pool = createPool(url, 2);
    try {
      return await work(pool, url);
    } finally {
      await pool.end();
    }
  } finally {
    await database.stop();
  }
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      outlet: { type: 'string' },
      id: { type: 'string' },
      status: { type: 'string' },
      order: { type: 'string' },
      'ocr-languages': { type: 'string' },
      'data-dir': { type: 'string' },
      email: { type: 'string' },
      editor: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const [group, action] = positionals;
  dataDirGiven = values['data-dir'] !== undefined;
  const config = loadConfig(dataDirGiven ? { ...process.env, DATA_DIR: values['data-dir'] } : process.env);
  if (group === 'token' && action === 'create') {
    if (!values.name) throw new UsageError('--name is required');
    if (values.role !== 'editor' && values.role !== 'outlet')
      throw new UsageError('--role must be editor or outlet');
    const role = values.role;
    const created = await withDatabase(config, async (pool) => {
      const outletId = values.outlet === undefined ? undefined : await resolveOutletId(pool, values.outlet);
      return createApiToken(pool, { name: values.name!, role, outletId });
    });
    console.error(`Created ${role} token #${created.id} "${values.name}". It is shown only this once:`);
    console.log(created.token);
    return;
  }
  if (group === 'token' && action === 'revoke') {
    if (!values.id || !/^[0-9]{1,15}$/.test(values.id)) throw new UsageError('--id must be a token id');
    const tokenId = Number(values.id);
    // Through the same command as the API, so the revocation is in the audit log.
    const revoked = await withDatabase(config, (pool) =>
      revokeToken(pool, { caller: operatorCaller('npm run cli'), tokenId }).catch((error: unknown) => {
        if (error instanceof ArchiveError && error.code === 'not_found') return false;
        throw error;
      }),
    );
    console.error(revoked ? `Token #${values.id} revoked.` : `No live token #${values.id}.`);
    return;
  }
  if (group === 'user' && action === 'create') return createEditor(config, values);
  if (group === 'documents' && action === 'reprocess') {
    const filter = reprocessFilter(values);
    const queued = await withDatabase(config, (pool, url) => reprocessDocuments(pool, url, config, filter));
    console.error(
      `Queued ${queued} document${queued === 1 ? '' : 's'} for extraction again` +
        (queued ? '; a running worker (npm start or npm run worker) reads them now.' : '.'),
    );
    return;
  }
  if (group === 'log' && action === 'check') {
    const report = await withDatabase(config, (pool) =>
      checkLogIntegrity({ db: pool, blobs: new BlobStore(path.join(config.dataDir, 'blobs')) }),
    );
    for (const problem of report.problems) {
      const where = problem.documentId === undefined ? 'the log' : `document ${problem.documentId}`;
      console.log(
        `${where}${problem.leafIndex === undefined ? '' : ` (leaf ${problem.leafIndex})`}: ${problem.problem}`,
      );
    }
    console.error(
      `Checked ${report.leavesChecked} leaves and ${report.filesChecked} stored files: ` +
        (report.problems.length ? `${report.problems.length} problem(s).` : 'all match.'),
    );
    if (report.problems.length) process.exitCode = 1;
    return;
  }
  throw new UsageError(group ? `Unknown command: ${positionals.join(' ')}` : 'No command given');
}

/**
 * `user create --editor`: the first editor (or another), made at the server. Without --password-stdin the
 * editor has no password: stdout gets a one-time link that sets one, stderr how to use it.
 */
async function createEditor(
  config: Config,
  values: { email?: string; name?: string; editor?: boolean; 'password-stdin'?: boolean },
): Promise<void> {
  if (!values.email || !Value.Check(Email, values.email))
    throw new UsageError('--email must be an e-mail address');
  if (!values.name || !Value.Check(DisplayName, values.name))
    throw new UsageError('--name must be a display name of 1 to 200 characters');
  if (!values.editor)
    throw new UsageError(
      'user create makes an editor: add --editor. Other people are invited (POST /api/invitations)',
    );
  const password = values['password-stdin'] ? await readPasswordFromStdin() : undefined;
  if (password !== undefined) checkPassword(password);
  const email = normalizeEmail(values.email);
  const operator = operatorCaller('npm run cli');
  const { userId, link } = await withDatabase(config, (pool) =>
    withTransaction(pool, async (client) => {
      const userId = await createUser(client, operator, {
        email,
        displayName: values.name!,
        isEditor: true,
        password,
      });
      const link =
        password === undefined
          ? await createPasswordReset(client, operator, {
              userId,
              expiresInHours: config.PASSWORD_RESET_HOURS,
            })
          : undefined;
      return { userId, link };
    }),
  );
  if (!link) {
    console.error(`Created editor #${userId} ${email} with the password given.`);
    return;
  }
  console.error(
    `Created editor #${userId} ${email}, with no password yet. The link below sets one; it works once, ` +
      `for ${config.PASSWORD_RESET_HOURS} hours, and is shown only this once. Until the archive has its ` +
      'web pages, send its secret (the part after #) with a new password:\n' +
      `  curl -X POST http://HOST:PORT/api/password-resets/complete -H 'content-type: application/json' \\\n` +
      `    -d '{"token": "tal_…", "password": "at least 10 characters"}'`,
  );
  console.log(linkPath('password_reset', link.token));
}

/** The password piped in: all of stdin, less one final line break. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--password-stdin reads the password from a pipe or a file');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

interface ReprocessFilter {
  statuses: string[] | null;
  order: string | null;
  ocrLanguages: string | undefined;
}

function reprocessFilter(values: {
  status?: string;
  order?: string;
  'ocr-languages'?: string;
}): ReprocessFilter {
  if (!values.status && !values.order)
    throw new UsageError('Say which documents: --status (e.g. failed,partial), --order ORDER_ID, or both');
  const statuses = values.status?.split(',').map((status) => status.trim()) ?? null;
  for (const status of statuses ?? []) {
    if (!(DOCUMENT_STATUSES as readonly string[]).includes(status))
      throw new UsageError(`--status: ${status} is not one of ${DOCUMENT_STATUSES.join(', ')}`);
  }
  if (values.order !== undefined && !new RegExp(ORDER_ID_PATTERN).test(values.order))
    throw new UsageError('--order must be an order id, e.g. TD-2026-00042');
  const ocrLanguages = values['ocr-languages'];
  if (ocrLanguages !== undefined && !isOcrLanguageList(ocrLanguages))
    throw new UsageError('--ocr-languages: tesseract languages joined by +, e.g. kir+rus+eng');
  return { statuses, order: values.order ?? null, ocrLanguages };
}

/** Queues each matching document as POST /api/documents/:id/reprocess does, as an editor would. */
async function reprocessDocuments(
  pool: pg.Pool,
  url: string,
  config: Config,
  filter: ReprocessFilter,
): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT d.id FROM documents d JOIN orders o ON o.id = d.order_id
      WHERE ($1::text[] IS NULL OR d.status = ANY($1::text[]))
        AND ($2::text IS NULL OR o.public_id = $2 OR o.id::text = $2)
      ORDER BY d.id`,
    [filter.statuses, filter.order],
  );
  const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
  const jobs = await JobQueue.start(url, logger, { longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS });
  const operator: Caller = operatorCaller('npm run cli');
  try {
    for (const [index, row] of rows.entries()) {
      await reprocessDocument(
        { db: pool, jobs },
        { caller: operator, documentId: row.id, ocrLanguages: filter.ocrLanguages },
      );
      if ((index + 1) % 100 === 0) console.error(`  ${index + 1} of ${rows.length} queued`);
    }
  } finally {
    await jobs.stop();
  }
  return rows.length;
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof NoRunningArchiveError) {
      console.error(error.message);
      process.exit(1);
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    // A command's error names its input as the command does ("outlet: there is no outlet 'x'").
    console.error(describeError(error));
    process.exit(1);
  },
);
