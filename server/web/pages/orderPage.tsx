// An order's page (/orders/TD-2026-00001, its permanent link): who demanded what of whom under which law,
// the targeted articles, the timeline, each document with its pages' text (#page-3 anchors), precedents
// with their outcomes, and a citation box. Everything comes from the story GET /api/orders/:id answers.
import type { ComponentChildren } from 'preact';
import type { ImportSource, OrderStory } from '../../schemas/orders.ts';
import { orderCitationData, type LogPlaces } from '../../records/orderCitation.ts';
import type { PrecedentsResult } from '../../schemas/search.ts';
import {
  bibtexCitation,
  cslCitation,
  plainCitation,
  risCitation,
  type CitationData,
} from '../../../domain/citations.ts';
import type { Messages } from '../i18n/messages.ts';
import {
  authorityWords,
  legalBasisWords,
  shortAuthorityWords,
  sourceWords,
  vocabularyWords,
} from '../orderWords.ts';
import type { DownloadKind } from '../../auth/orderAccess.ts';
import type { PageContext } from '../pageContext.ts';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface OrderPageData {
  story: OrderStory;
  /** Each document's pages of text, by document id. */
  pages: Map<number, { number: number; text: string }[]>;
  /** What each document's file link gives the reader, by document id (the API's rule, downloadFor). */
  downloads: Map<number, DownloadKind>;
  /** null: search is unavailable. */
  precedents: PrecedentsResult | null;
  permalink: string;
  today: string;
  archiveName: string;
  /** Where the transparency log holds the documents. */
  log: LogPlaces;
}

export function renderOrderPage(ctx: PageContext, data: OrderPageData): string {
  return renderDocument(<OrderPage ctx={ctx} data={data} />);
}

/** The citation's facts, in the reader's words. */
export function citationDataOf(messages: Messages, data: OrderPageData): CitationData {
  const { story } = data;
  const authority = authorityWords(messages, story.authority);
  return orderCitationData(
    story,
    {
      title: messages.t('citation.orderTitle', { id: story.id, authority: authority ?? '—' }),
      authority,
      permalink: data.permalink,
      accessedOn: data.today,
      archiveName: data.archiveName,
    },
    data.log,
  );
}

function OrderPage({ ctx, data }: { ctx: PageContext; data: OrderPageData }) {
  const { messages } = ctx;
  const { t } = messages;
  const { story } = data;
  const authority = authorityWords(messages, story.authority) ?? t('card.unknownAuthority');
  const short = shortAuthorityWords(messages, story.authority) ?? authority;
  const heading = story.outlet
    ? t('order.heading', { authority: short, outlet: story.outlet.name })
    : t('order.headingNoOutlet', { authority: short });
  return (
    <Layout ctx={ctx} title={`${t('order.title', { id: story.id })}: ${short}`}>
      <article class="order">
        <p class="order-id">
          {t('order.title', { id: story.id })} ·{' '}
          <a href={data.permalink} class="permalink">
            {t('order.permalink')}
          </a>
        </p>
        <h1>{heading}</h1>
        {story.summary && <p class="lead">{story.summary}</p>}
        <Facts messages={messages} story={story} authority={authority} />
        {story.source && <Source messages={messages} source={story.source} />}
        <Targets messages={messages} story={story} />
        <Timeline messages={messages} story={story} />
        <Documents messages={messages} data={data} />
        <Precedents messages={messages} precedents={data.precedents} />
        <CitationBox messages={messages} citation={citationDataOf(messages, data)} />
      </article>
    </Layout>
  );
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Facts({ messages, story, authority }: { messages: Messages; story: OrderStory; authority: string }) {
  const { t } = messages;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t('order.facts')}</h2>
      <dl class="facts">
        <Fact term={t('order.authority')}>{authority}</Fact>
        {story.outlet && <Fact term={t('order.outlet')}>{story.outlet.name}</Fact>}
        {story.reference_number && <Fact term={t('order.reference')}>{story.reference_number}</Fact>}
        {story.issued_on && <Fact term={t('order.issued')}>{messages.date(story.issued_on)}</Fact>}
        {story.received_on && <Fact term={t('order.received')}>{messages.date(story.received_on)}</Fact>}
        {story.deadline_at && <Fact term={t('order.deadline')}>{messages.date(story.deadline_at)}</Fact>}
        {story.channel && (
          <Fact term={t('order.channel')}>{vocabularyWords(messages, 'channel', story.channel)}</Fact>
        )}
        {story.legal_basis.length > 0 && (
          <Fact term={t('order.legalBasis')}>
            <ul class="plain-list">
              {story.legal_basis.map((code) => (
                <li key={code}>{legalBasisWords(messages, code)}</li>
              ))}
            </ul>
          </Fact>
        )}
        {story.legal_basis_raw && <Fact term={t('order.legalBasisRaw')}>{story.legal_basis_raw}</Fact>}
        {story.demanded_actions.length > 0 && (
          <Fact term={t('order.demanded')}>
            {story.demanded_actions.map((action) => vocabularyWords(messages, 'action', action)).join('; ')}
          </Fact>
        )}
        {story.stated_reason && <Fact term={t('order.statedReason')}>{story.stated_reason}</Fact>}
        {story.threatened_consequence && (
          <Fact term={t('order.threatened')}>{story.threatened_consequence}</Fact>
        )}
        <Fact term={t('order.status')}>{vocabularyWords(messages, 'status', story.status)}</Fact>
        <Fact term={t('order.visibility')}>
          {story.visibility === 'embargoed' && story.embargo_until
            ? t('order.embargoUntil', { date: messages.date(story.embargo_until) })
            : vocabularyWords(messages, 'visibility', story.visibility)}
        </Fact>
      </dl>
    </section>
  );
}

/** Where an imported order came from, under which licence, and whether anything in it was guessed. */
function Source({ messages, source }: { messages: Messages; source: ImportSource }) {
  const { t } = messages;
  return (
    <section aria-labelledby="source-heading">
      <h2 id="source-heading">{t('order.source')}</h2>
      <p class={source.reviewed ? 'source-reviewed' : 'source-unreviewed'}>
        {t(source.reviewed ? 'order.sourceReviewed' : 'order.sourceUnreviewed')}
      </p>
      <dl class="facts">
        <Fact term={t('order.sourceCollection')}>{sourceWords(messages, source.kind)}</Fact>
        <Fact term={t('order.sourceReference')}>
          {source.url ? (
            <a href={source.url} rel="noopener" class="url">
              {source.reference}
            </a>
          ) : (
            source.reference
          )}
        </Fact>
        {source.licence && <Fact term={t('order.sourceLicence')}>{source.licence}</Fact>}
      </dl>
      {source.url && (
        <p>
          <a href={source.url} rel="noopener">
            {t('order.sourceLink')}
          </a>
        </p>
      )}
    </section>
  );
}

function Targets({ messages, story }: { messages: Messages; story: OrderStory }) {
  const { t } = messages;
  return (
    <section aria-labelledby="targets-heading">
      <h2 id="targets-heading">{t('order.targets')}</h2>
      {story.targets.length === 0 ? (
        <p>{t('order.noTargets')}</p>
      ) : (
        <ul class="targets">
          {story.targets.map((target) => (
            <li key={target.id}>
              <a href={target.article.url} rel="nofollow noopener" class="url">
                {target.article.display_url}
              </a>
              {target.article.title && <span class="target-title"> — {target.article.title}</span>}
              {target.article.published_on && <span> ({messages.date(target.article.published_on)})</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function timelineWords(messages: Messages, kind: string): string {
  if (kind === 'issued' || kind === 'received' || kind === 'deadline') return messages.t(`timeline.${kind}`);
  const [group, value = ''] = kind.split(':');
  if (group === 'response') return vocabularyWords(messages, 'response', value);
  if (group === 'event') return vocabularyWords(messages, 'event', value);
  return kind;
}

function Timeline({ messages, story }: { messages: Messages; story: OrderStory }) {
  const { t } = messages;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('order.timeline')}</h2>
      {story.timeline.length === 0 ? (
        <p>{t('order.noTimeline')}</p>
      ) : (
        <ol class="timeline">
          {story.timeline.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{messages.date(entry.at)}</time>{' '}
              <strong>{timelineWords(messages, entry.kind)}</strong>
              {entry.description && <p>{entry.description}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Documents({ messages, data }: { messages: Messages; data: OrderPageData }) {
  const { t } = messages;
  const documents = data.story.documents;
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('order.documents')}</h2>
      {documents.length === 0 && <p>{t('order.noDocuments')}</p>}
      {documents.map((document, index) => {
        const pages = data.pages.get(document.id) ?? [];
        const name = document.original_filename ?? t('card.document', { id: document.id });
        return (
          <section
            class="document"
            id={`document-${document.id}`}
            key={document.id}
            aria-labelledby={`document-${document.id}-heading`}
          >
            <h3 id={`document-${document.id}-heading`}>
              {t('order.documentHeading', { role: vocabularyWords(messages, 'role', document.role), name })}
            </h3>
            <p class="document-facts">
              {t('order.documentFacts', {
                pages: document.page_count ?? pages.length,
                size: messages.bytes(document.size),
              })}
              {' · '}
              {t('order.documentStatus', { status: vocabularyWords(messages, 'docStatus', document.status) })}
              {data.downloads.get(document.id) === 'original' && (
                <>
                  {' · '}
                  <a href={document.file_url} download>
                    {t('order.download')}
                  </a>
                </>
              )}
              {data.downloads.get(document.id) === 'rendition' && (
                <>
                  {' · '}
                  <a href={document.file_url} download>
                    {t('order.downloadRedacted')}
                  </a>{' '}
                  <span class="hint">{t('order.downloadRedactedHint')}</span>
                </>
              )}
            </p>
            <p class="hash">
              {t('order.sha256')}: <code>{document.sha256}</code>
            </p>
            {pages.map((page) => (
              <section class="page" id={`document-${document.id}-page-${page.number}`} key={page.number}>
                {index === 0 && <span id={`page-${page.number}`} />}
                <h4>
                  <a href={`#document-${document.id}-page-${page.number}`}>
                    {t('order.page', { number: page.number })}
                  </a>
                </h4>
                {page.text.trim() ? <div class="page-text">{page.text}</div> : <p>{t('order.noText')}</p>}
              </section>
            ))}
          </section>
        );
      })}
    </section>
  );
}

function Precedents({ messages, precedents }: { messages: Messages; precedents: PrecedentsResult | null }) {
  const { t } = messages;
  return (
    <section aria-labelledby="precedents-heading" class="precedents">
      <h2 id="precedents-heading">{t('order.precedents')}</h2>
      <p>{t('order.precedentsIntro')}</p>
      {precedents === null ? (
        <p>{t('order.precedentsUnavailable')}</p>
      ) : precedents.precedents.length === 0 ? (
        <p>{t('order.noPrecedents')}</p>
      ) : (
        <ul class="precedent-list">
          {precedents.precedents.map((precedent) => {
            const outcome = [
              vocabularyWords(messages, 'status', precedent.outcome.status),
              ...precedent.outcome.response_kinds.map((kind) => vocabularyWords(messages, 'response', kind)),
              ...precedent.outcome.event_kinds.map((kind) => vocabularyWords(messages, 'event', kind)),
            ];
            const shared = [
              ...precedent.shared.legal_basis.map((code) => legalBasisWords(messages, code)),
              ...(precedent.shared.authority ? [t('order.sameAuthority')] : []),
              ...precedent.shared.demanded_actions.map((action) =>
                vocabularyWords(messages, 'action', action),
              ),
            ];
            return (
              <li key={precedent.id}>
                <a href={`/orders/${precedent.id}`}>
                  {precedent.id}:{' '}
                  {authorityWords(messages, precedent.authority) ?? t('card.unknownAuthority')}
                </a>
                {precedent.issued_on && <span> ({messages.date(precedent.issued_on)})</span>}
                <dl class="inline-facts">
                  <div>
                    <dt>{t('order.outcome')}</dt>
                    <dd>{outcome.join('; ')}</dd>
                  </div>
                  {shared.length > 0 && (
                    <div>
                      <dt>{t('order.shared')}</dt>
                      <dd>{shared.join('; ')}</dd>
                    </div>
                  )}
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function CitationBox({ messages, citation }: { messages: Messages; citation: CitationData }) {
  const { t } = messages;
  const formats = [
    { id: 'citation-plain', label: t('citation.plain'), text: plainCitation(citation) },
    { id: 'citation-bibtex', label: t('citation.bibtex'), text: bibtexCitation(citation) },
    { id: 'citation-csl', label: t('citation.csl'), text: cslCitation(citation) },
    { id: 'citation-ris', label: t('citation.ris'), text: risCitation(citation) },
  ];
  return (
    <section
      aria-labelledby="citation-heading"
      class="citation"
      data-copy-label={t('citation.copy')}
      data-copied-label={t('citation.copied')}
    >
      <h2 id="citation-heading">{t('citation.title')}</h2>
      {formats.map((format) => (
        <div class="citation-format" key={format.id}>
          <h3 id={`${format.id}-heading`}>{format.label}</h3>
          <pre id={format.id} tabIndex={0} aria-labelledby={`${format.id}-heading`}>
            <code>{format.text}</code>
          </pre>
        </div>
      ))}
      <LogPlaces messages={messages} citation={citation} />
    </section>
  );
}

/** Where the transparency log holds each document, with a link to the proof a reader can check offline. */
function LogPlaces({ messages, citation }: { messages: Messages; citation: CitationData }) {
  const { t } = messages;
  if (citation.documents.length === 0) return null;
  return (
    <div class="citation-log">
      <h3 id="citation-log-heading">{t('citation.log')}</h3>
      <p>{t('citation.logIntro')}</p>
      <ul aria-labelledby="citation-log-heading">
        {citation.documents.map((document) => {
          const name = document.filename ?? t('card.document', { id: document.id });
          if (document.logIndex === null)
            return <li key={document.id}>{t('citation.logNotYet', { name })}</li>;
          const signed = citation.checkpointSize !== null && citation.checkpointSize > document.logIndex;
          return (
            <li key={document.id} id={`citation-log-${document.id}`}>
              {signed
                ? t('citation.logLeaf', {
                    name,
                    index: document.logIndex,
                    size: citation.checkpointSize ?? 0,
                  })
                : t('citation.logPending', { name, index: document.logIndex })}
              {signed && (
                <>
                  {' · '}
                  <a href={`/api/documents/${document.id}/proof.tlog`} download>
                    {t('citation.proof')}
                  </a>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
