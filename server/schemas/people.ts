// Schemas for people: users, invitations, password resets, an outlet's members and "who am I".
import { Type, type Static } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import { DateTime, Nullable, RowId, SafeText, SAFE_TEXT_PATTERN } from './common.ts';
import { IdOrSlug, PageQuery } from './references.ts';

// A plain JSON-schema enum, so a validation error lists the allowed values.
function enumeration<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}

// What PostgreSQL's users.email check accepts (one @, no spaces), without NUL or a lone surrogate.
const EMAIL_CHARACTER = '[^@\\s\\u0000\\ud800-\\udfff]';
export const Email = Type.String({
  pattern: `^${EMAIL_CHARACTER}+@${EMAIL_CHARACTER}+$`,
  maxLength: 254,
  description: 'an e-mail address; case does not matter',
});
export const DisplayName = SafeText({ minLength: 1, maxLength: 200, description: 'the name others see' });
export const Password = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  pattern: SAFE_TEXT_PATTERN,
  description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; stored only as an argon2id hash`,
});
/** A one-time link's secret, as shown once (`tal_…`). */
export const LinkToken = Type.String({
  pattern: '^tal_[A-Za-z0-9_-]{43}$',
  description: 'the secret after # in the link',
});
const Timestamp = Type.String({ format: 'date-time' });
/** researcher_until as answered: a date-time, 'infinity' (no end), or null (not a researcher). */
const ResearcherUntil = Nullable(
  Type.String({ description: "until when the user is a researcher: a date-time, or 'infinity' (no end)" }),
);

export const MEMBERSHIP_ROLES = ['admin', 'member'] as const;
export const MembershipRole = enumeration(
  MEMBERSHIP_ROLES,
  "an outlet's admin invites and removes its members; a member sees and changes its orders",
);
export const INVITED_ROLES = ['editor', 'researcher', 'admin', 'member'] as const;
export const InvitedRole = enumeration(
  INVITED_ROLES,
  'editor: the whole archive; researcher: what researchers may read; admin, member: a role at `outlet`',
);
export const INVITATION_STATES = ['pending', 'used', 'expired', 'revoked'] as const;
export const InvitationState = enumeration(INVITATION_STATES, 'where the invitation stands');

export const OutletRef = Type.Object({ id: Type.Integer(), slug: Type.String() });

export const Membership = Type.Object({
  outlet_id: Type.Integer(),
  outlet_slug: Type.String(),
  role: MembershipRole,
});

export const User = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  is_editor: Type.Boolean(),
  researcher: Type.Boolean({ description: 'a researcher now (researcher_until is still ahead)' }),
  researcher_until: ResearcherUntil,
  disabled: Type.Boolean(),
  disabled_at: Nullable(Timestamp),
  password_set: Type.Boolean({ description: 'false until the person sets a password through a link' }),
  locked_until: Nullable(Timestamp),
  memberships: Type.Array(Membership),
  created_at: Timestamp,
});
export type User = Static<typeof User>;

export const UserIdParam = Type.Object({ id: RowId('the user id') });

export const UserListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    q: Type.Optional(SafeText({ minLength: 1, maxLength: 200, description: 'part of the e-mail or name' })),
    outlet: Type.Optional(IdOrSlug),
    role: Type.Optional(enumeration(['editor', 'researcher'] as const, 'editors, or current researchers')),
  }),
]);
export type UserListQuery = Static<typeof UserListQuery>;

export const UserChanges = Type.Object(
  {
    display_name: Type.Optional(DisplayName),
    is_editor: Type.Optional(Type.Boolean()),
    researcher_until: Type.Optional(
      Type.Union([DateTime, Type.Literal('infinity'), Type.Null()], {
        description: "a date-time or 'infinity' grants researcher access until then; null removes it",
      }),
    ),
    disabled: Type.Optional(
      Type.Boolean({ description: 'true: the user can do nothing, and their sessions end; false: back' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserChanges = Static<typeof UserChanges>;

export const InvitationInput = Type.Object(
  {
    email: Email,
    role: InvitedRole,
    outlet: Type.Optional(IdOrSlug),
    researcher_until: Type.Optional(
      Type.Union([DateTime, Type.Literal('infinity')], {
        description: "for role researcher: until when (default 'infinity')",
      }),
    ),
    expires_in_hours: Type.Integer({
      minimum: 1,
      maximum: 720,
      default: 168,
      description: 'how long the link stays good',
    }),
  },
  { additionalProperties: false },
);
export type InvitationInput = Static<typeof InvitationInput>;

export const Invitation = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: InvitedRole,
  outlet: Nullable(OutletRef),
  researcher_until: ResearcherUntil,
  state: InvitationState,
  created_at: Timestamp,
  expires_at: Timestamp,
  used_at: Nullable(Timestamp),
  revoked_at: Nullable(Timestamp),
  invited_by: Nullable(Type.Object({ user_id: Type.Integer(), display_name: Type.String() })),
  accepted_by_user_id: Nullable(Type.Integer()),
});
export type Invitation = Static<typeof Invitation>;

export const OneTimeLink = Type.Object({
  token: Type.String({ description: 'the one-time secret: shown only in this answer, stored only hashed' }),
  accept_path: Type.String({ description: 'the page that takes it, with the secret after #' }),
  expires_at: Timestamp,
});

export const InvitationCreated = Type.Composite([
  Invitation,
  OneTimeLink,
  Type.Object({
    mailed: Type.Boolean({
      description: 'whether the link is being mailed to the address (where SMTP is configured)',
    }),
  }),
]);

export const InvitationListQuery = Type.Composite([
  PageQuery,
  Type.Object({ outlet: Type.Optional(IdOrSlug), state: Type.Optional(InvitationState) }),
]);
export type InvitationListQuery = Static<typeof InvitationListQuery>;

export const InvitationIdParam = Type.Object({ id: RowId('the invitation id') });

export const InvitationAcceptance = Type.Object(
  {
    token: LinkToken,
    display_name: Type.Optional(DisplayName),
    password: Password,
  },
  { additionalProperties: false },
);
export type InvitationAcceptance = Static<typeof InvitationAcceptance>;

export const PasswordResetRequest = Type.Object({ email: Email }, { additionalProperties: false });
export const PasswordResetRequested = Type.Object({ message: Type.String() });

export const SignInLinkInput = Type.Object({ token: LinkToken }, { additionalProperties: false });

export const PasswordResetCompletion = Type.Object(
  { token: LinkToken, password: Password },
  { additionalProperties: false },
);

export const Me = Type.Object({
  kind: enumeration(['editor', 'account'] as const, 'an editor sees and changes everything'),
  user: Nullable(User),
  memberships: Type.Array(Membership, {
    description: 'the outlets this credential acts for (a token may carry fewer than its user has)',
  }),
  is_editor: Type.Boolean(),
  researcher: Type.Boolean(),
  researcher_until: ResearcherUntil,
  credential: enumeration(['session', 'token'] as const, 'how this request was signed in'),
  read_only: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const Member = Type.Object({
  user_id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  role: MembershipRole,
  since: Timestamp,
  disabled: Type.Boolean(),
});
export type Member = Static<typeof Member>;

export const OutletIdParam = Type.Object({ id: IdOrSlug });
export const MemberParams = Type.Object({ id: IdOrSlug, userId: RowId('the member’s user id') });
export const MemberChange = Type.Object({ role: MembershipRole }, { additionalProperties: false });
