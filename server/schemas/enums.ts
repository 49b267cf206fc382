// The archive's enumerations, one definition each: validation, TypeScript types and OpenAPI.
// migrations/002_core.sql holds the same lists as CHECK constraints.
import { Type, type Static } from '@sinclair/typebox';
import { AUTHORITY_KINDS as CATALOGUED_AUTHORITY_KINDS } from '../../domain/authorityCatalog.ts';
import { DEMANDED_ACTIONS } from '../../domain/orderVocabulary.ts';

export { DEMANDED_ACTIONS };

// A plain JSON-schema enum: its validation error lists the allowed values (a union of literals
// would only say "must match a schema in anyOf").
function enumeration<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}

export const ORDER_STATUSES = [
  'received',
  'complied',
  'partially_complied',
  'refused',
  'challenged',
  'withdrawn',
] as const;
export const OrderStatus = enumeration(ORDER_STATUSES, 'Where the order stands');

export const VISIBILITIES = ['private', 'embargoed', 'public'] as const;
export const Visibility = enumeration(VISIBILITIES, 'Who may see the order');

export const CHANNELS = [
  'email',
  'letter',
  'platform_notice',
  'court_summons',
  'in_person',
  'phone',
  'other',
] as const;
export const Channel = enumeration(CHANNELS, 'How the demand reached the outlet');

export const DemandedAction = enumeration(DEMANDED_ACTIONS, 'What the authority demands');

export const RESPONSE_KINDS = [
  'refusal',
  'compliance',
  'partial_compliance',
  'appeal',
  'public_statement',
  'silence',
] as const;
export const ResponseKind = enumeration(RESPONSE_KINDS, 'What the outlet did');

export const EVENT_KINDS = [
  'blocked',
  'unblocked',
  // A registry decision none of whose targets is listed any more (migrations/014_registry_life.sql).
  'lifted',
  'fined',
  'prosecution_threatened',
  'prosecution_opened',
  'inspection',
  'accreditation_refused',
  'foreign_agent_designation',
  'undesirable_designation',
  'ddos',
  'mass_complaints',
  'account_suspended',
  'block_threatened',
  'court_appeal',
  'court_ruling',
  'other',
] as const;
export const EventKind = enumeration(EVENT_KINDS, 'What followed the order');

export const AUTHORITY_KINDS = [...CATALOGUED_AUTHORITY_KINDS, 'other'] as const;
export const AuthorityKind = enumeration(AUTHORITY_KINDS, 'What kind of body');

export const TOKEN_ROLES = ['editor', 'outlet', 'user'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export type OrderStatus = Static<typeof OrderStatus>;
export type Visibility = Static<typeof Visibility>;
