// /account/sessions: where you are signed in — each session's device, address and last use, live ones
// first — with a button to end any of them (a lost laptop) and one to sign out everywhere else.
import type { SessionSummary } from '../../schemas/sessions.ts';
import { deviceName } from '../deviceNames.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from '../pageContext.ts';
import { ButtonForm, ListTable, NextPage } from './formParts.tsx';
import { AccountNav, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export type SessionsNotice = 'ended' | 'endedOthers';

export interface SessionsView {
  sessions: { items: SessionSummary[]; next_cursor: string | null };
  notice?: SessionsNotice | undefined;
  endedOthers?: number | undefined;
}

export function renderSessionsPage(ctx: PageContext, view: SessionsView): string {
  return renderDocument(<SessionsPage ctx={ctx} view={view} />);
}

function SessionsPage({ ctx, view }: { ctx: PageContext; view: SessionsView }) {
  const { t, date } = ctx.messages;
  const minute = (iso: string) => `${date(iso)}, ${iso.slice(11, 16)} UTC`;
  const state = (session: SessionSummary) =>
    session.current
      ? t('sessions.current')
      : session.live
        ? t('sessions.live')
        : t(`sessions.ended.${session.end_reason ?? 'expired'}` as MessageKey);
  const othersLive = view.sessions.items.some((session) => session.live && !session.current);
  return (
    <Layout ctx={ctx} title={t('sessions.title')}>
      <h1>{t('sessions.title')}</h1>
      <AccountNav ctx={ctx} current="/account/sessions" />
      {view.notice && (
        <p class="notice" role="status">
          {view.notice === 'ended' ? t('sessions.endedNotice') : t('sessions.endedOthersNotice')}
        </p>
      )}
      <p>{t('sessions.intro')}</p>
      {othersLive && (
        <ButtonForm ctx={ctx} action="/account/sessions/end-others" label={t('sessions.endOthers')} />
      )}
      <ListTable
        caption={t('sessions.title')}
        headings={[t('sessions.device'), t('sessions.address'), t('sessions.lastUsed'), t('sessions.state')]}
        actionsLabel={t('sessions.actions')}
      >
        {view.sessions.items.map((session) => (
          <tr key={session.id} id={`session-${session.id}`}>
            <td>{deviceName(session.device) ?? t('sessions.unknownDevice')}</td>
            <td>{session.address ?? '—'}</td>
            <td>{minute(session.last_used_at)}</td>
            <td>{state(session)}</td>
            <td>
              {session.live && (
                <ButtonForm
                  ctx={ctx}
                  action={`/account/sessions/${session.id}/end`}
                  label={session.current ? t('nav.signOut') : t('sessions.end')}
                />
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      <NextPage ctx={ctx} path="/account/sessions" cursor={view.sessions.next_cursor} />
    </Layout>
  );
}
