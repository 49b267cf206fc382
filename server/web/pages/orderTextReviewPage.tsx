// The redaction review of an order's own texts (its summary, stated reason and threatened consequence, as
// the outlet typed them): each text with its redactions marked, each redaction with its buttons, and a form
// that hides a span of one of them by its exact text.
import type { OrderRow } from '../../records/orderRecords.ts';
import { ORDER_TEXT_FIELDS, type Redaction } from '../../schemas/redactions.ts';
import type { PageContext } from '../pageContext.ts';
import { FieldFrame, type Problem } from './formParts.tsx';
import { ErrorSummary, Layout } from './layout.tsx';
import { KindSelect, MarkedText, RedactionList } from './redactionParts.tsx';
import { renderDocument } from './render.ts';

/** Each text's name, as the order's page calls it. */
const FIELD_WORDS = {
  summary: 'order.summary',
  stated_reason: 'order.statedReason',
  threatened_consequence: 'order.threatened',
} as const;

export interface FieldRedactionForm {
  field: string;
  text: string;
  kind: string;
  problems: Problem[];
}

export interface OrderTextReviewPage {
  order: OrderRow;
  redactions: Redaction[];
  more: boolean;
  mayDecide: boolean;
  add: FieldRedactionForm;
}

export function renderOrderTextReviewPage(ctx: PageContext, page: OrderTextReviewPage): string {
  return renderDocument(<OrderTextReview ctx={ctx} page={page} />);
}

function OrderTextReview({ ctx, page }: { ctx: PageContext; page: OrderTextReviewPage }) {
  const { t } = ctx.messages;
  const { order } = page;
  const title = t('review.orderTextsTitle', { id: order.public_id });
  const undecided = page.redactions.filter((redaction) => redaction.state === 'proposed').length;
  const reviewPath = `/desk/orders/${order.public_id}/redactions`;
  return (
    <Layout ctx={ctx} title={title}>
      <ErrorSummary ctx={ctx} problems={page.add.problems} />
      <h1>{title}</h1>
      <p>
        {t('review.orderTextsIntro')}{' '}
        <a href={`/desk/orders/${order.public_id}`}>{t('review.backToOrder')}</a>
      </p>
      <p class="notice" role="status">
        {t('desk.undecided', { count: undecided })}
      </p>
      {page.more && <p class="hint">{t('review.more')}</p>}
      {ORDER_TEXT_FIELDS.map((field) => {
        const text = order[field] ?? '';
        const inField = page.redactions.filter((redaction) => redaction.field === field);
        return (
          <section key={field} id={`field-${field}`} aria-labelledby={`field-${field}-heading`}>
            <h2 id={`field-${field}-heading`}>{t(FIELD_WORDS[field])}</h2>
            {text === '' ? (
              <p class="hint">{t('review.fieldEmpty')}</p>
            ) : (
              <div
                class="page-text review-text"
                data-field={field}
                tabIndex={0}
                aria-label={t(FIELD_WORDS[field])}
              >
                <MarkedText ctx={ctx} text={text} redactions={inField} />
              </div>
            )}
            <RedactionList
              ctx={ctx}
              redactions={inField}
              mayDecide={page.mayDecide}
              back={`${reviewPath}#field-${field}`}
            />
          </section>
        );
      })}
      {page.mayDecide && (
        <form action={reviewPath} method="post" class="add-redaction" novalidate>
          <h2>{t('review.addTitle')}</h2>
          <p class="hint">{t('review.fieldAddHint')}</p>
          {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
          <FieldFrame id="field-field" label={t('review.fieldChoice')} problems={page.add.problems}>
            {(described) => (
              <select id="field-field" name="field" aria-describedby={described}>
                {ORDER_TEXT_FIELDS.map((field) => (
                  <option key={field} value={field} selected={page.add.field === field}>
                    {t(FIELD_WORDS[field])}
                  </option>
                ))}
              </select>
            )}
          </FieldFrame>
          <FieldFrame id="field-text" label={t('review.addText')} problems={page.add.problems}>
            {(described, invalid) => (
              <input
                id="field-text"
                name="text"
                type="text"
                value={page.add.text}
                aria-invalid={invalid}
                aria-describedby={described}
              />
            )}
          </FieldFrame>
          <KindSelect ctx={ctx} id="field-kind" value={page.add.kind} />
          <button type="submit">{t('review.add')}</button>
        </form>
      )}
    </Layout>
  );
}
