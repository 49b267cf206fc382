// /api/orders: file, list, read (the whole story), change, and add targets, responses and events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canSeeOrder, ORDER_CHANGE_RULE, ORDER_VISIBILITY_RULE } from '../../auth/orderAccess.ts';
import { recordEvent, recordResponse, recordTarget } from '../../commands/orderHistoryRecorder.ts';
import { createOrder } from '../../commands/orderCreator.ts';
import { updateOrder } from '../../commands/orderUpdater.ts';
import { listOrders } from '../../records/orderList.ts';
import { findOrderRow, readOrderStory } from '../../records/orderRecords.ts';
import { orderRowAsReadBy } from '../../records/redactionRecords.ts';
import { storyTag } from '../../records/orderStoryTag.ts';
import { notFound } from '../../errors.ts';
import { errors } from '../../schemas/common.ts';
import {
  EventInput,
  Order,
  OrderCreateInput,
  OrderEvent,
  OrderIdParam,
  OrderListQuery,
  OrderResponse,
  OrderStory,
  OrderUpdateInput,
  ResponseInput,
  TargetInput,
} from '../../schemas/orders.ts';
import { pageOf } from '../../schemas/references.ts';

const WHO_WRITES = `Which orders: ${ORDER_CHANGE_RULE}.`;
const WHO_READS = `What each caller sees: ${ORDER_VISIBILITY_RULE}.`;

const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const readStory = async (id: string) => {
    const row = await findOrderRow(app.db, id);
    return row ? readOrderStory(app.db, row) : undefined;
  };

  app.post(
    '/orders',
    {
      config: { access: 'member' },
      schema: {
        tags: ['orders'],
        summary: 'File an order',
        description: `${WHO_WRITES} Allocates a public id TD-<year>-<number>. Targets may be article ids or URLs.`,
        body: OrderCreateInput,
        response: { 201: OrderStory, ...errors(400, 401, 403, 413) },
      },
    },
    async (request, reply) => {
      const publicId = await createOrder(app.db, { caller: request.caller, fields: request.body });
      const story = (await readStory(publicId))!;
      return reply
        .code(201)
        .header('etag', storyTag(story))
        .header('location', `/api/orders/${publicId}`)
        .send(story);
    },
  );

  app.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'List orders, newest first',
        description: `${WHO_READS} Filters combine; pass next_cursor as cursor for the next page.`,
        querystring: OrderListQuery,
        response: { 200: pageOf(Order), ...errors(400, 401) },
      },
    },
    async (request) => listOrders(app.db, request.caller, request.query),
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order with its whole story',
        description: `${WHO_READS} Authority, targets with their outlets, responses, events and a timeline.`,
        params: OrderIdParam,
        response: { 200: OrderStory, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const row = await findOrderRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row)) throw notFound(`There is no order ${request.params.id}`);
      const story = await readOrderStory(app.db, await orderRowAsReadBy(app.db, request.caller, row));
      return reply.header('etag', storyTag(story)).send(story);
    },
  );

  app.patch(
    '/orders/:id',
    {
      config: { access: 'member' },
      schema: {
        tags: ['orders'],
        summary: 'Change an order',
        description:
          `${WHO_WRITES} Send the ETag you read as If-Match (or * for whatever is current): without it the ` +
          'answer is 428, and 412 when the story has changed since (a response, an event, a document…).',
        params: OrderIdParam,
        headers: Type.Object({
          'if-match': Type.Optional(
            Type.String({ description: 'the ETag you read from GET /api/orders/:id' }),
          ),
        }),
        body: OrderUpdateInput,
        response: { 200: OrderStory, ...errors(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await updateOrder(app.db, {
        caller: request.caller,
        orderId: request.params.id,
        ifMatch: request.headers['if-match'],
        changes: request.body,
      });
      const story = (await readStory(request.params.id))!;
      return reply.header('etag', storyTag(story)).send(story);
    },
  );

  app.post(
    '/orders/:id/targets',
    {
      config: { access: 'member' },
      schema: {
        tags: ['orders'],
        summary: 'Add an article the order targets',
        description: `${WHO_WRITES} An existing article_id, or a URL: the article with the same canonical URL is reused, or created.`,
        params: OrderIdParam,
        body: TargetInput,
        response: { 201: OrderStory, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await recordTarget(app.db, {
        caller: request.caller,
        orderId: request.params.id,
        target: request.body,
      });
      const story = (await readStory(request.params.id))!;
      return reply.code(201).header('etag', storyTag(story)).send(story);
    },
  );

  app.post(
    '/orders/:id/responses',
    {
      config: { access: 'member' },
      schema: {
        tags: ['orders'],
        summary: 'Record what the outlet did',
        description: WHO_WRITES,
        params: OrderIdParam,
        body: ResponseInput,
        response: { 201: OrderResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await recordResponse(app.db, {
          caller: request.caller,
          orderId: request.params.id,
          response: request.body,
        }),
      ),
  );

  app.post(
    '/orders/:id/events',
    {
      config: { access: 'member' },
      schema: {
        tags: ['orders'],
        summary: 'Record what followed (a block, a fine, a court ruling…)',
        description: WHO_WRITES,
        params: OrderIdParam,
        body: EventInput,
        response: { 201: OrderEvent, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await recordEvent(app.db, {
          caller: request.caller,
          orderId: request.params.id,
          event: request.body,
        }),
      ),
  );
};

export default orderRoutes;
