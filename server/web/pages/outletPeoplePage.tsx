// /outlets/<slug>/people: an outlet's people for its admins and the archive's editors — who they are,
// their role and since when, a button to take each off the outlet, the invitations still waiting, and
// the form to invite someone (the link is shown on the answer page, once, and mailed where SMTP is set).
import type { Invitation, Member } from '../../schemas/people.ts';
import type { PageContext } from '../pageContext.ts';
import { ButtonForm, CsrfField, Field, ListTable, NextPage, problemOf, type Problem } from './formParts.tsx';
import { ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface InviteForm {
  email: string;
  role: 'member' | 'admin';
}

export interface OutletPeopleView {
  outlet: { id: number; slug: string };
  members: { items: Member[]; next_cursor: string | null };
  invitations: Invitation[];
  form: InviteForm;
  problems: Problem[];
  /** The invitation just made: its link, shown once, and whether it was mailed. */
  invited?: { email: string; link: string; mailed: boolean } | undefined;
  removed?: boolean | undefined;
}

export function renderOutletPeoplePage(ctx: PageContext, view: OutletPeopleView): string {
  return renderDocument(<OutletPeoplePage ctx={ctx} view={view} />);
}

function OutletPeoplePage({ ctx, view }: { ctx: PageContext; view: OutletPeopleView }) {
  const { t, date } = ctx.messages;
  const { outlet, problems } = view;
  const base = `/outlets/${outlet.slug}/people`;
  const roleProblem = problemOf(problems, 'role');
  return (
    <Layout ctx={ctx} title={t('people.title', { outlet: outlet.slug })}>
      <ErrorSummary ctx={ctx} problems={problems} />
      <h1>{t('people.title', { outlet: outlet.slug })}</h1>
      {view.invited && (
        <div class="notice secret-box" role="status">
          <h2 id="invitation-link">{t('people.invitedHeading', { email: view.invited.email })}</h2>
          <p>{t(view.invited.mailed ? 'people.invitedMailed' : 'people.invitedHandOver')}</p>
          <pre aria-labelledby="invitation-link">
            <code id="invitation-url">{view.invited.link}</code>
          </pre>
        </div>
      )}
      {view.removed && (
        <p class="notice" role="status">
          {t('people.removedNotice')}
        </p>
      )}
      <ListTable
        caption={t('people.membersHeading')}
        headings={[t('account.name'), t('account.email'), t('people.role'), t('people.since')]}
        actionsLabel={t('sessions.actions')}
      >
        {view.members.items.map((member) => (
          <tr key={member.user_id} id={`member-${member.user_id}`}>
            <td>
              {member.display_name}
              {member.disabled && ` (${t('people.disabled')})`}
            </td>
            <td>{member.email}</td>
            <td>{t(member.role === 'admin' ? 'people.roleAdmin' : 'people.roleMember')}</td>
            <td>{date(member.since)}</td>
            <td>
              <ButtonForm
                ctx={ctx}
                action={`${base}/${member.user_id}/remove`}
                label={t('people.remove', { name: member.display_name })}
              />
            </td>
          </tr>
        ))}
      </ListTable>
      <NextPage ctx={ctx} path={base} cursor={view.members.next_cursor} />
      <h2>{t('people.pendingHeading')}</h2>
      {view.invitations.length === 0 ? (
        <p>{t('people.noPending')}</p>
      ) : (
        <ul class="plain-list">
          {view.invitations.map((invitation) => (
            <li key={invitation.id}>
              {t('people.pending', {
                email: invitation.email,
                role: t(invitation.role === 'admin' ? 'people.roleAdmin' : 'people.roleMember'),
                date: date(invitation.expires_at),
              })}
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="invite-heading" class="narrow">
        <h2 id="invite-heading">{t('people.inviteHeading')}</h2>
        <form action={base} method="post" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="email"
            type="email"
            autocomplete="off"
            label={t('account.email')}
            value={view.form.email}
            problems={problems}
          />
          <fieldset class={roleProblem ? 'field field-error' : 'field'}>
            <legend class="label">{t('people.role')}</legend>
            {roleProblem && <p class="error-message">{roleProblem}</p>}
            {(['member', 'admin'] as const).map((role) => (
              <div class="checkbox" key={role}>
                <input
                  id={role === 'member' ? 'role' : 'role-admin'}
                  type="radio"
                  name="role"
                  value={role}
                  checked={view.form.role === role}
                />
                <label for={role === 'member' ? 'role' : 'role-admin'}>
                  {t(role === 'admin' ? 'people.roleAdminHint' : 'people.roleMemberHint')}
                </label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{t('people.invite')}</button>
        </form>
      </section>
    </Layout>
  );
}
