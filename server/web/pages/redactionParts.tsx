// Pieces both redaction reviews share (a document's pages, an order's own texts): a text with each
// redaction's span marked, one redaction's line with its decision buttons, and a labelled input or select
// with its problem beside it.
import type { ComponentChildren } from 'preact';
import type { Redaction } from '../../schemas/redactions.ts';
import { REDACTION_KINDS } from '../../schemas/redactions.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from '../pageContext.ts';
import { CsrfField } from './formParts.tsx';

export const kindWords = (ctx: PageContext, kind: string) =>
  ctx.messages.t(`review.kind.${kind}` as MessageKey);

const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

/** The text with each redaction's span in a <mark>, in text order (an overlapping one is skipped). */
export function MarkedText({
  ctx,
  text,
  redactions,
}: {
  ctx: PageContext;
  text: string;
  redactions: Redaction[];
}) {
  const parts: ComponentChildren[] = [];
  let at = 0;
  // An area drawn on the page image has no span in the text: it is shown on the image and listed.
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

/**
 * One redaction: what it hides (or where its box is), its kind and state, and the buttons that change it —
 * accept, reject, and remove for one a person added (the archive's own proposals are rejected instead).
 * `back` is the page (and anchor) to come back to.
 */
export function RedactionItem({
  ctx,
  redaction,
  mayDecide,
  back,
}: {
  ctx: PageContext;
  redaction: Redaction;
  mayDecide: boolean;
  back: string;
}) {
  const { t } = ctx.messages;
  const described = `redaction-${redaction.id}-text`;
  const button = (action: string, label: string, field?: ComponentChildren) => (
    <form action={action} method="post" class="inline-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="next" value={back} />
      {field}
      <button type="submit" class="small-button" aria-describedby={described}>
        {label}
      </button>
    </form>
  );
  const decide = (state: 'accepted' | 'rejected', label: string) =>
    button(`/desk/redactions/${redaction.id}`, label, <input type="hidden" name="state" value={state} />);
  const area = redaction.area;
  return (
    <li class={`redaction-item redaction-${redaction.state}`} id={`item-${redaction.id}`}>
      {area ? (
        <span id={described} class="redaction-text">
          {t('review.areaItem', {
            x: percent(area.x),
            y: percent(area.y),
            width: percent(area.width),
            height: percent(area.height),
          })}
        </span>
      ) : (
        <a href={`#redaction-${redaction.id}`} id={described} class="redaction-text">
          {redaction.text}
        </a>
      )}{' '}
      <span class="redaction-facts">
        {kindWords(ctx, redaction.kind)} · {t(`review.state.${redaction.state}` as MessageKey)}
        {!redaction.placed && ` · ${t('review.unplaced')}`}
      </span>{' '}
      {mayDecide && redaction.state !== 'accepted' && decide('accepted', t('review.accept'))}{' '}
      {mayDecide && redaction.state !== 'rejected' && decide('rejected', t('review.reject'))}{' '}
      {mayDecide &&
        redaction.source === 'person' &&
        button(`/desk/redactions/${redaction.id}/remove`, t('review.remove'))}
    </li>
  );
}

/** The redactions of one page or one field, each with its decisions; nothing when there are none. */
export function RedactionList({
  ctx,
  redactions,
  mayDecide,
  back,
}: {
  ctx: PageContext;
  redactions: readonly Redaction[];
  mayDecide: boolean;
  back: string;
}) {
  if (redactions.length === 0) return null;
  return (
    <ul class="plain-list redaction-list">
      {redactions.map((redaction) => (
        <RedactionItem key={redaction.id} ctx={ctx} redaction={redaction} mayDecide={mayDecide} back={back} />
      ))}
    </ul>
  );
}

/** The select of what a redaction holds. */
export function KindSelect({ ctx, id, value }: { ctx: PageContext; id: string; value: string }) {
  return (
    <div class="field">
      <label for={id} class="label">
        {ctx.messages.t('review.addKind')}
      </label>
      <select id={id} name="kind">
        {REDACTION_KINDS.map((kind) => (
          <option key={kind} value={kind} selected={(value || 'other') === kind}>
            {kindWords(ctx, kind)}
          </option>
        ))}
      </select>
    </div>
  );
}
