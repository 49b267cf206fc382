// Schemas for redactions: spans of a document's page text hidden from whoever may not read it unredacted.
import { Type, type Static } from '@sinclair/typebox';
import { PERSONAL_DATA_KINDS } from '../../ingest/suggestions/findPersonalData.ts';
import { Cursor, DateTime, Nullable, RowId, SafeText } from './common.ts';

/** What the personal-data finder proposes, and 'other' for a span a person chooses. */
export const REDACTION_KINDS = [...PERSONAL_DATA_KINDS, 'other'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
export const REDACTION_STATES = ['proposed', 'accepted', 'rejected'] as const;

const Kind = Type.Unsafe<RedactionKind>({
  type: 'string',
  enum: [...REDACTION_KINDS],
  description: 'what the span holds',
});
const Reason = SafeText({ maxLength: 2000, description: 'why (shown to those who decide)' });

/** A box drawn on a page's image (GET /api/documents/:id/pages/:n/image), in fractions of its size. */
const Area = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1, description: 'left edge, from the image’s left' }),
    y: Type.Number({ minimum: 0, maximum: 1, description: 'top edge, from the image’s top' }),
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  },
  {
    additionalProperties: false,
    description:
      'a box on the page’s image, in fractions of its width and height (0..1, from the top-left corner)',
  },
);
export type RedactionArea = Static<typeof Area>;

/** The texts an outlet types on the order itself that may hold personal data (redacted like a page). */
export const ORDER_TEXT_FIELDS = ['summary', 'stated_reason', 'threatened_consequence'] as const;
export type OrderTextField = (typeof ORDER_TEXT_FIELDS)[number];
const OrderTextFieldName = Type.Unsafe<OrderTextField>({
  type: 'string',
  enum: [...ORDER_TEXT_FIELDS],
  description: 'the order’s own text the span is in',
});

export const RedactionIdParam = Type.Object({ id: RowId() });

export const Redaction = Type.Object({
  id: Type.Integer(),
  document_id: Nullable(Type.Integer({ description: 'null for a span of the order’s own field' })),
  page: Nullable(Type.Integer({ minimum: 1, description: 'null for a span of the order’s own field' })),
  field: Nullable(OrderTextFieldName),
  start: Nullable(
    Type.Integer({
      minimum: 0,
      description:
        'offset in the page’s (or the order field’s) text, in characters (UTF-16 code units); null for an area',
    }),
  ),
  end: Nullable(Type.Integer({ minimum: 1 })),
  kind: Kind,
  text: Nullable(
    Type.String({
      description:
        'the text it hides (only those who read the document unredacted see this); null for an area',
    }),
  ),
  area: Nullable(Area),
  reason: Nullable(Type.String()),
  state: Type.Unsafe<(typeof REDACTION_STATES)[number]>({
    type: 'string',
    enum: [...REDACTION_STATES],
    description: 'proposed (awaits a decision; hidden from the public meanwhile), accepted, rejected (shown)',
  }),
  source: Type.Unsafe<'auto' | 'person'>({
    type: 'string',
    enum: ['auto', 'person'],
    description: 'auto: proposed by the archive from the text; person: added by someone',
  }),
  placed: Type.Boolean({
    description: 'false when a re-reading of the document did not find its text again (it awaits a decision)',
  }),
  decided_by: Nullable(Type.String()),
  decided_at: Nullable(DateTime),
  boxes: Nullable(
    Type.Array(Type.Unknown(), { description: 'boxes on the page image that hold it (redacted renditions)' }),
  ),
  created_at: DateTime,
});
export type Redaction = Static<typeof Redaction>;

export const RedactionListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    cursor: Type.Optional(Cursor),
    state: Type.Optional(
      Type.Unsafe<(typeof REDACTION_STATES)[number]>({ type: 'string', enum: [...REDACTION_STATES] }),
    ),
  },
  { additionalProperties: false },
);
export type RedactionListQuery = Static<typeof RedactionListQuery>;

export const RedactionInput = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 100_000 }),
    start: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    end: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    area: Type.Optional(Area),
    kind: Kind,
    reason: Type.Optional(Reason),
  },
  {
    additionalProperties: false,
    description:
      'a span of the page’s text to hide (start and end), or a box drawn on a scan of a PDF or an image ' +
      '(area, with no start and end); accepted at once',
  },
);
export type RedactionInput = Static<typeof RedactionInput>;

export const OrderFieldRedactionInput = Type.Object(
  {
    field: OrderTextFieldName,
    start: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    end: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    kind: Kind,
    reason: Type.Optional(Reason),
  },
  {
    additionalProperties: false,
    description:
      'a span of the order’s own text to hide (offsets in the field as GET /api/orders/:id gives it to ' +
      'you); accepted at once',
  },
);
export type OrderFieldRedactionInput = Static<typeof OrderFieldRedactionInput>;

export const RedactionDecision = Type.Object(
  {
    state: Type.Unsafe<'accepted' | 'rejected'>({ type: 'string', enum: ['accepted', 'rejected'] }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type RedactionDecision = Static<typeof RedactionDecision>;

export const DocumentChange = Type.Object(
  {
    original_publishable: Type.Boolean({
      description:
        'let everyone download the original file as it is (e.g. a letter already published in full)',
    }),
  },
  { additionalProperties: false },
);
export type DocumentChange = Static<typeof DocumentChange>;

/** One undecided proposal, as a refused publication lists it. */
export const UndecidedRedaction = Type.Object({
  document_id: Nullable(Type.Integer()),
  field: Nullable(OrderTextFieldName),
  redaction_id: Type.Integer(),
  page: Nullable(Type.Integer()),
  kind: Kind,
  text: Type.String(),
});
