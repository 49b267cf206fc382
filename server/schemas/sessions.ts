// Schemas for signing in and out, a person's browser sessions and their password, as the API shows and
// accepts them.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, RowId, SafeText } from './common.ts';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.ts';

// Anything but @, spaces, NUL and lone surrogates (which PostgreSQL cannot hold), as in SafeText.
const EMAIL_PART = '[^@\\s\\u0000\\ud800-\\udfff]+';

// A new password's length is checked by the rule of commands/userAccounts.ts (checkPassword), which
// names the field; the schema only keeps out what no password is (NUL, a lone surrogate, a novel).
const Password = (description: string) =>
  SafeText({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description });

export const SignInInput = Type.Object(
  {
    // An e-mail's shape, so a password typed into the wrong field is refused here, not written to the
    // audit log as the e-mail that failed.
    email: Type.String({
      minLength: 3,
      maxLength: 320,
      pattern: `^\\s*${EMAIL_PART}@${EMAIL_PART}\\s*$`,
      description: 'the e-mail the account was made with',
    }),
    password: Password('the account’s password'),
  },
  { additionalProperties: false },
);
export type SignInInput = Static<typeof SignInInput>;

export const Membership = Type.Object({
  outlet_id: Type.Integer(),
  outlet_slug: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
});

export const SignedInUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  is_editor: Type.Boolean(),
  memberships: Type.Array(Membership, { description: 'the outlets the person belongs to, and as what' }),
  researcher_until: Nullable(
    Type.String({
      description:
        "researcher access until this time (RFC 3339), or 'infinity' when granted without an end; null: no researcher access",
    }),
  ),
});
export type SignedInUser = Static<typeof SignedInUser>;

export const SignedInSession = Type.Object({
  user: SignedInUser,
  session: Type.Object({
    id: Type.Integer(),
    expires_at: Type.String({ format: 'date-time' }),
  }),
  csrf_token: Type.String({
    description:
      'send it as the header x-csrf-token (or a form field _csrf) with every change made with this session',
  }),
});
export type SignedInSession = Static<typeof SignedInSession>;

export const SessionListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(
      Type.String({
        pattern: '^(live|ended)-[1-9][0-9]{0,14}$',
        description: 'next_cursor of the previous page',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SessionListQuery = Static<typeof SessionListQuery>;

export const SessionSummary = Type.Object({
  id: Type.Integer(),
  device: Nullable(Type.String({ description: 'the browser’s User-Agent when it signed in' })),
  address: Nullable(Type.String({ description: 'the address it signed in from' })),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.String({ format: 'date-time', description: 'to the minute' }),
  expires_at: Type.String({ format: 'date-time' }),
  ended_at: Nullable(Type.String({ format: 'date-time' })),
  end_reason: Nullable(
    Type.String({
      enum: ['sign_out', 'revoked', 'password_changed', 'membership_removed', 'disabled'],
      description: 'why it ended, when it did',
    }),
  ),
  live: Type.Boolean({ description: 'neither ended nor expired' }),
  current: Type.Boolean({ description: 'the session this request was made with' }),
});
export type SessionSummary = Static<typeof SessionSummary>;

export const SessionIdParam = Type.Object({ id: RowId('the session’s id, from GET /api/me/sessions') });

export const PasswordChangeInput = Type.Object(
  {
    current_password: Password('the password the account has now'),
    new_password: Password('the new password: at least 10 characters'),
  },
  { additionalProperties: false },
);
export type PasswordChangeInput = Static<typeof PasswordChangeInput>;
