// GET / — the search page: the same query schema, search and visibility rule as GET /api/search.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { searchOrders } from '../../search/orderSearch.ts';
import { whenSearchable } from '../../search/searchAvailability.ts';
import { SearchQuery } from '../../schemas/search.ts';
import { pageContextOf } from '../pageContext.ts';
import { renderSearchPage } from '../pages/searchPage.tsx';

const searchPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, meili: app.meili, config: app.config };
  app.get(
    '/',
    { config: { access: 'anyone' }, schema: { hide: true, querystring: SearchQuery } },
    async (request, reply) => {
      const result = await whenSearchable(request.log, () =>
        searchOrders(deps, request.caller, request.query),
      );
      return reply
        .type('text/html; charset=utf-8')
        .send(renderSearchPage(pageContextOf(request, reply), request.query, result));
    },
  );
};

export default searchPageRoutes;
