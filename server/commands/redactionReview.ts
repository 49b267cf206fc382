// Review before publication: an order is not made public (visibility public, or an embargo whose date has
// passed) while a redaction proposal of its documents or its own fields awaits a decision. An editor may publish anyway,
// saying so (override_redaction_review), and the override is audited with the proposals it passed over.
import type { Caller } from '../auth/caller.ts';
import { canOverrideRedactionReview } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { ArchiveError, forbidden } from '../errors.ts';
import type { OrderRow } from '../records/orderRecords.ts';
import { listUndecidedRedactions } from '../records/redactionRecords.ts';
import { recordAudit } from './auditTrail.ts';

/** Whether the order, with these column changes, would be public now (by visibility, or by a passed embargo). */
function publicAfter(before: OrderRow, columns: Record<string, unknown>, now: Date): boolean {
  const visibility = String(columns.visibility ?? before.visibility);
  if (visibility === 'public') return true;
  const until = 'embargo_until' in columns ? columns.embargo_until : before.embargo_until;
  return (
    visibility === 'embargoed' && until !== null && until !== undefined && new Date(String(until)) <= now
  );
}

/**
 * Checks a change that would publish the order: refused (409, listing the undecided proposals) unless
 * an editor overrides. An overridden embargo is published outright (visibility public): the visibility
 * rule itself keeps holding a passed embargo while proposals wait.
 */
export async function checkRedactionReview(
  db: Queryable,
  {
    caller,
    before,
    columns,
    override,
    now = new Date(),
  }: {
    caller: Caller;
    before: OrderRow;
    columns: Record<string, unknown>;
    override: boolean | undefined;
    now?: Date;
  },
): Promise<void> {
  if (override && !canOverrideRedactionReview(caller)) {
    throw forbidden(
      'Only an editor may publish an order whose redaction proposals await a decision',
      'override_redaction_review',
    );
  }
  const publishes =
    ('visibility' in columns || 'embargo_until' in columns) && publicAfter(before, columns, now);
  if (!publishes) return;
  const undecided = await listUndecidedRedactions(db, before.internal_id);
  if (!undecided.length) return;
  if (!override) {
    throw new ArchiveError(
      'redactions_undecided',
      `${before.public_id} cannot be published while ${undecided.length} redaction proposal(s) of its ` +
        'documents or its own fields await a decision: accept or reject each (PATCH /api/redactions/{id})' +
        (canOverrideRedactionReview(caller) ? ', or send override_redaction_review: true' : ''),
      undefined,
      { undecided },
    );
  }
  if (String(columns.visibility ?? before.visibility) === 'embargoed') columns.visibility = 'public';
  await recordAudit(db, caller, {
    action: 'order.publish_override',
    recordType: 'order',
    recordId: before.internal_id,
    after: {
      override_redaction_review: true,
      undecided_redactions: undecided.map((item) => item.redaction_id),
    },
  });
}
