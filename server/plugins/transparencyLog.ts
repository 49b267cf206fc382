// The transparency log inside the server process: loads the signing key, gives documents from before the
// log their leaves once the app is ready, and runs the checkpointer, which signs a checkpoint when the tree
// grew, at most every LOG_CHECKPOINT_SECONDS. Routes and tests reach it as `app.transparencyLog`.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { formatVerifierKey, type NoteSigner } from '../../domain/transparencyLog/note.ts';
import { signCheckpointIfGrown } from '../commands/checkpointSigner.ts';
import { appendMissingLeaves } from '../commands/logAppender.ts';
import { latestCheckpoint, type CheckpointRow } from '../records/transparencyLogRecords.ts';
import { loadLogSigner, logOriginOf } from '../runtime/logSigningKey.ts';

export interface TransparencyLog {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The verifier key text, `<name>+<8 hex id>+<base64 key>`. */
  readonly verifierKey: string;
  /** The latest checkpoint, signing one first when the tree has grown (the checkpointer's tick; tests). */
  checkpoint(): Promise<CheckpointRow>;
  /** The latest published checkpoint once it covers leaf `index`: waits for the checkpointer's next tick. */
  checkpointCovering(index: number): Promise<CheckpointRow>;
}

declare module 'fastify' {
  interface FastifyInstance {
    transparencyLog: TransparencyLog;
  }
}

async function transparencyLog(app: FastifyInstance) {
  const signer = await loadLogSigner(app.config);
  const origin = logOriginOf(app.config);
  // One signing at a time in this process: a tick and a request asking at once share the same work.
  let signing: Promise<CheckpointRow> | undefined;
  const checkpoint = () => {
    signing ??= signCheckpointIfGrown({ db: app.db, signer, origin }).finally(() => (signing = undefined));
    return signing;
  };
  // Requests waiting for a checkpoint that covers their leaf: woken after each tick.
  let waiting: Array<() => void> = [];
  const nextTick = () => new Promise<void>((resolve) => waiting.push(resolve));
  const checkpointCovering = async (index: number): Promise<CheckpointRow> => {
    // Two ticks at most: the leaf is committed, so the tick after this call signs a tree holding it.
    for (let attempt = 0; ; attempt += 1) {
      const latest = await latestCheckpoint(app.db);
      if (latest && latest.tree_size > index) return latest;
      if (attempt === 2 || closing) return checkpoint();
      await nextTick();
    }
  };
  app.decorate('transparencyLog', {
    origin,
    signer,
    verifierKey: formatVerifierKey(signer),
    checkpoint,
    checkpointCovering,
  } satisfies TransparencyLog);

  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  // Documents from before the log get their leaves once, before the first checkpoint; if PostgreSQL is
  // down at start-up, the next tick tries again, and the archive starts and serves meanwhile.
  let caughtUp = false;
  const catchUp = async () => {
    if (caughtUp) return;
    const appended = await appendMissingLeaves(app.db);
    caughtUp = true;
    if (appended > 0)
      app.log.info({ appended }, 'gave documents from before the transparency log their leaves');
  };
  const tick = async () => {
    try {
      await catchUp();
      await checkpoint();
    } catch (error) {
      if (!closing) app.log.error({ err: error }, 'signing a transparency log checkpoint failed');
    }
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
    if (!closing) timer = setTimeout(() => void tick(), app.config.LOG_CHECKPOINT_SECONDS * 1000);
  };
  // The first tick runs when the app is ready, and readiness waits for it a few seconds at most: a
  // catch-up of many documents from before the log must not hold the start (nor exceed Fastify's plugin
  // timeout); it goes on in the background, and requests for a checkpoint wait for it as for any tick.
  let firstTick: Promise<void> | undefined;
  app.addHook('onReady', async () => {
    firstTick = tick();
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([firstTick, new Promise<void>((resolve) => (waited = setTimeout(resolve, 5000)))]);
    clearTimeout(waited);
  });
  app.addHook('onClose', async () => {
    closing = true;
    clearTimeout(timer);
    for (const wake of waiting) wake();
    await firstTick;
    await signing?.catch(() => undefined);
  });
}

export default fp(transparencyLog, { name: 'transparency-log' });
