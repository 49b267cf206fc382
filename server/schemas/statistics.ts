// Schemas for the archive's data going out: the filters shared by the statistics and the exports (the
// search filters that PostgreSQL answers), and the statistics' grouping and answer.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.ts';
import { SearchFilters } from './search.ts';

/** The search filters that mean the same over PostgreSQL's orders (no words, language, events or URL). */
export const DataFilters = {
  authority: SearchFilters.authority,
  country: SearchFilters.country,
  outlet: Type.Optional(
    Type.Array(SearchFilters.outlet.items, {
      maxItems: 20,
      description: 'the outlet the order was sent to, by id or slug; repeat for any of several',
    }),
  ),
  status: SearchFilters.status,
  demanded_action: SearchFilters.demanded_action,
  legal_basis: SearchFilters.legal_basis,
  has_response: SearchFilters.has_response,
  issued_from: SearchFilters.issued_from,
  issued_to: SearchFilters.issued_to,
};
export const DataFilterQuery = Type.Object(DataFilters, { additionalProperties: false });
export type DataFilterValues = Static<typeof DataFilterQuery>;

export const STATISTICS_GROUPS = [
  'authority',
  'country',
  'outlet',
  'legal_act',
  'demanded_action',
  'outcome',
  'status',
  'has_response',
  'month',
  'year',
] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];
export const MAX_STATISTICS_GROUPS = 3;

const GROUP_NAME = `(${STATISTICS_GROUPS.join('|')})`;

export const StatisticsQuery = Type.Object(
  {
    group: Type.String({
      pattern: `^${GROUP_NAME}(,${GROUP_NAME}){0,${MAX_STATISTICS_GROUPS - 1}}$`,
      description:
        `what to count by, comma-separated, at most ${MAX_STATISTICS_GROUPS} of: ${STATISTICS_GROUPS.join(', ')}. ` +
        'An order with several demanded actions, laws or outcomes counts once in each of their groups. ' +
        'outcome is what came of the order, from its responses and events: complied (compliance or ' +
        'partial compliance), refused, blocked, fined, court (an appeal or a ruling); null when none is recorded.',
      default: 'authority',
    }),
    ...DataFilters,
  },
  { additionalProperties: false },
);
export type StatisticsQuery = Static<typeof StatisticsQuery>;

export const StatisticsRow = Type.Object(
  {
    orders: Type.Integer({ description: 'orders you may see in this group' }),
  },
  {
    additionalProperties: Nullable(Type.Union([Type.String(), Type.Boolean(), Type.Integer()])),
    description:
      'one value per group (authority and outlet: slug; country: ISO code; legal_act: COUNTRY/ACT; ' +
      'outcome: complied, refused, blocked, fined or court; month: YYYY-MM; year: YYYY; has_response: ' +
      'true/false; null: unknown or none), and the count',
  },
);

export const StatisticsResult = Type.Object({
  groups: Type.Array(Type.Unsafe<StatisticsGroup>({ type: 'string', enum: [...STATISTICS_GROUPS] })),
  rows: Type.Array(StatisticsRow, { description: 'every group that has orders, in the order of its keys' }),
  total: Type.Integer({ description: 'orders you may see that match the filters, each counted once' }),
});
export interface StatisticsResult {
  groups: StatisticsGroup[];
  rows: ({ orders: number } & Record<string, string | boolean | number | null>)[];
  total: number;
}
