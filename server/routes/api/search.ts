// /api/search (orders, with facets and citable pages), /api/search/pages, /api/search.atom and
// /api/orders/:id/precedents. Every answer is filtered by the caller's visibility rule inside Meilisearch,
// so hidden orders are in no hit, total, facet count or feed.
import { ORDER_VISIBILITY_RULE } from '../../auth/orderAccess.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { renderAtomFeed } from '../../search/atomFeed.ts';
import { orderCard, orderSnippet, searchOrderDocuments, searchOrders } from '../../search/orderSearch.ts';
import { searchPages } from '../../search/pageSearch.ts';
import { findPrecedents } from '../../search/precedentFinder.ts';
import { whenSearchable as searchable } from '../../search/searchAvailability.ts';
import { unfoldWords } from '../../../domain/textFolding.ts';
import { errors } from '../../schemas/common.ts';
import { notFound } from '../../errors.ts';
import {
  FeedQuery,
  OrderIdParam,
  PageSearchQuery,
  PageSearchResult,
  PrecedentQuery,
  PrecedentsResult,
  SearchQuery,
  SearchResult,
} from '../../schemas/search.ts';

const WHO_SEARCHES = `What each caller finds: ${ORDER_VISIBILITY_RULE} — in hits, totals and facet counts alike.`;

/** Meilisearch down or its index not built yet: an error with words a user can act on. */
const whenSearchable = <T>(reply: FastifyReply, work: () => Promise<T>) => searchable(reply.log, work);

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, meili: app.meili, config: app.config };

  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search orders: words, filters, a pasted web address; facets and citable pages',
        description:
          `${WHO_SEARCHES} Words forgive typos, ё/е and Kazakh letters typed as Russian ones, and authority ` +
          'aliases (РКН, Roskomnadzor). A web address as q (or url=) finds the orders targeting it. Each hit ' +
          'lists its best matching pages, with page numbers to cite.',
        querystring: SearchQuery,
        response: { 200: SearchResult, ...errors(400, 401, 503) },
      },
    },
    async (request, reply) => whenSearchable(reply, () => searchOrders(deps, request.caller, request.query)),
  );

  app.get(
    '/search/pages',
    {
      schema: {
        tags: ['search'],
        summary: 'Search the pages of documents: each hit is one page, to cite by number',
        description: `${WHO_SEARCHES} Takes the same filters as /api/search.`,
        querystring: PageSearchQuery,
        response: { 200: PageSearchResult, ...errors(400, 401, 503) },
      },
    },
    async (request, reply) => whenSearchable(reply, () => searchPages(deps, request.caller, request.query)),
  );

  app.get(
    '/search.atom',
    {
      schema: {
        tags: ['search'],
        summary: 'Any search as an Atom feed, newest first',
        description:
          'Anyone may call it. A feed is shared and cached, so it always shows what an anonymous caller sees ' +
          '(public orders, and embargoed ones after their date), whatever live token is sent (a malformed, ' +
          'unknown or revoked one gets 401, as on every route).',
        querystring: FeedQuery,
        produces: ['application/atom+xml'],
        response: {
          200: Type.String({ description: 'an Atom 1.0 feed (application/atom+xml)' }),
          ...errors(400, 401, 503),
        },
      },
    },
    async (request, reply) =>
      whenSearchable(reply, async () => {
        const { hits } = await searchOrderDocuments(
          deps,
          { kind: 'anonymous' },
          { ...request.query, sort: 'created', page: 1, per_page: request.query.limit },
        );
        const baseUrl = `${request.protocol}://${request.host}`;
        const feed = renderAtomFeed({
          title: request.query.q ? `Takedown Archive: ${request.query.q}` : 'Takedown Archive: new orders',
          selfUrl: `${baseUrl}${request.url}`,
          baseUrl,
          entries: hits.map((hit) => ({
            ...orderCard(hit),
            snippet: orderSnippet(hit),
            pages: [],
            created_at: hit.created_at,
            updated_at: hit.updated_at,
            summary_text: hit.summary ? unfoldWords(hit.summary, hit.unfolding) : null,
          })),
        });
        return reply.type('application/atom+xml; charset=utf-8').send(feed);
      }),
  );

  app.get(
    '/orders/:id/precedents',
    {
      schema: {
        tags: ['search'],
        summary:
          'Precedents: orders citing the same law articles, from the same authority, demanding the same',
        description:
          `${WHO_SEARCHES} The order itself must be visible to the caller (else 404). Ranked by likeness ` +
          '(shared law articles weigh most), then newest; each with its outcome.',
        params: OrderIdParam,
        querystring: PrecedentQuery,
        response: { 200: PrecedentsResult, ...errors(400, 401, 404, 503) },
      },
    },
    async (request, reply) =>
      whenSearchable(reply, async () => {
        const result = await findPrecedents(deps, request.caller, request.params.id, request.query.limit);
        if (!result) throw notFound(`There is no order ${request.params.id}`);
        return result;
      }),
  );
};

export default searchRoutes;
