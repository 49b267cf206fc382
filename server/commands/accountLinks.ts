// One-time links (invitations and password resets): issued with a random secret (`tal_…`) shown once,
// stored only as its sha256 in account_links, and claimed under a row lock inside the transaction that
// does what the link grants, so a link works once even when two requests race with it.
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { Queryable } from '../database/transaction.ts';
import { ArchiveError, invalidInput } from '../errors.ts';
import { linkMail, sendInBackground, type Mailer } from '../mail/mailer.ts';
import { isEmailRuleViolation } from './userAccounts.ts';

const LINK_PREFIX = 'tal_';

export type LinkPurpose = 'invitation' | 'password_reset' | 'sign_in';

/** The page that takes each kind of link, the secret after # (so it never reaches a server's access log). */
export const LINK_PAGES: Record<LinkPurpose, string> = {
  invitation: '/invitations/accept',
  password_reset: '/password-reset',
  sign_in: '/sign-in/link',
};

/** The whole address of a link, for a mail: PUBLIC_URL and the page, the secret after #. */
export const linkUrl = (publicUrl: string, purpose: LinkPurpose, token: string) =>
  `${publicUrl.replace(/\/+$/, '')}${linkPath(purpose, token)}`;

export const linkPath = (purpose: LinkPurpose, token: string) => `${LINK_PAGES[purpose]}#${token}`;

/**
 * Mails a one-time link to its person after the answer has gone: the address starts with PUBLIC_URL
 * (never the request's Host), and the secret travels only in the mail.
 */
export function mailLinkInBackground(
  deps: { mailer: Mailer; publicUrl: string; log: Parameters<typeof sendInBackground>[2] },
  link: { purpose: LinkPurpose; token: string; to: string; expiresAt: Date },
): void {
  const url = linkUrl(deps.publicUrl, link.purpose, link.token);
  const mail = linkMail({ kind: link.purpose, to: link.to, url, expiresAt: link.expiresAt });
  sendInBackground(deps.mailer, mail, deps.log);
}

export interface IssuedLink {
  id: number;
  /** The secret: shown to whoever made the link, once; never stored. */
  token: string;
  expiresAt: Date;
}

export interface NewLink {
  purpose: LinkPurpose;
  email: string;
  outletId?: number | null | undefined;
  role?: 'admin' | 'member' | 'editor' | 'researcher' | undefined;
  researcherUntil?: string | undefined;
  /** The user a reset is for. */
  userId?: number | undefined;
  createdByUserId?: number | null | undefined;
  expiresInHours: number;
}

/** A link's secret: shown once, stored only as hashSecret(secret). */
export const newLinkSecret = () => newSecret(LINK_PREFIX);

export async function issueLink(db: Queryable, link: NewLink): Promise<IssuedLink> {
  const token = newLinkSecret();
  const { rows } = await insertLink(db, token, link);
  return { id: Number(rows[0]!.id), token, expiresAt: rows[0]!.expires_at };
}

async function insertLink(db: Queryable, token: string, link: NewLink) {
  try {
    return await db.query<{ id: number; expires_at: Date }>(
      `INSERT INTO account_links (purpose, secret_hash, email, outlet_id, role, researcher_until, user_id,
                                  created_by_user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(hours => $9)) RETURNING id, expires_at`,
      [
        link.purpose,
        hashSecret(token),
        link.email,
        link.outletId ?? null,
        link.role ?? null,
        link.researcherUntil ?? null,
        link.userId ?? null,
        link.createdByUserId ?? null,
        link.expiresInHours,
      ],
    );
  } catch (error) {
    if (isEmailRuleViolation(error))
      throw invalidInput('this is not an e-mail address the archive can keep', 'email');
    throw error;
  }
}

export interface ClaimedLink {
  id: number;
  email: string;
  outlet_id: number | null;
  role: 'admin' | 'member' | 'editor' | 'researcher' | null;
  /** As PostgreSQL writes it ('infinity' included), to hand back to PostgreSQL. */
  researcher_until: string | null;
  user_id: number | null;
}

/**
 * The live link with this secret, locked until the transaction ends. An unknown, used, revoked or expired
 * link is refused alike (410), so the answer says nothing about which it was.
 */
export async function claimLink(db: Queryable, purpose: LinkPurpose, token: string): Promise<ClaimedLink> {
  const { rows } = await db.query<ClaimedLink & { live: boolean }>(
    `SELECT id, email, outlet_id, role, researcher_until::text AS researcher_until, user_id,
            used_at IS NULL AND revoked_at IS NULL AND expires_at > now() AS live
       FROM account_links WHERE secret_hash = $1 AND purpose = $2 FOR UPDATE`,
    [hashSecret(token), purpose],
  );
  const link = rows[0];
  if (!link?.live) {
    const what = { invitation: 'invitation', password_reset: 'password reset link', sign_in: 'sign-in link' }[
      purpose
    ];
    throw new ArchiveError(
      'link_used_or_expired',
      `This ${what} was already used, was revoked or has expired (or never existed): ask for a new one`,
    );
  }
  const { live: _live, ...claimed } = link;
  return {
    ...claimed,
    id: Number(claimed.id),
    outlet_id: claimed.outlet_id === null ? null : Number(claimed.outlet_id),
    user_id: claimed.user_id === null ? null : Number(claimed.user_id),
  };
}

/** Marks a claimed link used, by `userId` (who accepted an invitation, or whose password was reset). */
export async function markLinkUsed(db: Queryable, linkId: number, userId: number): Promise<void> {
  await db.query('UPDATE account_links SET used_at = now(), user_id = $2 WHERE id = $1', [linkId, userId]);
}
