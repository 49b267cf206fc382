// The redaction review of one document: each page's text with the redactions marked (and the page's image
// beside it, where the archive serves page images), each proposal with Accept and Reject buttons, and a form
// that hides a span by its exact text (with JavaScript, selecting text in a page fills it in).
import type { DocumentDetail } from '../../schemas/documents.ts';
import type { Redaction } from '../../schemas/redactions.ts';
import { REDACTION_KINDS } from '../../schemas/redactions.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from '../pageContext.ts';
import { ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface AddRedactionForm {
  page: string;
  text: string;
  kind: string;
  problems: { field: 'add-text' | 'add-page'; message: string }[];
}

export interface RedactionReviewPage {
  document: DocumentDetail;
  redactions: Redaction[];
  /** More redactions than one page of the list shows. */
  more: boolean;
  mayDecide: boolean;
  /** Whether GET /api/documents/:id/pages/:n/image exists in this archive. */
  pageImages: boolean;
  add: AddRedactionForm;
}

export function renderRedactionReviewPage(ctx: PageContext, page: RedactionReviewPage): string {
  return renderDocument(<ReviewView ctx={ctx} page={page} />);
}

const kindWords = (ctx: PageContext, kind: string) => ctx.messages.t(`review.kind.${kind}` as MessageKey);

function ReviewView({ ctx, page }: { ctx: PageContext; page: RedactionReviewPage }) {
  const { t } = ctx.messages;
  const { document } = page;
  const name = document.original_filename ?? t('desk.documentNumber', { id: document.id });
  const undecided = page.redactions.filter((redaction) => redaction.state === 'proposed').length;
  return (
    <Layout ctx={ctx} title={t('review.title', { name })}>
      <ErrorSummary ctx={ctx} problems={page.add.problems} />
      <h1>{t('review.title', { name })}</h1>
      <p>
        {t('review.intro')} <a href={`/desk/orders/${document.order_id}`}>{t('review.backToOrder')}</a>
      </p>
      <p class="notice" role="status">
        {t('desk.undecided', { count: undecided })}
      </p>
      {page.more && <p class="hint">{t('review.more')}</p>}
      {document.pages.map((documentPage) => {
        const onPage = page.redactions.filter((redaction) => redaction.page === documentPage.number);
        return (
          <section
            key={documentPage.number}
            id={`page-${documentPage.number}`}
            class="review-page"
            aria-labelledby={`page-${documentPage.number}-heading`}
          >
            <h2 id={`page-${documentPage.number}-heading`}>
              {t('order.page', { number: documentPage.number })}
            </h2>
            <div class={page.pageImages ? 'review-columns' : undefined}>
              <div
                class="page-text review-text"
                data-page={documentPage.number}
                tabIndex={0}
                aria-label={t('order.page', { number: documentPage.number })}
              >
                <MarkedText text={documentPage.text} redactions={onPage} ctx={ctx} />
              </div>
              {page.pageImages && (
                <img
                  class="page-image"
                  src={`/api/documents/${document.id}/pages/${documentPage.number}/image`}
                  alt={t('review.pageImage', { number: documentPage.number })}
                  loading="lazy"
                />
              )}
            </div>
            {onPage.length > 0 && (
              <ul class="plain-list redaction-list">
                {onPage.map((redaction) => (
                  <RedactionItem
                    key={redaction.id}
                    ctx={ctx}
                    redaction={redaction}
                    mayDecide={page.mayDecide}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      {page.mayDecide && <AddForm ctx={ctx} page={page} />}
    </Layout>
  );
}

/** The page's text with each redaction's span in a <mark>, in text order (an overlapping one is skipped). */
function MarkedText({ ctx, text, redactions }: { ctx: PageContext; text: string; redactions: Redaction[] }) {
  const parts: preact.ComponentChildren[] = [];
  let at = 0;
  // An area drawn on the page image has no span in the text: it is listed, not marked.
  const spans = redactions.filter(
    (redaction): redaction is Redaction & { start: number; end: number } =>
      redaction.start !== null && redaction.end !== null,
  );
  for (const redaction of spans.sort((a, b) => a.start - b.start)) {
    if (redaction.start < at || redaction.end > text.length) continue;
    parts.push(text.slice(at, redaction.start));
    parts.push(
      <mark
        key={redaction.id}
        id={`redaction-${redaction.id}`}
        class={`redaction redaction-${redaction.state}`}
        title={`${kindWords(ctx, redaction.kind)}: ${ctx.messages.t(`review.state.${redaction.state}` as MessageKey)}`}
      >
        {text.slice(redaction.start, redaction.end)}
      </mark>,
    );
    at = redaction.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function RedactionItem({
  ctx,
  redaction,
  mayDecide,
}: {
  ctx: PageContext;
  redaction: Redaction;
  mayDecide: boolean;
}) {
  const { t } = ctx.messages;
  const decide = (state: 'accepted' | 'rejected', label: string) => (
    <form action={`/desk/redactions/${redaction.id}`} method="post" class="inline-form">
      {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
      <input type="hidden" name="state" value={state} />
      <button type="submit" class="small-button" aria-describedby={`redaction-${redaction.id}-text`}>
        {label}
      </button>
    </form>
  );
  return (
    <li class={`redaction-item redaction-${redaction.state}`}>
      <a href={`#redaction-${redaction.id}`} id={`redaction-${redaction.id}-text`} class="redaction-text">
        {redaction.text}
      </a>{' '}
      <span class="redaction-facts">
        {kindWords(ctx, redaction.kind)} · {t(`review.state.${redaction.state}` as MessageKey)}
        {!redaction.placed && ` · ${t('review.unplaced')}`}
      </span>{' '}
      {mayDecide && redaction.state !== 'accepted' && decide('accepted', t('review.accept'))}{' '}
      {mayDecide && redaction.state !== 'rejected' && decide('rejected', t('review.reject'))}
    </li>
  );
}

function AddForm({ ctx, page }: { ctx: PageContext; page: RedactionReviewPage }) {
  const { t } = ctx.messages;
  const problemOf = (field: string) => page.add.problems.find((problem) => problem.field === field)?.message;
  const textProblem = problemOf('add-text');
  const pageProblem = problemOf('add-page');
  return (
    <form
      action={`/desk/documents/${page.document.id}/redactions`}
      method="post"
      class="add-redaction"
      novalidate
    >
      <h2>{t('review.addTitle')}</h2>
      <p class="hint">{t('review.addHint')}</p>
      {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
      <div class={pageProblem ? 'field field-error' : 'field'}>
        <label for="add-page" class="label">
          {t('review.addPage')}
        </label>
        {pageProblem && (
          <p id="add-page-error" class="error-message">
            {pageProblem}
          </p>
        )}
        <select id="add-page" name="page" aria-describedby={pageProblem ? 'add-page-error' : undefined}>
          {page.document.pages.map((documentPage) => (
            <option
              key={documentPage.number}
              value={String(documentPage.number)}
              selected={page.add.page === String(documentPage.number)}
            >
              {t('order.page', { number: documentPage.number })}
            </option>
          ))}
        </select>
      </div>
      <div class={textProblem ? 'field field-error' : 'field'}>
        <label for="add-text" class="label">
          {t('review.addText')}
        </label>
        {textProblem && (
          <p id="add-text-error" class="error-message">
            {textProblem}
          </p>
        )}
        <input
          id="add-text"
          name="text"
          type="text"
          value={page.add.text}
          aria-invalid={textProblem ? 'true' : undefined}
          aria-describedby={textProblem ? 'add-text-error' : undefined}
        />
      </div>
      <div class="field">
        <label for="add-kind" class="label">
          {t('review.addKind')}
        </label>
        <select id="add-kind" name="kind">
          {REDACTION_KINDS.map((kind) => (
            <option key={kind} value={kind} selected={(page.add.kind || 'other') === kind}>
              {kindWords(ctx, kind)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('review.add')}</button>
    </form>
  );
}
