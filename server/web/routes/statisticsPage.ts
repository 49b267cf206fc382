// GET /stats and /stats.csv: the statistics page over what the reader may see (orderStatistics, as GET
// /api/stats counts), with the search page's filters, and each count as CSV.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { orderStatistics } from '../../records/orderStatistics.ts';
import { DataFilterQuery, DataFilters, type StatisticsGroup } from '../../schemas/statistics.ts';
import type { MessageKey, Messages } from '../i18n/messages.ts';
import { pageContextOf, sendPage } from '../pageContext.ts';
import { renderStatisticsPage } from '../pages/statisticsPage.tsx';
import { barChart } from '../statisticsCharts.ts';

const SECTIONS: { group: StatisticsGroup; heading: MessageKey }[] = [
  { group: 'month', heading: 'stats.byMonth' },
  { group: 'authority', heading: 'facet.authority' },
  { group: 'country', heading: 'facet.country' },
  { group: 'legal_act', heading: 'facet.legal_act' },
  { group: 'demanded_action', heading: 'facet.demanded_action' },
  { group: 'status', heading: 'stats.byOutcome' },
];
const GROUPS = SECTIONS.map((section) => section.group);
const CsvQuery = Type.Object(
  { group: Type.Unsafe<StatisticsGroup>({ type: 'string', enum: GROUPS }), ...DataFilters },
  { additionalProperties: false },
);

/** A group's value in the reader's words. */
function labelOf(group: StatisticsGroup, value: unknown, messages: Messages): string {
  if (value === null || value === undefined) return messages.t('stats.unknown');
  const text = String(value);
  if (group === 'status') return messages.t(`status.${text}` as MessageKey);
  if (group === 'demanded_action') return messages.t(`action.${text}` as MessageKey);
  if (group === 'country') return messages.country(text);
  return text;
}

/** The filters as a query string, for the CSV links and the way back to search. */
function queryOf(filters: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters))
    for (const one of [value].flat()) if (one !== undefined) query.append(name, String(one));
  return query;
}

const statisticsPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats',
    { config: { access: 'anyone' }, schema: { hide: true, querystring: DataFilterQuery } },
    async (request, reply) => {
      const ctx = pageContextOf(request, reply);
      const filters = request.query;
      const results = await Promise.all(
        SECTIONS.map((section) =>
          orderStatistics(app.db, request.caller, { group: [section.group], filters }),
        ),
      );
      const query = queryOf(filters);
      const sections = SECTIONS.map((section, index) => {
        const heading = ctx.messages.t(section.heading);
        const bars = results[index]!.rows.map((row) => ({
          label: labelOf(section.group, row[section.group], ctx.messages),
          orders: row.orders,
        }));
        const csvQuery = new URLSearchParams(query);
        csvQuery.set('group', section.group);
        return {
          group: section.group,
          heading,
          bars,
          svg: bars.length ? barChart(bars, heading, section.group === 'month') : '',
          csv: `/stats.csv?${csvQuery}`,
        };
      });
      const searchLink = query.size ? `/?${query}` : '/';
      return sendPage(
        reply,
        200,
        renderStatisticsPage(ctx, { total: results[0]!.total, sections, searchLink }),
      );
    },
  );

  app.get(
    '/stats.csv',
    { config: { access: 'anyone' }, schema: { hide: true, querystring: CsvQuery } },
    async (request, reply) => {
      const { group, ...filters } = request.query;
      const result = await orderStatistics(app.db, request.caller, { group: [group], filters });
      const quote = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;
      const lines = [`${group},orders`, ...result.rows.map((row) => `${quote(row[group])},${row.orders}`)];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="orders-by-${group}.csv"`)
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
};

export default statisticsPageRoutes;
