// /account: who you are here (name, e-mail, your outlets and roles, researcher access), links to your
// sessions and tokens and to the people of the outlets you administer, and the form to change your
// password. It posts to /account/password, which calls the same command as POST /api/me/password.
import type { User } from '../../schemas/people.ts';
import type { PageContext } from '../pageContext.ts';
import { CsrfField, Field, type Problem } from './formParts.tsx';
import { AccountNav, ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export type AccountNotice = 'password' | 'welcome';

export interface AccountView {
  user: User;
  notice?: AccountNotice | undefined;
  problems: Problem[];
}

export function renderAccountPage(ctx: PageContext, view: AccountView): string {
  return renderDocument(<AccountPage ctx={ctx} view={view} />);
}

function AccountPage({ ctx, view }: { ctx: PageContext; view: AccountView }) {
  const { t } = ctx.messages;
  const { user, problems } = view;
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      <ErrorSummary ctx={ctx} problems={problems} />
      <h1>{t('account.title')}</h1>
      <AccountNav ctx={ctx} current="/account" />
      {view.notice && (
        <p class="notice" role="status">
          {t(view.notice === 'password' ? 'account.passwordChanged' : 'account.welcome')}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('account.name')}</dt>
          <dd>{user.display_name}</dd>
        </div>
        <div>
          <dt>{t('account.email')}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t('account.roles')}</dt>
          <dd>
            {user.is_editor && <p>{t('account.editor')}</p>}
            {user.researcher && (
              <p>
                {user.researcher_until === 'infinity'
                  ? t('account.researcher')
                  : t('account.researcherUntil', { date: ctx.messages.date(user.researcher_until!) })}
              </p>
            )}
            {user.memberships.length === 0 && !user.is_editor && !user.researcher && (
              <p>{t('account.noRoles')}</p>
            )}
            {user.memberships.length > 0 && (
              <ul class="plain-list memberships">
                {user.memberships.map((membership) => (
                  <li key={membership.outlet_id}>
                    {t(membership.role === 'admin' ? 'account.adminOf' : 'account.memberOf', {
                      outlet: membership.outlet_slug,
                    })}
                    {membership.role === 'admin' && (
                      <>
                        {' '}
                        <a href={`/outlets/${membership.outlet_slug}/people`}>
                          {t('account.outletPeopleLink', { outlet: membership.outlet_slug })}
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="password-heading" class="narrow">
        <h2 id="password-heading">{t('account.passwordHeading')}</h2>
        <p class="hint">{t('account.passwordIntro')}</p>
        <form action="/account/password" method="post" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="current_password"
            type="password"
            autocomplete="current-password"
            label={t('account.currentPassword')}
            problems={problems}
          />
          <Field
            id="new_password"
            type="password"
            autocomplete="new-password"
            label={t('account.newPassword')}
            hint={t('password.rule')}
            problems={problems}
          />
          <button type="submit">{t('account.changePassword')}</button>
        </form>
      </section>
    </Layout>
  );
}
