// /api/stats: how many orders, by authority, country, outlet, law, demanded action, status, month or year,
// over what the caller may see (records/orderStatistics.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ORDER_VISIBILITY_RULE } from '../../auth/orderAccess.ts';
import { orderStatistics } from '../../records/orderStatistics.ts';
import { errors } from '../../schemas/common.ts';
import { StatisticsQuery, StatisticsResult, type StatisticsGroup } from '../../schemas/statistics.ts';

const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['statistics'],
        summary: 'Count orders by up to three of their facts, with the search filters',
        description:
          `Counts what the caller may see: ${ORDER_VISIBILITY_RULE}. The outlet is the order's own (not a ` +
          'targeted article’s); dates are the date of issue, exact to the day.',
        querystring: StatisticsQuery,
        response: { 200: StatisticsResult, ...errors(400, 401) },
      },
    },
    async (request) => {
      const { group, ...filters } = request.query;
      return orderStatistics(app.db, request.caller, {
        group: group.split(',') as StatisticsGroup[],
        filters,
      });
    },
  );
};

export default statisticsRoutes;
