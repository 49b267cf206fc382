// Changes an order's fields under optimistic concurrency: the change names the story it was based on
// (its ETag, as If-Match), and is refused when the story has changed since.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { OrderUpdateInput } from '../schemas/orders.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { ArchiveError } from '../errors.ts';
import { readOrderStory } from '../records/orderRecords.ts';
import { ifMatchNames, storyTag } from '../records/orderStoryTag.ts';
import { recordAudit } from './auditTrail.ts';
import { lockOrderForChange } from './orderLock.ts';
import { checkEmbargo, orderColumnsFrom } from './orderFields.ts';
import { orderTextsIn, proposeOrderFieldRedactions } from './orderFieldRedactions.ts';
import { checkRedactionReview } from './redactionReview.ts';

export interface OrderUpdate {
  caller: Caller;
  orderId: string;
  /** The ETag of the story the change is based on, "*" for whatever is current. */
  ifMatch: string | undefined;
  changes: OrderUpdateInput;
}

export async function updateOrder(
  pool: pg.Pool,
  { caller, orderId: id, ifMatch, changes: input }: OrderUpdate,
): Promise<void> {
  if (ifMatch === undefined) {
    throw new ArchiveError(
      'if_match_required',
      `A change to ${id} must name the story it is based on: send the ETag you read as If-Match`,
    );
  }
  await withTransaction(pool, async (client) => {
    const before = await lockOrderForChange(client, caller, id);
    // Read under the row lock, which every command changing the story takes too: none slips in between
    // the comparison and the write (an extraction's progress on a document may, and only makes it stricter).
    const current = storyTag(await readOrderStory(client, before));
    if (!ifMatchNames(ifMatch, current)) {
      throw new ArchiveError(
        'order_changed',
        `Order ${id} was changed since you read it (it is now ${current}, you sent ${ifMatch}). ` +
          'Read it again and re-apply your change.',
      );
    }
    const columns = await orderColumnsFrom(client, caller, input);
    // Confirming the authority is what turns an intake draft into a filed order.
    if (columns.authority_id !== undefined && before.draft) columns.draft = false;
    checkEmbargo(
      String(columns.visibility ?? before.visibility),
      'embargo_until' in columns ? columns.embargo_until : before.embargo_until,
    );
    // New personal data in a changed summary, reason or consequence is proposed before the publication
    // check, so a change that writes it and publishes at once is held like any other undecided proposal.
    await proposeOrderFieldRedactions(client, before.internal_id, orderTextsIn(columns), before);
    await checkRedactionReview(client, {
      caller,
      before,
      columns,
      override: input.override_redaction_review,
    });
    const names = Object.keys(columns);
    await client.query(
      `UPDATE orders SET ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')},
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [before.internal_id, ...Object.values(columns)],
    );
    const beforeRecord: Record<string, unknown> = { ...before, authority_id: before.authority?.id ?? null };
    const beforeValues = Object.fromEntries(names.map((name) => [name, beforeRecord[name] ?? null]));
    await recordAudit(client, caller, {
      action: 'order.update',
      recordType: 'order',
      recordId: before.internal_id,
      before: { ...beforeValues, version: before.version },
      after: { ...columns, version: before.version + 1 },
    });
    await enqueueOrderForSearch(client, before.internal_id);
  });
}
