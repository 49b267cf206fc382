// GET /stats and /stats.csv: the statistics page over what the reader may see (orderStatistics, as GET
// /api/stats counts), with the search page's filters as a form, and each count as CSV.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { orderStatistics } from '../../records/orderStatistics.ts';
import { outletNamesBySlug } from '../../records/referenceLists.ts';
import { DEMANDED_ACTIONS, ORDER_STATUSES } from '../../schemas/enums.ts';
import {
  DataFilterQuery,
  DataFilters,
  type DataFilterValues,
  type StatisticsGroup,
} from '../../schemas/statistics.ts';
import type { MessageKey, Messages } from '../i18n/messages.ts';
import { authorityWordsBySlug, legalActWords, vocabularyWords } from '../orderWords.ts';
import { pageContextOf, sendPage } from '../pageContext.ts';
import {
  renderStatisticsPage,
  type FilterField,
  type MatrixView,
  type StatisticsSection,
} from '../pages/statisticsPage.tsx';
import { barChart, heatMap } from '../statisticsCharts.ts';
import { authorityMonthMatrix } from '../statisticsMatrix.ts';

const SECTIONS: { group: StatisticsGroup; heading: MessageKey; hint?: MessageKey }[] = [
  { group: 'month', heading: 'stats.byMonth' },
  { group: 'authority', heading: 'facet.authority' },
  { group: 'country', heading: 'facet.country' },
  { group: 'legal_act', heading: 'facet.legal_act' },
  { group: 'demanded_action', heading: 'facet.demanded_action' },
  { group: 'outcome', heading: 'stats.byOutcome', hint: 'stats.outcomeHint' },
  { group: 'status', heading: 'facet.status' },
];
const MATRIX_GROUP = 'authority,month';
const CSV_GROUPS = [MATRIX_GROUP, ...SECTIONS.map((section) => section.group)];
const CsvQuery = Type.Object(
  { group: Type.Unsafe<string>({ type: 'string', enum: CSV_GROUPS }), ...DataFilters },
  { additionalProperties: false },
);

/** A group's value in the reader's words. */
function labelOf(group: StatisticsGroup, value: unknown, messages: Messages): string {
  if (value === null || value === undefined)
    return messages.t(group === 'outcome' ? 'stats.noOutcome' : 'stats.unknown');
  const text = String(value);
  if (group === 'status') return vocabularyWords(messages, 'status', text);
  if (group === 'demanded_action') return vocabularyWords(messages, 'action', text);
  if (group === 'outcome') return messages.t(`stats.outcome.${text}` as MessageKey);
  if (group === 'country') return messages.country(text);
  if (group === 'authority') return authorityWordsBySlug(messages, text);
  if (group === 'legal_act') return legalActWords(messages, text);
  return text;
}

/** The filters as a query string, for the CSV links and the way back to search. */
function queryOf(filters: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters))
    for (const one of [value].flat()) if (one !== undefined) query.append(name, String(one));
  return query;
}

/**
 * A GET form sends every field, the ones left at "any" as empty values: those mean no filter, so they
 * are dropped before the query is validated (a link with `authority=` reads as no authority filter).
 */
async function dropEmptyFilters(request: FastifyRequest) {
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    const kept = [value].flat().filter((one) => one !== '');
    if (kept.length === 0) delete query[name];
    else if (Array.isArray(value)) query[name] = kept;
  }
}

/** The form's fields: each list offers what the reader's orders hold (and whatever is chosen already). */
function filterFields(
  filters: DataFilterValues,
  held: Record<'authority' | 'country' | 'outlet' | 'legal_act', string[]>,
  outletNames: ReadonlyMap<string, string>,
  messages: Messages,
): FilterField[] {
  const { t } = messages;
  const choice = (
    name: keyof DataFilterValues,
    label: MessageKey,
    values: readonly string[],
    words: (value: string) => string,
  ): FilterField => {
    const chosen = ([filters[name]].flat().filter((one) => one !== undefined) as unknown[]).map(String);
    const all = [...new Set([...values, ...chosen])];
    return {
      kind: 'select',
      name,
      label: t(label),
      multiple: chosen.length > 1,
      options: all
        .map((value) => ({ value, label: words(value), selected: chosen.includes(value) }))
        .sort((a, b) => a.label.localeCompare(b.label, messages.locale)),
    };
  };
  return [
    choice('authority', 'facet.authority', held.authority, (slug) => authorityWordsBySlug(messages, slug)),
    choice('country', 'facet.country', held.country, (code) => messages.country(code)),
    choice('outlet', 'facet.outlet', held.outlet, (slug) => outletNames.get(slug) ?? slug),
    choice('legal_basis', 'facet.legal_act', held.legal_act, (code) => legalActWords(messages, code)),
    choice('demanded_action', 'facet.demanded_action', DEMANDED_ACTIONS, (value) =>
      vocabularyWords(messages, 'action', value),
    ),
    choice('status', 'facet.status', ORDER_STATUSES, (value) => vocabularyWords(messages, 'status', value)),
    choice('has_response', 'facet.has_response', ['true', 'false'], (value) =>
      t(value === 'true' ? 'facet.hasResponse.true' : 'facet.hasResponse.false'),
    ),
    { kind: 'date', name: 'issued_from', label: t('stats.issuedFrom'), value: filters.issued_from },
    { kind: 'date', name: 'issued_to', label: t('stats.issuedTo'), value: filters.issued_to },
  ];
}

const statisticsPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats',
    {
      config: { access: 'anyone' },
      schema: { hide: true, querystring: DataFilterQuery },
      preValidation: dropEmptyFilters,
    },
    async (request, reply) => {
      const ctx = pageContextOf(request, reply);
      const { messages } = ctx;
      const filters = request.query;
      const count = (group: StatisticsGroup[], over: DataFilterValues = filters) =>
        orderStatistics(app.db, request.caller, { group, filters: over });
      const filtered = Object.values(filters).some((value) => value !== undefined);
      const sectionOf = (group: StatisticsGroup) => SECTIONS.findIndex((section) => section.group === group);
      // The form's lists: what the reader's orders hold, whatever the filters (without any, a section's own
      // count says it).
      const HELD = ['authority', 'country', 'outlet', 'legal_act'] as const;
      const [matrixCounts, results, heldCounts] = await Promise.all([
        count(['authority', 'month']),
        Promise.all(SECTIONS.map((section) => count([section.group]))),
        Promise.all(HELD.map((group) => (filtered || sectionOf(group) < 0 ? count([group], {}) : undefined))),
      ]);
      const held = Object.fromEntries(
        HELD.map((group, index) => {
          const result = heldCounts[index] ?? results[sectionOf(group)]!;
          const values = result.rows.map((row) => row[group]).filter((value) => value !== null);
          return [group, values.map(String)];
        }),
      ) as Record<(typeof HELD)[number], string[]>;
      const outletNames = await outletNamesBySlug(app.db, [
        ...new Set([
          ...held.outlet,
          ...[filters.outlet]
            .flat()
            .filter((slug) => slug !== undefined)
            .map(String),
        ]),
      ]);

      const query = queryOf(filters);
      const csvOf = (group: string) => {
        const csvQuery = new URLSearchParams(query);
        csvQuery.set('group', group);
        return `/stats.csv?${csvQuery}`;
      };
      const sections: StatisticsSection[] = SECTIONS.map((section, index) => {
        const heading = messages.t(section.heading);
        const bars = results[index]!.rows.map((row) => ({
          label: labelOf(section.group, row[section.group], messages),
          orders: row.orders,
        }));
        return {
          group: section.group,
          heading,
          hint: section.hint && messages.t(section.hint),
          bars,
          svg: bars.length ? barChart(bars, heading, section.group === 'month') : '',
          csv: csvOf(section.group),
        };
      });
      const searchLink = query.size ? `/?${query}` : '/';
      return sendPage(
        reply,
        200,
        renderStatisticsPage(ctx, {
          total: results[0]!.total,
          matrix: matrixView(matrixCounts.rows, messages, csvOf(MATRIX_GROUP)),
          sections,
          searchLink,
          filters: filterFields(filters, held, outletNames, messages),
        }),
      );
    },
  );

  app.get(
    '/stats.csv',
    {
      config: { access: 'anyone' },
      schema: { hide: true, querystring: CsvQuery },
      preValidation: dropEmptyFilters,
    },
    async (request, reply) => {
      const { group, ...filters } = request.query;
      const groups = group.split(',') as StatisticsGroup[];
      const result = await orderStatistics(app.db, request.caller, { group: groups, filters });
      const quote = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;
      const lines = [
        `${groups.join(',')},orders`,
        ...result.rows.map((row) => `${groups.map((name) => quote(row[name])).join(',')},${row.orders}`),
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="orders-by-${groups.join('-')}.csv"`)
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
};

/** Orders per authority per month: the table (months down, authorities across) and its heat map. */
function matrixView(
  rows: readonly { orders: number; authority?: unknown; month?: unknown }[],
  messages: Messages,
  csv: string,
): MatrixView {
  const { t } = messages;
  const matrix = authorityMonthMatrix(rows);
  const columns = matrix.columns.map((column) =>
    column.kind === 'other'
      ? t('stats.otherAuthorities', { count: column.authorities })
      : labelOf('authority', column.slug, messages),
  );
  const months = matrix.months.map((month) => month ?? t('stats.unknown'));
  const heading = t('stats.byAuthorityMonth');
  const cells = matrix.months.flatMap((_, row) =>
    matrix.columns.map((_, column) => ({
      row: columns[column]!,
      column: months[row]!,
      orders: matrix.counts[row]![column]!,
    })),
  );
  return {
    heading,
    columns,
    months,
    counts: matrix.counts,
    totals: matrix.totals,
    monthsLeftOut: matrix.monthsLeftOut,
    svg: cells.length ? heatMap(cells, columns, months, heading) : '',
    csv,
  };
}

export default statisticsPageRoutes;
