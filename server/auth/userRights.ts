// A user's rights as stored (editor flag, researcher grant, memberships), read in the same statement that
// finds their session or token, and turned into the Caller every access rule is written against.
import type { Caller } from './caller.ts';

/** Columns of a `users` row aliased `u`: is_editor, researcher, memberships ([[outlet_id, role], …]). */
export const USER_RIGHTS_SQL = (alias: string) => `${alias}.is_editor,
  (${alias}.researcher_until IS NOT NULL AND ${alias}.researcher_until > now()) AS researcher,
  COALESCE((SELECT json_agg(json_build_array(m.outlet_id, m.role) ORDER BY m.outlet_id)
              FROM memberships m WHERE m.user_id = ${alias}.id), '[]'::json) AS memberships`;

export interface UserRightsRow {
  is_editor: boolean;
  researcher: boolean;
  memberships: [number | string, 'admin' | 'member'][];
}

export interface Credential {
  name: string;
  userId: number | null;
  tokenId: number | null;
  sessionId: number | null;
  readOnly: boolean;
  /**
   * The one outlet a person's token was made for, if it was: it acts for that outlet, not for the
   * person's account (their other tokens, sessions and password).
   */
  outletOnly?: number;
}

/**
 * The caller a user's rights make, narrowed to one outlet when the credential is (a token made for one
 * outlet): then even an editor acts as that outlet's admin, and a user keeps only that membership.
 */
export function callerFromRights(
  rights: UserRightsRow,
  credential: Credential,
  onlyOutlet: number | null,
): Caller {
  if (rights.is_editor && onlyOutlet === null) return { kind: 'editor', ...credential };
  if (onlyOutlet !== null) credential = { ...credential, outletOnly: onlyOutlet };
  let memberships = rights.memberships.map(([outletId, role]) => ({ outletId: Number(outletId), role }));
  if (onlyOutlet !== null) {
    memberships = rights.is_editor
      ? [{ outletId: onlyOutlet, role: 'admin' as const }]
      : memberships.filter((membership) => membership.outletId === onlyOutlet);
  }
  return {
    kind: 'account',
    ...credential,
    outletIds: memberships.map((membership) => membership.outletId),
    adminOf: memberships.filter((membership) => membership.role === 'admin').map((m) => m.outletId),
    researcher: rights.researcher,
  };
}
