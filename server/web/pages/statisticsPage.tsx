// /stats: how many orders the reader may see, by month, authority, country, law, demanded action and
// outcome, each as a chart drawn on the server with its table beside it and a CSV link; the filters are
// the search page's (the same query parameters), so a search's facets lead here and back.
import type { PageContext } from '../pageContext.ts';
import type { Bar } from '../statisticsCharts.ts';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface StatisticsSection {
  group: string;
  heading: string;
  bars: Bar[];
  svg: string;
  csv: string;
}

export function renderStatisticsPage(
  ctx: PageContext,
  view: { total: number; sections: StatisticsSection[]; searchLink: string },
): string {
  const { t, number } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('stats.title')}>
      <h1>{t('stats.title')}</h1>
      <p>{t('stats.intro', { count: view.total })}</p>
      <p>
        <a href={view.searchLink}>{t('stats.toSearch')}</a>
      </p>
      {view.sections.map((section) => (
        <section key={section.group} aria-labelledby={`stats-${section.group}`} class="stats-section">
          <h2 id={`stats-${section.group}`}>{section.heading}</h2>
          {section.bars.length === 0 ? (
            <p>{t('stats.none')}</p>
          ) : (
            <div class="stats-pair">
              <div class="stats-chart" dangerouslySetInnerHTML={{ __html: section.svg }} />
              <table class="list-table stats-table">
                <caption class="visually-hidden">{section.heading}</caption>
                <thead>
                  <tr>
                    <th scope="col">{section.heading}</th>
                    <th scope="col">{t('stats.orders')}</th>
                  </tr>
                </thead>
                <tbody>
                  {section.bars.map((bar) => (
                    <tr key={bar.label}>
                      <td>{bar.label}</td>
                      <td>{number(bar.orders)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p>
            <a href={section.csv}>{t('stats.csv', { what: section.heading })}</a>
          </p>
        </section>
      ))}
    </Layout>,
  );
}
