// The sign-in form. It posts to /sign-in, which calls the same sign-in command as POST /api/session; a
// problem re-renders it with the message beside its field and in the error summary at the top.
import type { PageContext } from '../pageContext.ts';
import { ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface SignInForm {
  email: string;
  next: string;
  /** Problems by field id (`email`, `password`). */
  problems: { field: 'email' | 'password'; message: string }[];
  /** Arrived here having just set a new password with a reset link. */
  passwordReset?: boolean;
}

export function renderSignInPage(ctx: PageContext, form: SignInForm): string {
  return renderDocument(<SignInPage ctx={ctx} form={form} />);
}

function SignInPage({ ctx, form }: { ctx: PageContext; form: SignInForm }) {
  const { t } = ctx.messages;
  const problemOf = (field: string) => form.problems.find((problem) => problem.field === field)?.message;
  const emailProblem = problemOf('email');
  const passwordProblem = problemOf('password');
  return (
    <Layout ctx={ctx} title={t('signIn.title')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={form.problems} />
        <h1>{t('signIn.title')}</h1>
        {form.passwordReset && (
          <p class="notice" role="status">
            {t('reset.done')}
          </p>
        )}
        <p>{t('signIn.intro')}</p>
        {ctx.signedInName && <p class="notice">{t('signIn.alreadySignedIn', { name: ctx.signedInName })}</p>}
        <form action="/sign-in" method="post" novalidate>
          {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
          <input type="hidden" name="next" value={form.next} />
          <div class={emailProblem ? 'field field-error' : 'field'}>
            <label for="email" class="label">
              {t('signIn.email')}
            </label>
            {emailProblem && (
              <p id="email-error" class="error-message">
                {emailProblem}
              </p>
            )}
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              spellcheck={false}
              value={form.email}
              aria-invalid={emailProblem ? 'true' : undefined}
              aria-describedby={emailProblem ? 'email-error' : undefined}
            />
          </div>
          <div class={passwordProblem ? 'field field-error' : 'field'}>
            <label for="password" class="label">
              {t('signIn.password')}
            </label>
            {passwordProblem && (
              <p id="password-error" class="error-message">
                {passwordProblem}
              </p>
            )}
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              aria-invalid={passwordProblem ? 'true' : undefined}
              aria-describedby={passwordProblem ? 'password-error' : undefined}
            />
          </div>
          <button type="submit">{t('signIn.submit')}</button>
        </form>
        <p>
          <a href="/password-reset/request">{t('signIn.forgot')}</a>
        </p>
      </div>
    </Layout>
  );
}
