// Appends to audit_log inside the caller's transaction, so a change and its record commit together.
import { actorName, type Caller } from '../auth/caller.ts';
import type { Queryable } from '../database/transaction.ts';

export interface AuditEntry {
  action: string;
  recordType: string;
  recordId: string | number;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(db: Queryable, caller: Caller, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, token_id, user_id, session_id, action, record_type, record_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      actorName(caller),
      caller.kind === 'anonymous' ? null : caller.tokenId,
      caller.kind === 'anonymous' ? null : caller.userId,
      caller.kind === 'anonymous' ? null : caller.sessionId,
      entry.action,
      entry.recordType,
      String(entry.recordId),
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}
