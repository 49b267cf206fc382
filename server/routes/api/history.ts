// History you can read: an order's history for whoever may see the order (in as much detail as the rule
// allows them), and the whole audit log for editors.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  canSeeOrder,
  historyDetailFor,
  ORDER_HISTORY_RULE,
  ORDER_VISIBILITY_RULE,
} from '../../auth/orderAccess.ts';
import { invalidInput, notFound } from '../../errors.ts';
import { listAudit, listOrderHistory } from '../../records/auditRecords.ts';
import { findOrderRow } from '../../records/orderRecords.ts';
import { errors } from '../../schemas/common.ts';
import { AuditEntry, AuditQuery, HistoryEntry, HistoryQuery } from '../../schemas/history.ts';
import { OrderIdParam } from '../../schemas/orders.ts';
import { pageOf } from '../../schemas/references.ts';

const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/orders/:id/history',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['orders'],
        summary: 'Who changed what in an order, and when',
        description:
          `Which orders: ${ORDER_VISIBILITY_RULE}. Which entries: ${ORDER_HISTORY_RULE}. Newest first: the ` +
          'order’s filing and changes (old → new), its targets, responses and events, and its documents ' +
          '(uploads, extraction, reprocessing). Pass next_cursor as cursor for the next page.',
        params: OrderIdParam,
        querystring: HistoryQuery,
        response: { 200: pageOf(HistoryEntry), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const order = await findOrderRow(app.db, request.params.id);
      if (!order || !canSeeOrder(request.caller, order))
        throw notFound(`There is no order ${request.params.id}`);
      return listOrderHistory(app.db, {
        orderId: order.internal_id,
        detail: historyDetailFor(request.caller, order),
        query: request.query,
      });
    },
  );

  app.get(
    '/audit',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        description:
          'Every change the archive recorded: who (actor, user, token, session), what (action, record) and ' +
          'the values before and after (never a secret). Filters combine; `action` takes an exact action ' +
          'or a prefix ending in * (token.*). Pass next_cursor as cursor for the next page.',
        querystring: AuditQuery,
        response: { 200: pageOf(AuditEntry), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { since, until } = request.query;
      if (since !== undefined && until !== undefined && Date.parse(since) > Date.parse(until))
        throw invalidInput('since must not be after until', 'since');
      return listAudit(app.db, request.query);
    },
  );
};

export default historyRoutes;
