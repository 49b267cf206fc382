// /about: what the archive is, who runs it, and where the API is described.
import type { PageContext } from '../pageContext.ts';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export function renderAboutPage(ctx: PageContext): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('about.title')}>
      <div class="narrow prose">
        <h1>{t('about.title')}</h1>
        <p class="lead">{t('about.what')}</p>
        <p>{t('about.how')}</p>
        <h2>{t('about.whoHeading')}</h2>
        <p>{t('about.who')}</p>
        <h2>{t('about.apiHeading')}</h2>
        <p>{t('about.api')}</p>
        <p>
          <a href="/docs">{t('about.apiLink')}</a>
        </p>
      </div>
    </Layout>,
  );
}
