// An order on the desk: its documents as they are being read (with a refresh link; with JavaScript,
// enhance.js polls their status and reloads the page once they are read), then the order form, its empty
// fields pre-filled from the suggestions and marked "suggested" until confirmed.
import { DEMANDED_ACTIONS } from '../../../domain/orderVocabulary.ts';
import type { OrderStory } from '../../schemas/orders.ts';
import type { Authority } from '../../schemas/references.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { FormField, OrderForm } from '../orderForm.ts';
import { authorityWords, vocabularyWords } from '../orderWords.ts';
import type { PageContext } from '../pageContext.ts';
import { ErrorSummary, Layout } from './layout.tsx';
import { DocumentProgress } from './deskParts.tsx';
import { renderDocument } from './render.ts';

export interface OrderFormPage {
  story: OrderStory;
  form: OrderForm;
  authorities: Authority[];
}

export function renderOrderFormPage(ctx: PageContext, page: OrderFormPage): string {
  return renderDocument(<OrderFormView ctx={ctx} page={page} />);
}

const READING = new Set(['pending', 'processing']);

function OrderFormView({ ctx, page }: { ctx: PageContext; page: OrderFormPage }) {
  const { t } = ctx.messages;
  const { story, form } = page;
  const reading = story.documents.some((document) => READING.has(document.status));
  const problems = form.problems.map((problem) => ({
    field: problem.field === 'form' ? 'order-form' : problem.field,
    message: problem.message,
  }));
  const field = (name: FormField) => ({
    problem: form.problems.find((problem) => problem.field === name)?.message,
    suggested: form.suggested[name] !== undefined,
  });
  return (
    <Layout ctx={ctx} title={t('orderForm.title', { id: story.id })}>
      <ErrorSummary ctx={ctx} problems={problems} />
      <h1>{t('orderForm.title', { id: story.id })}</h1>
      <p>
        {story.draft ? t('orderForm.draftIntro') : t('orderForm.intro')}{' '}
        {!story.draft && <a href={`/orders/${story.id}`}>{t('orderForm.publicPage')}</a>}
      </p>
      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading">{t('order.documents')}</h2>
        <DocumentProgress ctx={ctx} documents={story.documents} />
        {reading && (
          <p class="refresh" data-poll-documents={story.documents.map((document) => document.id).join(',')}>
            {t('orderForm.reading')} <a href={ctx.path}>{t('orderForm.refresh')}</a>
          </p>
        )}
      </section>
      <form action={`/desk/orders/${story.id}`} method="post" id="order-form" class="order-form" novalidate>
        {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
        <input type="hidden" name="etag" value={form.etag} />
        <h2>{t('orderForm.fields')}</h2>
        {Object.keys(form.suggested).length > 0 && <p class="hint">{t('orderForm.suggestedIntro')}</p>}
        <Field ctx={ctx} name="authority" label="order.authority" {...field('authority')}>
          {(describedBy, invalid) => (
            <select id="authority" name="authority" aria-describedby={describedBy} aria-invalid={invalid}>
              <option value="">{t('orderForm.chooseAuthority')}</option>
              {page.authorities.map((authority) => (
                <option
                  key={authority.slug}
                  value={authority.slug}
                  selected={authority.slug === form.values.authority}
                >
                  {`${authorityWords(ctx.messages, authority)} (${ctx.messages.country(authority.country)})`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field ctx={ctx} name="reference_number" label="order.reference" {...field('reference_number')}>
          {(describedBy, invalid) => (
            <input
              id="reference_number"
              name="reference_number"
              type="text"
              value={form.values.reference_number}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        {(['issued_on', 'received_on', 'deadline_on'] as const).map((name) => (
          <Field key={name} ctx={ctx} name={name} label={`orderForm.${name}`} {...field(name)}>
            {(describedBy, invalid) => (
              <input
                id={name}
                name={name}
                type="date"
                value={form.values[name]}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
        ))}
        <Field
          ctx={ctx}
          name="legal_basis"
          label="order.legalBasis"
          hint="orderForm.legalBasisHint"
          {...field('legal_basis')}
        >
          {(describedBy, invalid) => (
            <textarea
              id="legal_basis"
              name="legal_basis"
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            >
              {form.values.legal_basis}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="demanded_actions" label="order.demanded" group {...field('demanded_actions')}>
          {() =>
            DEMANDED_ACTIONS.map((action) => (
              <div class="choice" key={action}>
                <input
                  id={`action-${action}`}
                  name="demanded_actions"
                  type="checkbox"
                  value={action}
                  checked={form.values.demanded_actions.includes(action)}
                />
                <label for={`action-${action}`}>{vocabularyWords(ctx.messages, 'action', action)}</label>
              </div>
            ))
          }
        </Field>
        {story.targets.length > 0 && (
          <div class="field">
            <p class="label">{t('order.targets')}</p>
            <ul class="plain-list">
              {story.targets.map((target) => (
                <li key={target.id} class="url">
                  {target.article.canonical_url}
                </li>
              ))}
            </ul>
          </div>
        )}
        <Field
          ctx={ctx}
          name="targets"
          label="orderForm.targets"
          hint="orderForm.targetsHint"
          {...field('targets')}
        >
          {(describedBy, invalid) => (
            <textarea
              id="targets"
              name="targets"
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            >
              {form.values.targets}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="visibility" label="order.visibility" group {...field('visibility')}>
          {() =>
            (['private', 'embargoed', 'public'] as const).map((visibility) => (
              <div class="choice" key={visibility}>
                <input
                  id={`visibility-${visibility}`}
                  name="visibility"
                  type="radio"
                  value={visibility}
                  checked={form.values.visibility === visibility}
                />
                <label for={`visibility-${visibility}`}>
                  {vocabularyWords(ctx.messages, 'visibility', visibility)}
                </label>
              </div>
            ))
          }
        </Field>
        <Field
          ctx={ctx}
          name="embargo_on"
          label="orderForm.embargo_on"
          hint="orderForm.embargoHint"
          {...field('embargo_on')}
        >
          {(describedBy, invalid) => (
            <input
              id="embargo_on"
              name="embargo_on"
              type="date"
              value={form.values.embargo_on}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field ctx={ctx} name="summary" label="order.summary" {...field('summary')}>
          {(describedBy, invalid) => (
            <textarea
              id="summary"
              name="summary"
              rows={4}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            >
              {form.values.summary}
            </textarea>
          )}
        </Field>
        <button type="submit">{t('orderForm.submit')}</button>
      </form>
    </Layout>
  );
}

/**
 * A labelled field: its hint, its problem, and, while it holds an unconfirmed suggestion, the "suggested"
 * mark with a box to confirm it. A group of checkboxes or radios is a fieldset with a legend.
 */
function Field({
  ctx,
  name,
  label,
  hint,
  group = false,
  problem,
  suggested,
  children,
}: {
  ctx: PageContext;
  name: FormField;
  label: MessageKey;
  hint?: MessageKey;
  group?: boolean;
  problem: string | undefined;
  suggested: boolean;
  children: (describedBy: string | undefined, invalid: 'true' | undefined) => preact.ComponentChildren;
}) {
  const { t } = ctx.messages;
  const ids = [hint && `${name}-hint`, suggested && `${name}-suggested`, problem && `${name}-error`].filter(
    Boolean,
  );
  const describedBy = ids.length ? ids.join(' ') : undefined;
  const parts = (
    <>
      {hint && (
        <p id={`${name}-hint`} class="hint">
          {t(hint)}
        </p>
      )}
      {suggested && (
        <p id={`${name}-suggested`} class="suggested">
          <span class="suggested-tag">{t('orderForm.suggested')}</span>{' '}
          <input id={`confirm-${name}`} name="confirm" type="checkbox" value={name} />{' '}
          <label for={`confirm-${name}`}>{t('orderForm.confirm')}</label>
        </p>
      )}
      {problem && (
        <p id={`${name}-error`} class="error-message">
          {problem}
        </p>
      )}
      {children(describedBy, problem ? 'true' : undefined)}
    </>
  );
  const classes = ['field', problem && 'field-error', suggested && 'field-suggested']
    .filter(Boolean)
    .join(' ');
  if (group) {
    return (
      <fieldset class={classes} id={name} aria-describedby={describedBy}>
        <legend class="label">{t(label)}</legend>
        {parts}
      </fieldset>
    );
  }
  return (
    <div class={classes}>
      <label for={name} class="label">
        {t(label)}
      </label>
      {parts}
    </div>
  );
}
