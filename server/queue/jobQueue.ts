// The PostgreSQL-backed job queue (pg-boss): jobs are enqueued in the same transaction as the rows
// they work on, and any number of workers on any machine that reaches the database take them.
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { PageBoxes, RedactionToPlace } from '../../ingest/renditions/redactionBoxes.ts';
import { PreparingClient } from '../database/preparedStatements.ts';

export const EXTRACT_DOCUMENT_QUEUE = 'extract-document';
/** Redacted renditions of PDFs and images (server/jobs/renditionJob.ts). */
export const RENDER_REDACTED_QUEUE = 'render-redacted';

export interface ExtractDocumentJob {
  documentId: number;
}

export interface RenderRedactedJob {
  documentId: number;
  /** Names the request (commands/renditionRequester.ts): a job whose request was superseded does nothing. */
  inputSha256: string;
  /** The accepted redactions: strings on pages, by their offsets in the stored page text when known. */
  redactions: RedactionToPlace[];
  /** Boxes a person drew (on a scan where the text cannot be found), covered as they are. */
  boxesByPage: PageBoxes[];
}

export class JobQueue {
  private constructor(private readonly boss: PgBoss) {}

  /** Connects, installs or upgrades pg-boss's own schema (safe with many processes), creates our queues. */
  static async start(
    databaseUrl: string,
    logger: Logger,
    options: { longestExtractionMs: number },
  ): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      max: 4,
      schema: 'pgboss',
      // pg-boss hands its options to pg.Pool, which takes the client class: its queries are prepared too.
      Client: PreparingClient,
    } as PgBoss.ConstructorOptions);
    // pg-boss's errors carry whole connection objects: log what a reader needs.
    boss.on('error', (error: Error & { code?: string }) =>
      logger.warn({ error: error.message, code: error.code }, 'job queue error'),
    );
    await boss.start();
    const settings = {
      name: EXTRACT_DOCUMENT_QUEUE,
      // Only transient failures throw out of the handler (a bad file is a result, not an error):
      // retried with exponential backoff, then left failed with the error kept by pg-boss.
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      // A job whose worker died is offered again after the longest an extraction may run (a long
      // scan's limit grows with its pages up to EXTRACT_MAX_TIMEOUT_MS) plus a margin.
      expireInSeconds: Math.ceil(options.longestExtractionMs / 1000) + 300,
    };
    // A rendition renders every page and may OCR some: it gets as long as an extraction.
    const renditionSettings = { ...settings, name: RENDER_REDACTED_QUEUE, retryLimit: 3 };
    for (const queue of [settings, renditionSettings]) {
      await boss.createQueue(queue.name, queue);
      // createQueue leaves an existing queue as it was: an archive whose limits changed updates it.
      await boss.updateQueue(queue.name, queue);
    }
    return new JobQueue(boss);
  }

  /** Enqueues inside the caller's transaction: the job exists if and only if the transaction commits. */
  async enqueueExtraction(client: pg.PoolClient, job: ExtractDocumentJob): Promise<void> {
    await this.boss.send(EXTRACT_DOCUMENT_QUEUE, job, {
      db: { executeSql: (text, values) => client.query(text, values) },
    });
  }

  /** Enqueues a rendition inside the caller's transaction, as enqueueExtraction does. */
  async enqueueRendition(client: pg.PoolClient, job: RenderRedactedJob): Promise<void> {
    await this.boss.send(RENDER_REDACTED_QUEUE, job, {
      db: { executeSql: (text, values) => client.query(text, values) },
    });
  }

  /** Runs `handler` for extraction jobs: `concurrency` at a time in this process, each one job at a time. */
  async workExtractions(
    handler: (job: ExtractDocumentJob) => Promise<void>,
    options: { concurrency: number; pollingIntervalSeconds: number },
  ) {
    await this.work(EXTRACT_DOCUMENT_QUEUE, handler, options);
  }

  /** Runs `handler` for rendition jobs, as workExtractions does for extractions. */
  async workRenditions(
    handler: (job: RenderRedactedJob) => Promise<void>,
    options: { concurrency: number; pollingIntervalSeconds: number },
  ) {
    await this.work(RENDER_REDACTED_QUEUE, handler, options);
  }

  private async work<T extends object>(
    queue: string,
    handler: (job: T) => Promise<void>,
    options: { concurrency: number; pollingIntervalSeconds: number },
  ) {
    for (let i = 0; i < options.concurrency; i++) {
      // Filled in once work() returns; the handler only runs after its first fetch.
      const worker: { id?: string } = {};
      worker.id = await this.boss.work<T>(
        queue,
        { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds },
        async (jobs) => {
          for (const job of jobs) await handler(job.data);
          // pg-boss waits out the polling interval after each fetch, even with more jobs queued: a
          // worker that just finished one asks again at once (an empty fetch then waits as usual).
          if (worker.id) this.boss.notifyWorker(worker.id);
        },
      );
    }
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
