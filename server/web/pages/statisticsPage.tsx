// /stats: how many orders the reader may see — first per authority per month, then by month, authority,
// country, law, demanded action, outcome and status — each as a chart drawn on the server with its table
// beside it and a CSV link. The filters are the search page's (the same query parameters), in a GET form
// that works without JavaScript, so a search leads here and back.
import type { PageContext } from '../pageContext.ts';
import type { Bar } from '../statisticsCharts.ts';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface StatisticsSection {
  group: string;
  heading: string;
  hint?: string | undefined;
  bars: Bar[];
  svg: string;
  csv: string;
}

export interface MatrixView {
  heading: string;
  /** Authorities' names (and "other"), then the rows' months. */
  columns: string[];
  months: string[];
  counts: number[][];
  totals: number[];
  monthsLeftOut: number;
  svg: string;
  csv: string;
}

export type FilterField =
  | {
      kind: 'select';
      name: string;
      label: string;
      multiple: boolean;
      options: { value: string; label: string; selected: boolean }[];
    }
  | { kind: 'date'; name: string; label: string; value: string | undefined };

export interface StatisticsView {
  total: number;
  matrix: MatrixView;
  sections: StatisticsSection[];
  searchLink: string;
  filters: FilterField[];
}

export function renderStatisticsPage(ctx: PageContext, view: StatisticsView): string {
  const { t } = ctx.messages;
  return renderDocument(
    <Layout ctx={ctx} title={t('stats.title')}>
      <h1>{t('stats.title')}</h1>
      <p>{t('stats.intro', { count: view.total })}</p>
      <p>
        <a href={view.searchLink}>{t('stats.toSearch')}</a>
      </p>
      <FilterForm ctx={ctx} fields={view.filters} />
      <MatrixSection ctx={ctx} matrix={view.matrix} />
      {view.sections.map((section) => (
        <CountSection key={section.group} ctx={ctx} section={section} />
      ))}
    </Layout>,
  );
}

function FilterForm({ ctx, fields }: { ctx: PageContext; fields: FilterField[] }) {
  const { t } = ctx.messages;
  return (
    <form class="stats-filters" action="/stats" method="get" aria-labelledby="stats-filters">
      <h2 id="stats-filters">{t('stats.filters')}</h2>
      <div class="stats-filter-fields">
        {fields.map((field) => (
          <div key={field.name} class="field">
            <label for={`filter-${field.name}`} class="label">
              {field.label}
            </label>
            {field.kind === 'date' ? (
              <input id={`filter-${field.name}`} name={field.name} type="date" value={field.value ?? ''} />
            ) : (
              <select id={`filter-${field.name}`} name={field.name} multiple={field.multiple}>
                {!field.multiple && <option value="">{t('stats.any')}</option>}
                {field.options.map((option) => (
                  <option key={option.value} value={option.value} selected={option.selected}>
                    {option.label}
                  </option>
                ))}
              </select>
            )}
          </div>
        ))}
      </div>
      <div class="stats-filter-actions">
        <button type="submit">{t('stats.apply')}</button>
        <a href="/stats">{t('search.clearFilters')}</a>
      </div>
    </form>
  );
}

function MatrixSection({ ctx, matrix }: { ctx: PageContext; matrix: MatrixView }) {
  const { t, number } = ctx.messages;
  return (
    <section aria-labelledby="stats-authority-month" class="stats-section">
      <h2 id="stats-authority-month">{matrix.heading}</h2>
      {matrix.months.length === 0 ? (
        <p>{t('stats.none')}</p>
      ) : (
        <>
          <div class="stats-chart" dangerouslySetInnerHTML={{ __html: matrix.svg }} />
          {matrix.monthsLeftOut > 0 && (
            <p class="hint">{t('stats.monthsLeftOut', { count: matrix.monthsLeftOut })}</p>
          )}
          {/* Wider than a phone: it scrolls, so it takes the keyboard's focus to be scrolled with keys. */}
          <div class="stats-wide-table" tabIndex={0} role="region" aria-label={t('stats.matrixTable')}>
            <table class="list-table stats-table stats-matrix">
              <caption class="visually-hidden">{matrix.heading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stats.month')}</th>
                  {matrix.columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                  <th scope="col">{t('stats.allAuthorities')}</th>
                </tr>
              </thead>
              <tbody>
                {matrix.months.map((month, row) => (
                  <tr key={month}>
                    <th scope="row">{month}</th>
                    {matrix.counts[row]!.map((orders, column) => (
                      <td key={matrix.columns[column]}>{number(orders)}</td>
                    ))}
                    <td>{number(matrix.totals[row]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p>
        <a href={matrix.csv}>{t('stats.csv', { what: matrix.heading })}</a>
      </p>
    </section>
  );
}

function CountSection({ ctx, section }: { ctx: PageContext; section: StatisticsSection }) {
  const { t, number } = ctx.messages;
  return (
    <section aria-labelledby={`stats-${section.group}`} class="stats-section">
      <h2 id={`stats-${section.group}`}>{section.heading}</h2>
      {section.hint && <p class="hint">{section.hint}</p>}
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
  );
}
