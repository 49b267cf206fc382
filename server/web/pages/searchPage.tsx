// The search page (/): one box for words, a pasted web address or a reference number; results as cards;
// facets as links with counts; pagination; the Atom feed of the same search.
import type { SearchHit, SearchQuery, SearchResult } from '../../schemas/search.ts';
import type { Messages } from '../i18n/messages.ts';
import {
  authorityWordsBySlug,
  languageWords,
  legalActWords,
  legalBasisWords,
  shortAuthorityWords,
  sourceWords,
  vocabularyWords,
} from '../orderWords.ts';
import type { PageContext } from '../pageContext.ts';
import {
  FACETS,
  FILTER_NAMES,
  feedHref,
  isSelected,
  pageHref,
  searchHref,
  searchParamsOf,
  toggledFilterHref,
  withoutFiltersHref,
  type Facet,
} from '../searchLinks.ts';
import { HighlightedSnippet } from './highlightedSnippet.tsx';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

const FACET_VALUES_SHOWN = 10;

export function renderSearchPage(ctx: PageContext, query: SearchQuery, result: SearchResult): string {
  return renderDocument(<SearchPage ctx={ctx} query={query} result={result} />);
}

function SearchPage({ ctx, query, result }: { ctx: PageContext; query: SearchQuery; result: SearchResult }) {
  const { t } = ctx.messages;
  const params = searchParamsOf(query);
  const names = outletNames(result.hits);
  const title = query.q ? t('search.titleWithQuery', { query: query.q }) : t('search.title');
  const feed = feedHref(params);
  return (
    <Layout
      ctx={ctx}
      title={title}
      headerSearch={false}
      head={<link rel="alternate" type="application/atom+xml" href={feed} title={t('search.subscribe')} />}
    >
      <h1>{t('search.title')}</h1>
      <form class="search-form" role="search" action="/" method="get">
        <label for="q" class="label">
          {t('search.label')}
        </label>
        <p id="q-hint" class="hint">
          {t('search.hint')}
        </p>
        <div class="search-row">
          <input id="q" name="q" type="search" value={query.q} aria-describedby="q-hint" autocomplete="off" />
          <button type="submit">{t('search.button')}</button>
        </div>
        {[...params]
          .filter(([name]) => (FILTER_NAMES as string[]).includes(name))
          .map(([name, value]) => (
            <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
          ))}
      </form>
      {result.url_match && result.url_match.match !== 'none' && (
        <p class="notice">
          {t(result.url_match.match === 'exact' ? 'search.urlExact' : 'search.urlUnder', {
            url: result.url_match.display,
          })}
        </p>
      )}
      <div class="results-layout">
        <section class="results" aria-labelledby="results-heading">
          <h2 id="results-heading">{t('search.results', { count: result.total })}</h2>
          <ActiveFilters ctx={ctx} params={params} names={names} />
          <p>
            <a class="feed-link" href={feed}>
              {t('search.subscribe')}
            </a>
          </p>
          {result.hits.length === 0 ? (
            <p>{t('search.nothing')}</p>
          ) : (
            <ol class="cards">
              {result.hits.map((hit) => (
                <ResultCard key={hit.id} messages={ctx.messages} hit={hit} />
              ))}
            </ol>
          )}
          <Pagination ctx={ctx} params={params} page={result.page} total={result.total_pages} />
        </section>
        <aside class="facets" aria-labelledby="refine-heading">
          <h2 id="refine-heading">{t('search.refine')}</h2>
          {FACETS.map((facet) => (
            <FacetList
              key={facet}
              ctx={ctx}
              facet={facet}
              counts={result.facets[facet] ?? {}}
              params={params}
              names={names}
            />
          ))}
        </aside>
      </div>
    </Layout>
  );
}

/** Outlet names by slug, from the hits (facets carry slugs only). */
function outletNames(hits: SearchHit[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const hit of hits) if (hit.outlet) names.set(hit.outlet.slug, hit.outlet.name);
  return names;
}

/** A facet value in words. */
function facetValueWords(
  messages: Messages,
  facet: Facet,
  value: string,
  names: Map<string, string>,
): string {
  switch (facet) {
    case 'authority':
      return authorityWordsBySlug(messages, value);
    case 'country':
      return messages.country(value);
    case 'outlet':
      return names.get(value) ?? value;
    case 'legal_act':
      return legalActWords(messages, value);
    case 'legal_basis':
      return legalBasisWords(messages, value);
    case 'issued_year':
      return value;
    case 'demanded_action':
      return vocabularyWords(messages, 'action', value);
    case 'status':
      return vocabularyWords(messages, 'status', value);
    case 'event_kind':
      return vocabularyWords(messages, 'event', value);
    case 'response_kind':
      return vocabularyWords(messages, 'response', value);
    case 'has_response':
      return messages.t(value === 'true' ? 'facet.hasResponse.true' : 'facet.hasResponse.false');
    case 'language':
      return languageWords(messages, value);
    case 'source':
      return sourceWords(messages, value);
  }
}

function FacetList(props: {
  ctx: PageContext;
  facet: Facet;
  counts: Record<string, number>;
  params: URLSearchParams;
  names: Map<string, string>;
}) {
  const { ctx, facet, counts, params, names } = props;
  const { t } = ctx.messages;
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => (facet === 'issued_year' ? b.localeCompare(a) : y - x || a.localeCompare(b)))
    .slice(0, FACET_VALUES_SHOWN);
  if (entries.length === 0) return null;
  const headingId = `facet-${facet}`;
  return (
    <section class="facet" aria-labelledby={headingId}>
      <h3 id={headingId}>{t(`facet.${facet}`)}</h3>
      <ul>
        {entries.map(([value, count]) => {
          const selected = isSelected(params, facet, value);
          return (
            <li key={value}>
              <a
                href={toggledFilterHref(params, facet, value)}
                class={selected ? 'facet-value selected' : 'facet-value'}
                aria-current={selected ? 'true' : undefined}
              >
                <span class="facet-name">{facetValueWords(ctx.messages, facet, value, names)}</span>{' '}
                <span class="count">{t('facet.count', { count })}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ActiveFilters({
  ctx,
  params,
  names,
}: {
  ctx: PageContext;
  params: URLSearchParams;
  names: Map<string, string>;
}) {
  const { t } = ctx.messages;
  const active: { label: string; href: string }[] = [];
  for (const [name, value] of params) {
    if (!(FILTER_NAMES as string[]).includes(name) || name === 'issued_to') continue;
    let label = value;
    let facet: Facet | undefined = (FACETS as readonly string[]).includes(name) ? (name as Facet) : undefined;
    let facetValue = value;
    if (name === 'legal_basis' && value.split('/').length === 2) facet = 'legal_act';
    if (name === 'issued_from') {
      const year = value.slice(0, 4);
      if (isSelected(params, 'issued_year', year)) [facet, facetValue] = ['issued_year', year];
    }
    if (facet) label = facetValueWords(ctx.messages, facet, facetValue, names);
    const without = new URLSearchParams(params);
    without.delete('page');
    without.delete(name, value);
    if (facet === 'issued_year') without.delete('issued_to');
    active.push({ label, href: searchHref(without) });
  }
  if (active.length === 0) return null;
  return (
    <div class="active-filters">
      <h3>{t('search.activeFilters')}</h3>
      <ul class="inline-list">
        {active.map((filter) => (
          <li key={filter.href}>
            <a class="chip" href={filter.href}>
              {t('search.removeFilter', { label: filter.label })}
            </a>
          </li>
        ))}
        <li>
          <a href={withoutFiltersHref(params)}>{t('search.clearFilters')}</a>
        </li>
      </ul>
    </div>
  );
}

function ResultCard({ messages, hit }: { messages: Messages; hit: SearchHit }) {
  const { t } = messages;
  const href = `/orders/${hit.id}`;
  const authority = shortAuthorityWords(messages, hit.authority) ?? t('card.unknownAuthority');
  return (
    <li class="card">
      <article aria-labelledby={`hit-${hit.id}`}>
        <h3 id={`hit-${hit.id}`}>
          <a href={href}>{authority}</a>
          {hit.outlet && <span class="card-outlet"> {t('card.to', { outlet: hit.outlet.name })}</span>}
        </h3>
        <p class="card-meta">
          <span class="order-id">{hit.id}</span>
          {' · '}
          {hit.issued_on ? t('card.issuedOn', { date: messages.date(hit.issued_on) }) : t('card.undated')}
          {' · '}
          <span class={`status status-${hit.status}`}>{vocabularyWords(messages, 'status', hit.status)}</span>
        </p>
        <dl class="card-facts">
          {hit.legal_basis.length > 0 && (
            <div>
              <dt>{t('card.legalBasis')}</dt>
              <dd>{hit.legal_basis.map((code) => legalBasisWords(messages, code)).join('; ')}</dd>
            </div>
          )}
          {hit.demanded_actions.length > 0 && (
            <div>
              <dt>{t('card.demanded')}</dt>
              <dd>
                {hit.demanded_actions.map((action) => vocabularyWords(messages, 'action', action)).join('; ')}
              </dd>
            </div>
          )}
          {hit.targets.length > 0 && (
            <div>
              <dt>{t('card.targets')}</dt>
              <dd class="urls">{hit.targets.map((target) => target.display_url).join(', ')}</dd>
            </div>
          )}
        </dl>
        <HighlightedSnippet snippet={hit.snippet} />
        {hit.pages.length > 0 && (
          <div class="card-pages">
            <h4>{t('card.matchingPages')}</h4>
            <ul>
              {hit.pages.map((page) => (
                <li key={`${page.document_id}-${page.page}`}>
                  <a href={`${href}#document-${page.document_id}-page-${page.page}`}>
                    {t('card.pageOf', {
                      document: page.filename ?? t('card.document', { id: page.document_id }),
                      page: page.page,
                    })}
                  </a>
                  <HighlightedSnippet snippet={page.snippet} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </article>
    </li>
  );
}

function Pagination({
  ctx,
  params,
  page,
  total,
}: {
  ctx: PageContext;
  params: URLSearchParams;
  page: number;
  total: number;
}) {
  const { t } = ctx.messages;
  if (total <= 1) return null;
  return (
    <nav class="pagination" aria-label={t('pagination.label')}>
      <ul class="inline-list">
        {page > 1 && (
          <li>
            <a href={pageHref(params, page - 1)} rel="prev">
              {t('pagination.previous')}
            </a>
          </li>
        )}
        <li aria-current="page">{t('pagination.position', { page, total })}</li>
        {page < total && (
          <li>
            <a href={pageHref(params, page + 1)} rel="next">
              {t('pagination.next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
