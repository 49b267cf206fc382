// The archive's open data: every order the caller may see as JSON lines or CSV, streamed without a cap
// (records/orderExport.ts), and one order as a notice in the Lumen Database's JSON.
import { Readable, pipeline } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { stringify } from 'csv-stringify';
import { canSeeOrder, ORDER_VISIBILITY_RULE, UNREDACTED_RULE } from '../../auth/orderAccess.ts';
import type { Caller } from '../../auth/caller.ts';
import { notFound } from '../../errors.ts';
import { exportOrderBatches, readExportedOrder } from '../../records/orderExport.ts';
import { ORDER_CSV_COLUMNS, orderCsvRow } from '../../records/orderExportCsv.ts';
import { lumenNoticeOf } from '../../records/lumenNotice.ts';
import { findOrderRow } from '../../records/orderRecords.ts';
import { errors } from '../../schemas/common.ts';
import { ExportQuery } from '../../schemas/exports.ts';
import { OrderIdParam } from '../../schemas/orders.ts';
import type { ExportedOrder } from '../../schemas/exports.ts';
import type { Queryable } from '../../database/transaction.ts';

const WHAT_IS_EXPORTED =
  `Every order you may see (${ORDER_VISIBILITY_RULE}) that matches the filters, oldest first, without a ` +
  'cap, streamed: with its authority, outlet, targets, responses, events and its documents’ metadata and ' +
  `sha256. Who reads unredacted: ${UNREDACTED_RULE}; everyone else gets each hidden value replaced ` +
  '([redacted: kind]) wherever it is written. Each document names its original by sha256 (public with its ' +
  'metadata, as in GET /api/documents/:id) and says in `download` which file you may download, with that ' +
  'file’s sha256 (the redacted rendition’s where the original is not published to you). The filters are ' +
  'those of /api/search that PostgreSQL answers; outlet is the order’s own.';

/**
 * The batches of the export, the first one read before anything is sent: a database that does not answer
 * is then an error with its status, not a 200 cut short.
 */
async function batchesOf(db: Queryable, caller: Caller, query: ExportQuery) {
  const batches = exportOrderBatches(db, caller, query);
  const first = await batches.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* batches;
  })();
}

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/export.jsonl',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['export'],
        summary: 'Every order you may see, one JSON object a line (application/x-ndjson)',
        description: WHAT_IS_EXPORTED,
        querystring: ExportQuery,
        produces: ['application/x-ndjson'],
        response: {
          200: Type.Unknown({ description: 'one exported order (JSON, the ExportedOrder schema) a line' }),
          ...errors(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const batches = await batchesOf(app.db, request.caller, request.query);
      const lines = (async function* () {
        for await (const batch of batches) yield batch.map((order) => `${JSON.stringify(order)}\n`).join('');
      })();
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="takedown-archive-orders.jsonl"')
        .send(Readable.from(lines, { objectMode: false }));
    },
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['export'],
        summary: 'Every order you may see, one CSV row each (UTF-8 with a byte order mark, a header row)',
        description:
          `${WHAT_IS_EXPORTED} Lists (laws, actions, targets, responses, events, documents’ sha256) are one ` +
          'item a line inside their cell; a cell that a spreadsheet would run as a formula starts with an apostrophe.',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { 200: Type.Unknown({ description: 'RFC 4180 CSV' }), ...errors(400, 401, 503) },
      },
    },
    async (request, reply) => {
      const batches = await batchesOf(app.db, request.caller, request.query);
      const rows = (async function* () {
        for await (const batch of batches) for (const order of batch) yield orderCsvRow(order);
      })();
      const csv = stringify({
        header: true,
        columns: ORDER_CSV_COLUMNS,
        bom: true,
        cast: { boolean: (value) => (value ? 'true' : 'false') },
      });
      pipeline(Readable.from(rows), csv, (error) => {
        if (error) request.log.error({ err: error }, 'the CSV export stopped');
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="takedown-archive-orders.csv"')
        .send(csv);
    },
  );

  app.get(
    '/orders/:id/lumen.json',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['export'],
        summary: 'The order as a notice of the Lumen Database (its API’s JSON), for Lumen’s own tools',
        description:
          'A court’s order is a CourtOrder, any other demand a GovernmentRequest (Lumen’s law-enforcement ' +
          `request shape). Redacted as in the export. ${ORDER_VISIBILITY_RULE}.`,
        params: OrderIdParam,
        response: {
          200: Type.Unknown({ description: '{"court_order": {…}} or {"government_request": {…}}' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const row = await findOrderRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row)) throw notFound(`There is no order ${request.params.id}`);
      const order: ExportedOrder | undefined = await readExportedOrder(
        app.db,
        request.caller,
        row.internal_id,
      );
      if (!order) throw notFound(`There is no order ${request.params.id}`);
      return lumenNoticeOf(order, row.internal_id);
    },
  );
};

export default exportRoutes;
