// The 404 and error pages, in the layout: the error's code chooses the words from the catalogue, so an
// API error reaching a page is shown in the reader's language.
import type { ErrorCode } from '../../errors.ts';
import { CATALOGUES, type MessageKey } from '../i18n/messages.ts';
import type { PageContext } from '../pageContext.ts';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export function errorMessageKey(code: ErrorCode): MessageKey {
  const key = `error.${code}`;
  return key in CATALOGUES.en ? (key as MessageKey) : 'error.other';
}

export function renderErrorPage(ctx: PageContext, code: ErrorCode): string {
  const { t } = ctx.messages;
  const notFound = code === 'not_found' || code === 'route_not_found';
  const message = t(errorMessageKey(code));
  return renderDocument(
    <Layout ctx={ctx} title={notFound ? message : t('error.title')}>
      <div class="narrow">
        <h1>{notFound ? message : t('error.title')}</h1>
        {!notFound && <p>{message}</p>}
        <p>
          <a href="/">{t('error.back')}</a>
        </p>
      </div>
    </Layout>,
  );
}
