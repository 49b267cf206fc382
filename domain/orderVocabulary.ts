// The words an order is described with, one list each, shared by the API's schemas and the suggestions
// (migrations/002_core.sql holds the same lists as CHECK constraints).

/** What an authority demands of an outlet. */
export const DEMANDED_ACTIONS = [
  'remove',
  'restrict_access',
  'block',
  'geo_block',
  'deindex',
  'correct',
  'delete_account',
  'suspend_account',
  'disclose_data',
  'reveal_source',
  'register_representative',
] as const;
export type DemandedAction = (typeof DEMANDED_ACTIONS)[number];
