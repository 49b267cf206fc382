// Schemas for the audit log as editors read it, and an order's history as each caller may read it.
import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, RowId, SafeText } from './common.ts';

/** A place in a list ordered by (at, id), newest first: the microsecond of `at`, a dash, the id. */
export const AuditCursor = Type.String({
  pattern: '^[0-9]{1,17}-[0-9]{1,15}$',
  description: 'next_cursor of the previous page',
});

const pageLimit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export const AuditQuery = Type.Object(
  {
    limit: pageLimit,
    cursor: Type.Optional(AuditCursor),
    action: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.?\\*)?$',
        maxLength: 100,
        description: 'an action (token.create), or every action that starts with a prefix: token.*',
      }),
    ),
    record_type: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z_]*$', maxLength: 40, description: 'e.g. order, token, user' }),
    ),
    record_id: Type.Optional(
      SafeText({ minLength: 1, maxLength: 100, description: 'the record’s id, as the log writes it' }),
    ),
    user: Type.Optional(RowId('entries made by this user (their token or session)')),
    actor: Type.Optional(
      SafeText({
        minLength: 1,
        maxLength: 200,
        description:
          'part of the actor’s name, any case (e.g. ADMIN_TOKEN, user:Aliya); on a big log, bound it with since',
      }),
    ),
    since: Type.Optional(Type.Unsafe<string>({ ...DateTime, description: 'entries at or after this time' })),
    until: Type.Optional(Type.Unsafe<string>({ ...DateTime, description: 'entries before this time' })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Type.String({ description: 'kind:name, e.g. editor:ADMIN_TOKEN, user:Aliya, outlet:desk' }),
  user_id: Nullable(Type.Integer()),
  token_id: Nullable(Type.Integer()),
  session_id: Nullable(Type.Integer()),
  action: Type.String(),
  record_type: Type.String(),
  record_id: Type.String(),
  before: Type.Unknown({ description: 'the changed values before (JSON), or null' }),
  after: Type.Unknown({ description: 'the values written (JSON), or null; never a secret' }),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const HistoryQuery = Type.Object(
  { limit: pageLimit, cursor: Type.Optional(AuditCursor) },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const ACTOR_KINDS = ['editor', 'user', 'outlet', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const HistoryEntry = Type.Object({
  at: DateTime,
  actor: Type.Object({
    kind: Type.Union(
      ACTOR_KINDS.map((kind) => Type.Literal(kind)),
      { description: 'an editor, a person, an outlet’s token, or the archive itself (e.g. text extraction)' },
    ),
    name: Type.String({
      description: 'who; to those outside the outlet, only "the outlet", "an editor" or "the archive"',
    }),
  }),
  action: Type.String({ description: 'e.g. order.create, order.update, order.target.add, document.upload' }),
  changes: Type.Array(
    Type.Object({
      field: Type.String(),
      from: Type.Optional(Type.Unknown({ description: 'the value before; absent when the entry made it' })),
      to: Type.Unknown({ description: 'the value after' }),
    }),
  ),
});
export type HistoryEntry = Static<typeof HistoryEntry>;
