// The frame of every page: skip link, header (archive name, search box, menu, language switcher, sign-in
// or the signed-in name with sign-out), main, and the footer linking /about and the API's /docs.
import type { ComponentChildren } from 'preact';
import { LANGUAGE_NAMES, LOCALES } from '../i18n/messages.ts';
import { withLanguage, type PageContext } from '../pageContext.ts';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** The search page has its own big box: no second one in the header. */
  headerSearch?: boolean;
  /** Extra <head> elements (a feed link). */
  head?: ComponentChildren;
  children: ComponentChildren;
}

export function Layout({ ctx, title, headerSearch = true, head, children }: LayoutProps) {
  const { t } = ctx.messages;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t('site.name')}`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="stylesheet" href="/assets/print.css" media="print" />
        <script type="module" src="/assets/enhance.js"></script>
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="site-name" href="/">
              {t('site.name')}
            </a>
            {headerSearch && (
              <form class="header-search" role="search" action="/" method="get">
                <label for="header-q" class="visually-hidden">
                  {t('search.label')}
                </label>
                <input id="header-q" name="q" type="search" autocomplete="off" />
                <button type="submit">{t('search.button')}</button>
              </form>
            )}
          </div>
          <div class="wrap header-row header-nav">
            <nav aria-label={t('nav.main')}>
              <ul class="inline-list">
                <li>
                  <a href="/">{t('nav.search')}</a>
                </li>
                <li>
                  <a href="/stats">{t('nav.stats')}</a>
                </li>
                <li>
                  <a href="/about">{t('nav.about')}</a>
                </li>
                <DeskLinks ctx={ctx} />
                <SessionLinks ctx={ctx} />
              </ul>
            </nav>
            <nav aria-label={t('nav.language')} class="languages">
              <ul class="inline-list">
                {LOCALES.map((locale) => (
                  <li key={locale}>
                    <a
                      href={withLanguage(ctx.path, locale)}
                      lang={locale}
                      hreflang={locale}
                      aria-current={locale === ctx.locale ? 'true' : undefined}
                    >
                      {LANGUAGE_NAMES[locale]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <nav aria-label={t('footer.label')}>
              <ul class="inline-list">
                <li>
                  <a href="/about">{t('nav.about')}</a>
                </li>
                <li>
                  <a href="/docs">{t('nav.api')}</a>
                </li>
              </ul>
            </nav>
            <p>{t('footer.licence')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The desk and upload pages, for a signed-in member of an outlet or an editor. */
function DeskLinks({ ctx }: { ctx: PageContext }) {
  const { caller } = ctx;
  const member = caller.kind === 'editor' || (caller.kind === 'account' && caller.outletIds.length > 0);
  if (ctx.signedInName === null || !member) return null;
  return (
    <>
      <li>
        <a href="/desk">{ctx.messages.t('nav.desk')}</a>
      </li>
      <li>
        <a href="/upload">{ctx.messages.t('nav.upload')}</a>
      </li>
    </>
  );
}

function SessionLinks({ ctx }: { ctx: PageContext }) {
  const { t } = ctx.messages;
  if (ctx.signedInName === null || ctx.csrfToken === null) {
    const back = ctx.path.startsWith('/sign-in') ? '' : `?next=${encodeURIComponent(ctx.path)}`;
    return (
      <li>
        <a href={`/sign-in${back}`}>{t('nav.signIn')}</a>
      </li>
    );
  }
  return (
    <li class="signed-in">
      <a href="/account">{t('nav.signedInAs', { name: ctx.signedInName })}</a>{' '}
      <form action="/sign-out" method="post" class="inline-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" class="link-button">
          {t('nav.signOut')}
        </button>
      </form>
    </li>
  );
}

/** GOV.UK's error summary: at the top of a form, each problem linking to its field. */
export function ErrorSummary({
  ctx,
  problems,
}: {
  ctx: PageContext;
  problems: { field: string; message: string }[];
}) {
  if (problems.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{ctx.messages.t('errorSummary.title')}</h2>
      <ul>
        {problems.map((problem) => (
          <li key={problem.field}>
            <a href={`#${problem.field}`}>{problem.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The account's own menu: the account, its sessions, its tokens (the current one marked). */
export function AccountNav({ ctx, current }: { ctx: PageContext; current: string }) {
  const { t } = ctx.messages;
  const links = [
    ['/account', t('account.title')],
    ['/account/sessions', t('sessions.title')],
    ['/account/tokens', t('tokens.title')],
  ] as const;
  return (
    <nav aria-label={t('account.menu')} class="account-nav">
      <ul class="inline-list">
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href} aria-current={href === current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
