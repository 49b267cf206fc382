// The redaction review of one document: each page's text with the redactions marked and the page's image
// beside it (where the archive serves page images) with the boxes drawn on it, each redaction with its
// buttons (accept, reject, remove), a form that hides a span by its exact text (with JavaScript, selecting
// text in a page fills it in) and, for a PDF or an image, a form that hides a box of a page (with
// JavaScript, dragging a rectangle on the image fills it in: assets/redactionBoxes.js).
import type { DocumentDetail } from '../../schemas/documents.ts';
import type { Redaction } from '../../schemas/redactions.ts';
import type { PageContext } from '../pageContext.ts';
import { FieldFrame, type Problem } from './formParts.tsx';
import { ErrorSummary, Layout } from './layout.tsx';
import { KindSelect, MarkedText, RedactionList } from './redactionParts.tsx';
import { renderDocument } from './render.ts';

export interface AddRedactionForm {
  page: string;
  text: string;
  kind: string;
  problems: { field: 'add-text' | 'add-page'; message: string }[];
}

/** A box on a page's image, as typed: percent of the image's width and height from its top-left corner. */
export interface AreaForm {
  page: string;
  x: string;
  y: string;
  width: string;
  height: string;
  kind: string;
  problems: Problem[];
}

export const EMPTY_AREA_FORM: AreaForm = {
  page: '1',
  x: '',
  y: '',
  width: '',
  height: '',
  kind: 'other',
  problems: [],
};

export interface RedactionReviewPage {
  document: DocumentDetail;
  redactions: Redaction[];
  /** More redactions than one page of the list shows. */
  more: boolean;
  mayDecide: boolean;
  /**
   * Whether the pages have images to show beside their text, and so boxes may be drawn on them: a PDF or an
   * image, where this archive serves page images. A text or an e-mail has no page image.
   */
  mayDraw: boolean;
  add: AddRedactionForm;
  area: AreaForm;
}

export function renderRedactionReviewPage(ctx: PageContext, page: RedactionReviewPage): string {
  return renderDocument(<ReviewView ctx={ctx} page={page} />);
}

function ReviewView({ ctx, page }: { ctx: PageContext; page: RedactionReviewPage }) {
  const { t } = ctx.messages;
  const { document } = page;
  const name = document.original_filename ?? t('desk.documentNumber', { id: document.id });
  const undecided = page.redactions.filter((redaction) => redaction.state === 'proposed').length;
  const reviewPath = `/desk/documents/${document.id}/redactions`;
  return (
    <Layout
      ctx={ctx}
      title={t('review.title', { name })}
      head={page.mayDraw && page.mayDecide && <script type="module" src="/assets/redactionBoxes.js"></script>}
    >
      <ErrorSummary ctx={ctx} problems={[...page.add.problems, ...page.area.problems]} />
      <h1>{t('review.title', { name })}</h1>
      <p>
        {t('review.intro')} <a href={`/desk/orders/${document.order_id}`}>{t('review.backToOrder')}</a>
      </p>
      <p>
        <a href={`/desk/orders/${document.order_id}/redactions`}>{t('review.orderTextsLink')}</a>
      </p>
      <p class="notice" role="status">
        {t('desk.undecided', { count: undecided })}
      </p>
      {page.more && <p class="hint">{t('review.more')}</p>}
      {document.pages.map((documentPage) => {
        const number = documentPage.number;
        const onPage = page.redactions.filter((redaction) => redaction.page === number);
        const areas = onPage.filter((redaction) => redaction.area !== null);
        return (
          <section
            key={number}
            id={`page-${number}`}
            class="review-page"
            aria-labelledby={`page-${number}-heading`}
          >
            <h2 id={`page-${number}-heading`}>{t('order.page', { number })}</h2>
            <div class={page.mayDraw ? 'review-columns' : undefined}>
              <div
                class="page-text review-text"
                data-page={number}
                tabIndex={0}
                aria-label={t('order.page', { number })}
              >
                <MarkedText text={documentPage.text} redactions={onPage} ctx={ctx} />
              </div>
              {page.mayDraw && (
                <div
                  class="page-figure"
                  data-page={number}
                  data-drawn-label={page.mayDraw ? t('review.areaDrawn', { page: number }) : undefined}
                >
                  <img
                    class="page-image"
                    src={`/api/documents/${document.id}/pages/${number}/image`}
                    alt={t('review.pageImage', { number })}
                    loading="lazy"
                    draggable={false}
                  />
                  {areas.length > 0 && <AreaOverlay areas={areas} />}
                </div>
              )}
            </div>
            <RedactionList
              ctx={ctx}
              redactions={onPage}
              mayDecide={page.mayDecide}
              back={`${reviewPath}#page-${number}`}
            />
          </section>
        );
      })}
      {page.mayDecide && <AddForm ctx={ctx} page={page} />}
      {page.mayDecide && page.mayDraw && <AreaFormView ctx={ctx} page={page} />}
    </Layout>
  );
}

/**
 * The boxes drawn on a page, over its image: an SVG stretched to the image (the CSP allows no style
 * attributes, and an SVG's own coordinates need none), in percent of its width and height.
 */
function AreaOverlay({ areas }: { areas: Redaction[] }) {
  return (
    <svg class="area-overlay" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
      {areas.map((redaction) => (
        <rect
          key={redaction.id}
          class={`area-box area-${redaction.state}`}
          data-redaction={redaction.id}
          x={redaction.area!.x * 100}
          y={redaction.area!.y * 100}
          width={redaction.area!.width * 100}
          height={redaction.area!.height * 100}
        />
      ))}
    </svg>
  );
}

function AddForm({ ctx, page }: { ctx: PageContext; page: RedactionReviewPage }) {
  const { t } = ctx.messages;
  const problems = page.add.problems;
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
      <FieldFrame id="add-page" label={t('review.addPage')} problems={problems}>
        {(described) => (
          <PageSelect id="add-page" page={page} value={page.add.page} described={described} ctx={ctx} />
        )}
      </FieldFrame>
      <FieldFrame id="add-text" label={t('review.addText')} problems={problems}>
        {(described, invalid) => (
          <input
            id="add-text"
            name="text"
            type="text"
            value={page.add.text}
            aria-invalid={invalid}
            aria-describedby={described}
          />
        )}
      </FieldFrame>
      <KindSelect ctx={ctx} id="add-kind" value={page.add.kind} />
      <button type="submit">{t('review.add')}</button>
    </form>
  );
}

function PageSelect({
  ctx,
  id,
  page,
  value,
  described,
}: {
  ctx: PageContext;
  id: string;
  page: RedactionReviewPage;
  value: string;
  described: string | undefined;
}) {
  return (
    <select id={id} name="page" aria-describedby={described}>
      {page.document.pages.map((documentPage) => (
        <option
          key={documentPage.number}
          value={String(documentPage.number)}
          selected={value === String(documentPage.number)}
        >
          {ctx.messages.t('order.page', { number: documentPage.number })}
        </option>
      ))}
    </select>
  );
}

/** A box of a page to hide, in percent of the page's image; dragging on an image fills it in. */
function AreaFormView({ ctx, page }: { ctx: PageContext; page: RedactionReviewPage }) {
  const { t } = ctx.messages;
  const { area } = page;
  const edge = (name: 'x' | 'y' | 'width' | 'height') => (
    <FieldFrame key={name} id={`area-${name}`} label={t(`review.area.${name}`)} problems={area.problems}>
      {(described, invalid) => (
        <input
          id={`area-${name}`}
          name={name}
          type="text"
          inputMode="decimal"
          class="short-input"
          value={area[name]}
          spellcheck={false}
          aria-invalid={invalid}
          aria-describedby={described}
        />
      )}
    </FieldFrame>
  );
  return (
    <form
      id="area-form"
      action={`/desk/documents/${page.document.id}/areas`}
      method="post"
      class="add-redaction"
      novalidate
    >
      <h2 id="area-heading">{t('review.areaTitle')}</h2>
      <p class="hint">{t('review.areaHint')}</p>
      <p class="area-drawn notice" role="status" aria-live="polite"></p>
      {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
      <FieldFrame id="area-page" label={t('review.addPage')} problems={area.problems}>
        {(described) => (
          <PageSelect id="area-page" page={page} value={area.page} described={described} ctx={ctx} />
        )}
      </FieldFrame>
      <fieldset class="area-edges">
        <legend>{t('review.areaEdges')}</legend>
        {edge('x')}
        {edge('y')}
        {edge('width')}
        {edge('height')}
      </fieldset>
      <KindSelect ctx={ctx} id="area-kind" value={area.kind} />
      <button type="submit">{t('review.areaAdd')}</button>
    </form>
  );
}
