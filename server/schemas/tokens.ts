// Schemas for API tokens as their owners make, list and revoke them: never the secret's hash, and the
// secret itself only once, in the answer that made it.
import { Type, type Static } from '@sinclair/typebox';
import { Cursor, DateTime, Nullable, RowId, SafeText } from './common.ts';
import { IdOrSlug } from './references.ts';

export const TOKEN_OWNERS = ['me', 'outlet'] as const;
export const TOKEN_STATES = ['live', 'revoked', 'expired'] as const;

export const TokenCreateInput = Type.Object(
  {
    name: SafeText({
      minLength: 1,
      maxLength: 200,
      description: 'what the token is for, e.g. "laptop script"',
    }),
    owner: Type.Union(
      TOKEN_OWNERS.map((owner) => Type.Literal(owner)),
      {
        default: 'me',
        description:
          "me: a token carrying your own rights (or fewer); outlet: the outlet's own token, for its automation " +
          '(its admins and editors only; `outlet` required)',
      },
    ),
    outlet: Type.Optional(
      Type.Unsafe<string>({
        ...IdOrSlug,
        description:
          'owner me: narrow the token to this outlet (one you act for); owner outlet: the outlet (id or slug)',
      }),
    ),
    read_only: Type.Boolean({ default: false, description: 'a read-only token can read but never write' }),
    expires_at: Type.Optional(
      Type.Unsafe<string>({
        ...DateTime,
        description:
          'when the token stops working: in the future, at most two years ahead, and never after the token ' +
          'you make it with (which it inherits when not given); default none',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TokenCreateInput = Static<typeof TokenCreateInput>;

const TokenOwner = Type.Union(
  [
    Type.Object({ kind: Type.Literal('user'), id: Type.Integer(), display_name: Type.String() }),
    Type.Object({ kind: Type.Literal('outlet'), id: Type.Integer(), slug: Type.String() }),
  ],
  { description: 'the person whose rights it carries, or the outlet whose automation it is' },
);

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  owner: Nullable(TokenOwner),
  role: Type.Union([Type.Literal('user'), Type.Literal('outlet'), Type.Literal('editor')], {
    description:
      'user: carries its owner’s rights; outlet: an outlet’s automation; editor: made with the CLI',
  }),
  outlet: Nullable(
    Type.Object(
      { id: Type.Integer(), slug: Type.String(), name: Type.String() },
      { description: "a user token's narrowing to one outlet, or an outlet token's outlet" },
    ),
  ),
  read_only: Type.Boolean(),
  state: Type.Union(
    TOKEN_STATES.map((state) => Type.Literal(state)),
    { description: 'live, revoked, or expired (past expires_at)' },
  ),
  created_by: Nullable(
    Type.Object(
      { id: Type.Integer(), display_name: Type.String() },
      { description: 'who made it, when a person did' },
    ),
  ),
  created_at: DateTime,
  last_used_at: Nullable(
    Type.Unsafe<string>({ ...DateTime, description: 'to within a minute; null: never used' }),
  ),
  expires_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
  revoke_reason: Nullable(Type.String()),
});
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Intersect([
  ApiToken,
  Type.Object({
    token: Type.String({ description: 'the secret: shown only in this answer, never again; keep it safe' }),
  }),
]);

export const TokenListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Cursor),
    user: Type.Optional(RowId("only this user's tokens")),
    outlet: Type.Optional(
      Type.Unsafe<string>({ ...IdOrSlug, description: 'only tokens of (or narrowed to) this outlet' }),
    ),
    state: Type.Optional(Type.Union(TOKEN_STATES.map((state) => Type.Literal(state)))),
  },
  { additionalProperties: false },
);
export type TokenListQuery = Static<typeof TokenListQuery>;

export const TokenIdParam = Type.Object({ id: RowId('the token’s id, as GET /api/tokens lists it') });
