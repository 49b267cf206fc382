// /account/tokens: the API tokens you may manage (as GET /api/tokens lists them, an outlet's own among
// them for its admins), a form to make one — narrowed to one of your outlets, read-only, expiring — and,
// for an outlet's admin, a form to make the outlet's own token for its automation; a new token's secret is
// shown on the answer page only, once, and each token has a button to revoke it.
import type { User } from '../../schemas/people.ts';
import type { ApiToken } from '../../schemas/tokens.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from '../pageContext.ts';
import { ButtonForm, CsrfField, Field, FieldFrame, ListTable, NextPage, type Problem } from './formParts.tsx';
import { AccountNav, ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface TokenForm {
  name: string;
  outlet: string;
  read_only: boolean;
  expires_on: string;
}

export interface TokensView {
  tokens: { items: ApiToken[]; next_cursor: string | null };
  /** The outlets a token may be narrowed to (the person's own). */
  outlets: User['memberships'];
  /** The outlets whose own token the person may make (those they are an admin of). */
  adminOutlets: User['memberships'];
  form: TokenForm;
  /** The outlet token form, as posted (or empty). */
  outletForm: TokenForm;
  problems: Problem[];
  /** The token just made, with its secret: shown this once. */
  created?: (ApiToken & { token: string }) | undefined;
  revoked?: boolean | undefined;
}

export const EMPTY_TOKEN_FORM: TokenForm = { name: '', outlet: '', read_only: false, expires_on: '' };

export function renderTokensPage(ctx: PageContext, view: TokensView): string {
  return renderDocument(<TokensPage ctx={ctx} view={view} />);
}

function TokensPage({ ctx, view }: { ctx: PageContext; view: TokensView }) {
  const { t, date } = ctx.messages;
  const { form, problems } = view;
  return (
    <Layout ctx={ctx} title={t('tokens.title')}>
      <ErrorSummary ctx={ctx} problems={problems} />
      <h1>{t('tokens.title')}</h1>
      <AccountNav ctx={ctx} current="/account/tokens" />
      {view.created && (
        <div class="notice secret-box" role="status">
          <h2 id="new-token">{t('tokens.createdHeading', { name: view.created.name })}</h2>
          <p>{t('tokens.createdOnce')}</p>
          <pre aria-labelledby="new-token">
            <code id="token-secret">{view.created.token}</code>
          </pre>
        </div>
      )}
      {view.revoked && (
        <p class="notice" role="status">
          {t('tokens.revokedNotice')}
        </p>
      )}
      <p>{t('tokens.intro')}</p>
      <ListTable
        caption={t('tokens.title')}
        headings={[
          t('tokens.name'),
          t('tokens.rights'),
          t('tokens.lastUsed'),
          t('tokens.expires'),
          t('tokens.state'),
        ]}
        actionsLabel={t('sessions.actions')}
      >
        {view.tokens.items.length === 0 && (
          <tr>
            <td colSpan={6}>{t('tokens.none')}</td>
          </tr>
        )}
        {view.tokens.items.map((token) => (
          <tr key={token.id} id={`token-${token.id}`}>
            <td>{token.name}</td>
            <td>
              {[
                token.role === 'outlet'
                  ? t('tokens.outletOwn', { outlet: token.outlet?.slug ?? '' })
                  : token.outlet
                    ? t('tokens.narrowedTo', { outlet: token.outlet.slug })
                    : t('tokens.allRights'),
                token.read_only ? t('tokens.readOnly') : null,
              ]
                .filter(Boolean)
                .join('; ')}
            </td>
            <td>{token.last_used_at ? date(token.last_used_at) : t('tokens.neverUsed')}</td>
            <td>{token.expires_at ? date(token.expires_at) : t('tokens.noExpiry')}</td>
            <td>{t(`tokens.state.${token.state}` as MessageKey)}</td>
            <td>
              {token.state === 'live' && (
                <ButtonForm
                  ctx={ctx}
                  action={`/account/tokens/${token.id}/revoke`}
                  label={t('tokens.revoke')}
                />
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      <NextPage ctx={ctx} path="/account/tokens" cursor={view.tokens.next_cursor} />
      <section aria-labelledby="create-heading" class="narrow">
        <h2 id="create-heading">{t('tokens.createHeading')}</h2>
        <form action="/account/tokens" method="post" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            id="name"
            label={t('tokens.name')}
            hint={t('tokens.nameHint')}
            value={form.name}
            problems={problems}
          />
          <FieldFrame id="outlet" label={t('tokens.outlet')} problems={problems}>
            {(described, invalid) => (
              <select id="outlet" name="outlet" aria-invalid={invalid} aria-describedby={described}>
                <option value="" selected={form.outlet === ''}>
                  {t('tokens.allRights')}
                </option>
                {view.outlets.map((outlet) => (
                  <option
                    key={outlet.outlet_id}
                    value={outlet.outlet_slug}
                    selected={form.outlet === outlet.outlet_slug}
                  >
                    {t('tokens.narrowedTo', { outlet: outlet.outlet_slug })}
                  </option>
                ))}
              </select>
            )}
          </FieldFrame>
          <div class="field checkbox">
            <input id="read_only" name="read_only" type="checkbox" value="true" checked={form.read_only} />
            <label for="read_only">{t('tokens.readOnlyLabel')}</label>
          </div>
          <Field
            id="expires_on"
            type="date"
            label={t('tokens.expiresOn')}
            hint={t('tokens.expiresHint')}
            value={form.expires_on}
            problems={problems}
          />
          <button type="submit">{t('tokens.create')}</button>
        </form>
      </section>
      {view.adminOutlets.length > 0 && <OutletTokenForm ctx={ctx} view={view} />}
    </Layout>
  );
}

/** The outlet's own token (owner "outlet" of POST /api/tokens): for its admins, to run its automation. */
function OutletTokenForm({ ctx, view }: { ctx: PageContext; view: TokensView }) {
  const { t } = ctx.messages;
  const form = view.outletForm;
  const problems = view.problems;
  return (
    <section aria-labelledby="outlet-token-heading" class="narrow">
      <h2 id="outlet-token-heading">{t('tokens.outletTokenHeading')}</h2>
      <p>{t('tokens.outletTokenIntro')}</p>
      <form action="/account/tokens/outlet" method="post" novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="outlet_name"
          label={t('tokens.name')}
          hint={t('tokens.outletNameHint')}
          value={form.name}
          problems={problems}
        />
        <FieldFrame id="outlet_slug" label={t('tokens.outletTokenOutlet')} problems={problems}>
          {(described, invalid) => (
            <select id="outlet_slug" name="outlet_slug" aria-invalid={invalid} aria-describedby={described}>
              {view.adminOutlets.map((outlet) => (
                <option
                  key={outlet.outlet_id}
                  value={outlet.outlet_slug}
                  selected={form.outlet === outlet.outlet_slug}
                >
                  {outlet.outlet_slug}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <div class="field checkbox">
          <input
            id="outlet_read_only"
            name="outlet_read_only"
            type="checkbox"
            value="true"
            checked={form.read_only}
          />
          <label for="outlet_read_only">{t('tokens.readOnlyLabel')}</label>
        </div>
        <Field
          id="outlet_expires_on"
          type="date"
          label={t('tokens.expiresOn')}
          hint={t('tokens.expiresHint')}
          value={form.expires_on}
          problems={problems}
        />
        <button type="submit">{t('tokens.outletTokenCreate')}</button>
      </form>
    </section>
  );
}
