// The pages a one-time link opens: accepting an invitation (name and password; the account is made and
// signed in) and setting a new password, plus the form that asks for a reset link. A link's secret comes
// after # (it never reaches a server log): enhance.js copies it into the code field; without JavaScript
// the reader pastes it.
import type { PageContext } from '../pageContext.ts';
import { CsrfField, Field, type Problem } from './formParts.tsx';
import { ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface InvitationForm {
  /** The link's code as sent, kept when another field has the problem. */
  token: string;
  display_name: string;
  problems: Problem[];
}

export function renderInvitationPage(ctx: PageContext, form: InvitationForm): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('invitation.title')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={form.problems} />
        <h1>{t('invitation.title')}</h1>
        <p>{t('invitation.intro')}</p>
        <form action="/invitations/accept" method="post" novalidate>
          <CsrfField ctx={ctx} />
          <LinkCodeField ctx={ctx} value={form.token} problems={form.problems} />
          <Field
            id="display_name"
            label={t('invitation.name')}
            hint={t('invitation.nameHint')}
            autocomplete="name"
            value={form.display_name}
            problems={form.problems}
          />
          <Field
            id="password"
            type="password"
            autocomplete="new-password"
            label={t('invitation.password')}
            hint={t('invitation.passwordHint')}
            problems={form.problems}
          />
          <button type="submit">{t('invitation.submit')}</button>
        </form>
      </div>
    </Layout>,
  );
}

export interface ResetRequestView {
  email: string;
  problems: Problem[];
  /** Set once asked: whether the link goes by mail, or an editor must hand one over. */
  sent?: 'mail' | 'editor' | undefined;
}

export function renderResetRequestPage(ctx: PageContext, view: ResetRequestView): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('reset.requestTitle')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={view.problems} />
        <h1>{t('reset.requestTitle')}</h1>
        {view.sent ? (
          <p class="notice" role="status">
            {t(view.sent === 'mail' ? 'reset.sentByMail' : 'reset.askEditor')}
          </p>
        ) : (
          <>
            <p>{t('reset.requestIntro')}</p>
            <form action="/password-reset/request" method="post" novalidate>
              <CsrfField ctx={ctx} />
              <Field
                id="email"
                type="email"
                autocomplete="email"
                label={t('signIn.email')}
                value={view.email}
                problems={view.problems}
              />
              <button type="submit">{t('reset.requestSubmit')}</button>
            </form>
          </>
        )}
        <p>
          <a href="/password-reset">{t('reset.haveLink')}</a>
        </p>
      </div>
    </Layout>,
  );
}

export function renderResetPage(ctx: PageContext, token: string, problems: Problem[]): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('reset.title')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={problems} />
        <h1>{t('reset.title')}</h1>
        <p>{t('reset.intro')}</p>
        <form action="/password-reset" method="post" novalidate>
          <CsrfField ctx={ctx} />
          <LinkCodeField ctx={ctx} value={token} problems={problems} />
          <Field
            id="password"
            type="password"
            autocomplete="new-password"
            label={t('account.newPassword')}
            hint={t('password.rule')}
            problems={problems}
          />
          <button type="submit">{t('reset.submit')}</button>
        </form>
        <p>
          <a href="/password-reset/request">{t('reset.noLink')}</a>
        </p>
      </div>
    </Layout>,
  );
}

/** /sign-in/link: where a mailed sign-in link leads; the code from the link signs the browser in. */
export function renderSignInLinkPage(ctx: PageContext, token: string, problems: Problem[]): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('signInLink.title')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={problems} />
        <h1>{t('signInLink.title')}</h1>
        <p>{t('signInLink.intro')}</p>
        <form action="/sign-in/link" method="post" novalidate>
          <CsrfField ctx={ctx} />
          <LinkCodeField ctx={ctx} value={token} problems={problems} />
          <button type="submit">{t('signInLink.submit')}</button>
        </form>
        <p>
          <a href="/sign-in">{t('signInLink.withPassword')}</a>
        </p>
      </div>
    </Layout>,
  );
}

/** The link's secret: filled from the address's # by enhance.js, pasted by hand without JavaScript. */
function LinkCodeField({
  ctx,
  value,
  problems,
}: {
  ctx: PageContext;
  value: string;
  problems: readonly Problem[];
}) {
  const { t } = ctx.messages;
  return (
    <div data-link-code>
      <Field
        id="token"
        label={t('link.code')}
        hint={t('link.codeHint')}
        autocomplete="off"
        value={problems.some((problem) => problem.field === 'token') ? '' : value}
        problems={problems}
      />
    </div>
  );
}
