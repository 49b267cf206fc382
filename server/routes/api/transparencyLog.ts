// The transparency log's public routes (docs/TRANSPARENCY-LOG.md §5): the latest checkpoint, the
// verifier key, consistency proofs between published checkpoints, the list of checkpoints for monitors,
// and a document's inclusion proof (JSON, or a C2SP tlog-proof file), for those who may see the document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { consistencyProof } from '../../../domain/transparencyLog/merkle.ts';
import { formatTlogProof } from '../../../domain/transparencyLog/tlogProof.ts';
import { canSeeOrder } from '../../auth/orderAccess.ts';
import { invalidInput, notFound } from '../../errors.ts';
import { findDocumentRow } from '../../records/documentRecords.ts';
import {
  checkpointsOfSizes,
  findLeafOfDocument,
  latestCheckpoint,
  listCheckpoints,
  readDocumentProof,
  storedSubtrees,
} from '../../records/transparencyLogRecords.ts';
import { errors } from '../../schemas/common.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';
import {
  CheckpointList,
  CheckpointListQuery,
  ConsistencyProof,
  ConsistencyQuery,
  DocumentProof,
  NoQuery,
} from '../../schemas/transparencyLog.ts';

const FOREVER = 'public, max-age=31536000, immutable';
const A_DAY = 'public, max-age=86400';
const TEXT = 'text/plain; charset=utf-8';

const transparencyLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const log = app.transparencyLog;

  /** The proof of a document the caller may see, against a checkpoint that covers its leaf. */
  const proofOf = async (documentId: number) => {
    const leaf = await findLeafOfDocument(app.db, documentId);
    if (!leaf) throw notFound(`Document ${documentId} is not in the transparency log yet`);
    // A document filed since the last checkpoint waits for the next one (LOG_CHECKPOINT_SECONDS at most).
    const checkpoint = await log.checkpointCovering(Number(leaf.leaf_index));
    return readDocumentProof(app.db, leaf, checkpoint);
  };
  // The latest checkpoint changes at most every LOG_CHECKPOINT_SECONDS: caches may keep it that long.
  // (plugins/securityHeaders.ts keeps these headers on anonymous answers, and makes others private.)
  const untilNextCheckpoint = `public, max-age=${app.config.LOG_CHECKPOINT_SECONDS}`;

  app.get(
    '/log/checkpoint',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)',
        description: 'Anyone. Plain text: origin, tree size, base64 root hash, a blank line, signatures.',
        querystring: NoQuery,
        response: { 200: Type.String({ description: 'the signed note' }), ...errors(400, 401) },
      },
    },
    async (_request, reply) => {
      // The checkpointer signed one before the app was ready, so there always is one.
      const checkpoint = (await latestCheckpoint(app.db)) ?? (await log.checkpoint());
      return reply.type(TEXT).header('cache-control', untilNextCheckpoint).send(checkpoint.note);
    },
  );

  app.get(
    '/log/key',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: "The log's verifier key (Go sumdb/note format)",
        description: 'Anyone. `<name>+<8 hex key id>+<base64(0x01 ‖ Ed25519 public key)>`.',
        querystring: NoQuery,
        response: { 200: Type.String({ description: 'the verifier key' }), ...errors(400, 401) },
      },
    },
    async (_request, reply) => reply.type(TEXT).header('cache-control', A_DAY).send(`${log.verifierKey}\n`),
  );

  app.get(
    '/log/consistency',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: 'The consistency proof between two published tree sizes (RFC 9162 §2.1.4)',
        description: 'Anyone. Both sizes must be sizes of checkpoints the archive published (400 otherwise).',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyProof, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      if (from > to) throw invalidInput('from must not be larger than to', 'from');
      const published = new Set(
        (await checkpointsOfSizes(app.db, [from, to])).map((row) => Number(row.tree_size)),
      );
      for (const [field, size] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (!published.has(size))
          throw invalidInput(`No checkpoint of tree size ${size} was published`, field);
      }
      const proof = await consistencyProof(from, to, storedSubtrees(app.db));
      return reply
        .header('cache-control', FOREVER)
        .send({ from, to, proof: proof.map((hash) => hash.toString('base64')) });
    },
  );

  app.get(
    '/log/checkpoints',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: 'Every published checkpoint, oldest first, for monitors',
        description: 'Anyone. Pages of at most `limit`; pass next_after as after for the next page.',
        querystring: CheckpointListQuery,
        response: { 200: CheckpointList, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { after, limit } = request.query;
      const rows = await listCheckpoints(app.db, after, limit + 1);
      const items = rows.slice(0, limit).map((row) => ({
        tree_size: Number(row.tree_size),
        root_hash: row.root_hash.toString('base64'),
        checkpoint: row.note,
        published_at: row.published_at.toISOString(),
      }));
      const next = rows.length > limit ? items[items.length - 1]!.tree_size : null;
      return reply.header('cache-control', untilNextCheckpoint).send({ items, next_after: next });
    },
  );

  app.get(
    '/documents/:id/proof',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: "A document's entry and inclusion proof against the latest checkpoint",
        description:
          'Those who may see the document (404 otherwise, as for the document itself). The proof leads ' +
          "from the entry's leaf to the root in the signed checkpoint it carries (docs/TRANSPARENCY-LOG.md §6).",
        params: DocumentIdParam,
        response: { 200: DocumentProof, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const row = await findDocumentRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row.order_access)) {
        throw notFound(`There is no document ${request.params.id}`);
      }
      // Not cached (plugins/securityHeaders.ts): who may see a document can change.
      return reply.send(await proofOf(row.id));
    },
  );

  app.get(
    '/documents/:id/proof.tlog',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['transparency log'],
        summary: "A document's proof as one C2SP tlog-proof file, to attach to a story",
        description:
          'Those who may see the document (404 otherwise). Plain text (c2sp.org/tlog-proof@v1): the entry ' +
          'as the extra line, the leaf index, the inclusion hashes, a blank line, the signed checkpoint ' +
          '(docs/TRANSPARENCY-LOG.md §7). Check it offline with `npm run verify -- FILE PROOF`.',
        params: DocumentIdParam,
        response: { 200: Type.String({ description: 'the tlog-proof text' }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const row = await findDocumentRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row.order_access)) {
        throw notFound(`There is no document ${request.params.id}`);
      }
      const proof = await proofOf(row.id);
      const text = formatTlogProof({
        extra: Buffer.from(proof.entry, 'base64'),
        index: proof.leaf_index,
        inclusion: proof.inclusion.map((hash) => Buffer.from(hash, 'base64')),
        checkpoint: proof.checkpoint,
      });
      return reply
        .type(TEXT)
        .header('content-disposition', `attachment; filename="document-${row.id}.tlog"`)
        .send(text);
    },
  );
};

export default transparencyLogRoutes;
