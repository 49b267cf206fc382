// Links an order to the article it targets: an existing article, or one found or created by URL.
import type { Caller } from '../auth/caller.ts';
import type { Queryable } from '../database/transaction.ts';
import { isArticleVisible } from '../records/articleRecords.ts';
import type { TargetInput } from '../schemas/orders.ts';
import { registerArticle } from './articleRegistrar.ts';
import { recordAudit } from './auditTrail.ts';
import { fieldPath, invalidInput } from '../errors.ts';

/** Adds the target (idempotent per article); returns the order_targets id. */
export async function addOrderTarget(
  db: Queryable,
  {
    caller,
    internalOrderId: orderId,
    target,
    field,
  }: {
    caller: Caller;
    /** The order's row id, already locked by the caller. */
    internalOrderId: number;
    target: TargetInput;
    /** Where the target sits in the caller's input (`targets/0`), for errors. */
    field?: string | undefined;
  },
): Promise<number> {
  let articleId: number;
  // Whether this order may show the article as stored: not when its URL names an article that only orders
  // hidden from the caller target (the link is kept, the stored title and date are not shown through it).
  let disclosed = true;
  if (target.article_id !== undefined) {
    if (target.url !== undefined) throw invalidInput('give either article_id or url, not both', field);
    // An article the caller may not see answers as one that does not exist (orderAccess.ts).
    if (!(await isArticleVisible(db, caller, target.article_id)))
      throw invalidInput(`there is no article ${target.article_id}`, fieldPath(field, 'article_id'));
    articleId = target.article_id;
  } else if (target.url !== undefined) {
    const registered = await registerArticle(db, {
      caller,
      url: target.url,
      title: target.title,
      field: fieldPath(field, 'url'),
    });
    articleId = registered.id;
    disclosed = registered.created || (await isArticleVisible(db, caller, articleId));
  } else {
    throw invalidInput('a target needs article_id or url', field);
  }
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO order_targets (order_id, article_id, note, article_disclosed) VALUES ($1, $2, $3, $4)
     ON CONFLICT (order_id, article_id) DO UPDATE SET note = COALESCE(EXCLUDED.note, order_targets.note),
       article_disclosed = order_targets.article_disclosed OR EXCLUDED.article_disclosed
     RETURNING id`,
    [orderId, articleId, target.note ?? null, disclosed],
  );
  const id = rows[0]!.id;
  await recordAudit(db, caller, {
    action: 'order.target.add',
    recordType: 'order',
    recordId: orderId,
    after: { target_id: id, article_id: articleId, note: target.note ?? null },
  });
  return id;
}
