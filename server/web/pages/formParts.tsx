// The pieces every account form shares: a labelled field with its problem beside it (GOV.UK's pattern,
// the same as the sign-in form's), the session's form token, and a form that posts one button's action.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../pageContext.ts';

/** A problem with one field of a form, in the reader's language; `field` is the input's id. */
export interface Problem {
  field: string;
  message: string;
}

export const problemOf = (problems: readonly Problem[], field: string) =>
  problems.find((problem) => problem.field === field)?.message;

export interface FieldProps {
  id: string;
  label: string;
  problems: readonly Problem[];
  hint?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string | undefined;
  autocomplete?: string;
}

/** A labelled control of a form, with its hint and its problem beside it; `children` makes the control. */
export function FieldFrame({
  id,
  label,
  problems,
  hint,
  children,
}: {
  id: string;
  label: string;
  problems: readonly Problem[];
  hint?: string | undefined;
  /** The control, given its aria-describedby and aria-invalid. */
  children: (described: string | undefined, invalid: 'true' | undefined) => ComponentChildren;
}) {
  const problem = problemOf(problems, id);
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={problem ? 'field field-error' : 'field'}>
      <label for={id} class="label">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-error`} class="error-message">
          {problem}
        </p>
      )}
      {children(described || undefined, problem ? 'true' : undefined)}
    </div>
  );
}

export function Field({ id, label, problems, hint, type = 'text', value, autocomplete }: FieldProps) {
  return (
    <FieldFrame id={id} label={label} problems={problems} hint={hint}>
      {(described, invalid) => (
        <input
          id={id}
          name={id}
          type={type}
          value={value}
          autocomplete={autocomplete}
          spellcheck={false}
          aria-invalid={invalid}
          aria-describedby={described}
        />
      )}
    </FieldFrame>
  );
}

/** The session's form token, when this browser has a session (a token caller needs none). */
export function CsrfField({ ctx }: { ctx: PageContext }) {
  return ctx.csrfToken ? <input type="hidden" name="_csrf" value={ctx.csrfToken} /> : null;
}

/** A form that is one button: end a session, revoke a token, remove a member. */
export function ButtonForm({
  ctx,
  action,
  label,
  children,
}: {
  ctx: PageContext;
  action: string;
  label: string;
  children?: ComponentChildren;
}) {
  return (
    <form action={action} method="post" class="inline-form">
      <CsrfField ctx={ctx} />
      {children}
      <button type="submit" class="secondary-button">
        {label}
      </button>
    </form>
  );
}

/** A "next page" link for a keyset-paginated list. */
export function NextPage({ ctx, path, cursor }: { ctx: PageContext; path: string; cursor: string | null }) {
  if (cursor === null) return null;
  return (
    <nav aria-label={ctx.messages.t('pagination.label')} class="pagination">
      <a rel="next" href={`${path}?cursor=${encodeURIComponent(cursor)}`}>
        {ctx.messages.t('pagination.next')}
      </a>
    </nav>
  );
}

/**
 * A list as a table (sessions, tokens, an outlet's people): a hidden caption, a heading for each column
 * and a last, unlabelled one for the row's buttons, scrolling sideways on a phone.
 */
export function ListTable({
  caption,
  headings,
  actionsLabel,
  children,
}: {
  caption: string;
  headings: readonly string[];
  actionsLabel: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-scroll">
      <table class="list-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headings.map((heading) => (
              <th scope="col" key={heading}>
                {heading}
              </th>
            ))}
            <th scope="col">
              <span class="visually-hidden">{actionsLabel}</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
