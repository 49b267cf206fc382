// Schemas for orders and their story (targets, responses, events), as the API shows and accepts them.
import { Type, type Static } from '@sinclair/typebox';
import { CITATION_CODE_MAX_LENGTH, CITATION_CODE_PATTERN } from '../../domain/legalCitation.ts';
import {
  Cursor,
  DateOnly,
  DateTime,
  Nullable,
  ORDER_ID_PATTERN,
  RowId,
  SafeText,
  WebLink,
} from './common.ts';
import { Channel, DemandedAction, EventKind, OrderStatus, ResponseKind, Visibility } from './enums.ts';
import { DocumentSummary } from './documents.ts';
import { Article, Authority, CountryCode, IdOrSlug, Outlet } from './references.ts';

const LongText = SafeText({ maxLength: 20_000 });

export const PublicOrderId = Type.String({
  pattern: '^TD-[0-9]{4}-[0-9]{5,15}$',
  description: 'e.g. TD-2026-00042',
});
export const OrderIdParam = Type.Object({
  id: Type.String({
    pattern: ORDER_ID_PATTERN,
    description: 'public id (TD-2026-00042) or numeric id',
  }),
});

// The rule of domain/legalCitation.ts, so the API accepts exactly the codes parseCitationCode accepts.
export const LegalCitationCode = Type.String({
  pattern: CITATION_CODE_PATTERN,
  maxLength: CITATION_CODE_MAX_LENGTH,
  description: 'normalised citation COUNTRY/ACT[/ARTICLE], e.g. RU/149-FZ/15.3',
});

export const TargetInput = Type.Object(
  {
    article_id: Type.Optional(RowId()),
    url: Type.Optional(SafeText({ minLength: 4, maxLength: 4000 })),
    title: Type.Optional(SafeText({ maxLength: 2000 })),
    note: Type.Optional(SafeText({ maxLength: 2000 })),
  },
  { additionalProperties: false, description: 'an existing article (article_id) or a URL' },
);
export type TargetInput = Static<typeof TargetInput>;

const orderFields = {
  outlet: Type.Optional(Nullable(IdOrSlug)),
  reference_number: Type.Optional(Nullable(SafeText({ maxLength: 200 }))),
  issued_on: Type.Optional(Nullable(DateOnly)),
  received_on: Type.Optional(Nullable(DateOnly)),
  deadline_at: Type.Optional(Nullable(DateTime)),
  channel: Type.Optional(Nullable(Channel)),
  legal_basis: Type.Optional(Type.Array(LegalCitationCode, { maxItems: 50, uniqueItems: true })),
  legal_basis_raw: Type.Optional(Nullable(LongText)),
  demanded_actions: Type.Optional(Type.Array(DemandedAction, { maxItems: 20, uniqueItems: true })),
  stated_reason: Type.Optional(Nullable(LongText)),
  threatened_consequence: Type.Optional(Nullable(LongText)),
  status: Type.Optional(OrderStatus),
  visibility: Type.Optional(Visibility),
  embargo_until: Type.Optional(Nullable(DateTime)),
  language: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2,3}$' }))),
  summary: Type.Optional(Nullable(LongText)),
  researchers_may_read_unredacted: Type.Optional(
    Type.Boolean({
      description: 'let researchers read this order’s documents unredacted (the order’s outlet or an editor)',
    }),
  ),
};

export const OrderCreateInput = Type.Object(
  {
    authority: IdOrSlug,
    ...orderFields,
    targets: Type.Optional(Type.Array(TargetInput, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type OrderCreateInput = Static<typeof OrderCreateInput>;

export const OrderUpdateInput = Type.Object(
  {
    authority: Type.Optional(IdOrSlug),
    ...orderFields,
    override_redaction_review: Type.Optional(
      Type.Boolean({
        description:
          'editors only: publish (visibility public, or an embargo already passed) although redaction ' +
          'proposals of its documents or its own texts await a decision; recorded in the audit log',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type OrderUpdateInput = Static<typeof OrderUpdateInput>;

export const IMPORT_SOURCES = ['registry', 'gov-takedowns', 'lumen'] as const;
/** What search can filter orders by: filed here, or imported from one of the collections. */
export const ORDER_SOURCES = ['archive', ...IMPORT_SOURCES] as const;

export const ImportSource = Type.Object(
  {
    kind: Type.Unsafe<(typeof IMPORT_SOURCES)[number]>({
      type: 'string',
      enum: [...IMPORT_SOURCES],
      description:
        'the collection it came from: the Russian blocking registry, GitHub gov-takedowns, the Lumen Database',
    }),
    reference: Type.String({
      description: 'where the collection holds it: a file path, a decision, a notice id',
    }),
    licence: Nullable(Type.String({ description: 'the terms the collection publishes it under' })),
    url: Nullable(Type.String({ description: 'the notice at its source' })),
    reviewed: Type.Boolean({
      description: 'false: imported, unreviewed (something was read by rules and awaits a person)',
    }),
  },
  { description: 'where an imported order came from (null for an order filed here)' },
);
export type ImportSource = Static<typeof ImportSource>;

export const Order = Type.Object({
  id: PublicOrderId,
  authority: Nullable(Authority),
  draft: Type.Boolean({
    description: 'filed from a file alone (intake); the authority is still to be confirmed',
  }),
  outlet: Nullable(Outlet),
  reference_number: Nullable(Type.String()),
  issued_on: Nullable(DateOnly),
  received_on: Nullable(DateOnly),
  deadline_at: Nullable(DateTime),
  channel: Nullable(Channel),
  legal_basis: Type.Array(Type.String()),
  legal_basis_raw: Nullable(Type.String()),
  demanded_actions: Type.Array(DemandedAction),
  stated_reason: Nullable(Type.String()),
  threatened_consequence: Nullable(Type.String()),
  status: OrderStatus,
  visibility: Visibility,
  embargo_until: Nullable(DateTime),
  language: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  researchers_may_read_unredacted: Type.Boolean({
    description: 'the outlet lets researchers read this order’s documents unredacted',
  }),
  source: Nullable(ImportSource),
  version: Type.Integer({ description: 'send it back as If-Match to update' }),
  created_at: DateTime,
  updated_at: DateTime,
});
export type Order = Static<typeof Order>;

export const ResponseInput = Type.Object(
  {
    kind: ResponseKind,
    responded_on: Type.Optional(DateOnly),
    text: Type.Optional(LongText),
    source_url: Type.Optional(WebLink('where it was published: an http or https address')),
  },
  { additionalProperties: false },
);
export type ResponseInput = Static<typeof ResponseInput>;

export const OrderResponse = Type.Object({
  id: Type.Integer(),
  kind: ResponseKind,
  responded_on: Nullable(DateOnly),
  text: Nullable(Type.String()),
  source_url: Nullable(Type.String()),
  created_at: DateTime,
});

export const EventInput = Type.Object(
  {
    kind: EventKind,
    occurred_at: Type.Union([DateTime, DateOnly], { description: 'date-time, or a date' }),
    country: Type.Optional(CountryCode),
    source_url: Type.Optional(WebLink('where it was published: an http or https address')),
    description: Type.Optional(LongText),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInput>;

export const OrderEvent = Type.Object({
  id: Type.Integer(),
  kind: EventKind,
  occurred_at: DateTime,
  country: Nullable(Type.String()),
  source_url: Nullable(Type.String()),
  description: Nullable(Type.String()),
  created_at: DateTime,
});

export const OrderTarget = Type.Object({
  id: Type.Integer(),
  note: Nullable(Type.String()),
  article: Article,
});

export const TimelineEntry = Type.Object({
  at: Type.String({ description: 'date or date-time' }),
  kind: Type.String({ description: 'issued, received, deadline, response:<kind> or event:<kind>' }),
  description: Nullable(Type.String()),
});

export const OrderStory = Type.Intersect([
  Order,
  Type.Object({
    targets: Type.Array(OrderTarget),
    responses: Type.Array(OrderResponse),
    events: Type.Array(OrderEvent),
    documents: Type.Array(DocumentSummary),
    timeline: Type.Array(TimelineEntry, { description: 'everything dated, oldest first' }),
    publication_held: Nullable(
      Type.String({
        description:
          'why an order public by its date is not public yet: redaction proposals await a decision ' +
          '(null when nothing holds it)',
      }),
    ),
  }),
]);
export type OrderStory = Static<typeof OrderStory>;

export const OrderListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Cursor),
  authority: Type.Optional(IdOrSlug),
  country: Type.Optional(CountryCode),
  outlet: Type.Optional(IdOrSlug),
  status: Type.Optional(OrderStatus),
  issued_from: Type.Optional(DateOnly),
  issued_to: Type.Optional(DateOnly),
});
export type OrderListQuery = Static<typeof OrderListQuery>;
