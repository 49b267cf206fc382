// /api/authorities, /api/outlets, /api/articles: who issues orders, who receives them, what they target.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createArticle, createAuthority, createOutlet } from '../../commands/referenceCreator.ts';
import { resolveOutletId } from '../../records/referenceLookup.ts';
import { listArticles } from '../../records/articleRecords.ts';
import { listAuthorities, listOutlets, readAuthority, readOutlet } from '../../records/referenceLists.ts';
import { errors } from '../../schemas/common.ts';
import {
  Article,
  ArticleInput,
  Authority,
  AuthorityInput,
  CountryCode,
  IdOrSlug,
  Outlet,
  OutletInput,
  PageQuery,
  pageOf,
} from '../../schemas/references.ts';

const WHO_SEES_ARTICLES =
  'the articles targeted by an order it can see (editors see all); an article no order targets yet is ' +
  'seen by editors, by the outlet whose domain it is on and by the outlet whose token recorded it.';

const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/authorities',
    {
      schema: {
        tags: ['authorities'],
        summary: 'Issuing bodies, with their local names and aliases',
        description: 'Anyone may call it.',
        querystring: Type.Composite([PageQuery, Type.Object({ country: Type.Optional(CountryCode) })]),
        response: { 200: pageOf(Authority), ...errors(400, 401) },
      },
    },
    async (request) => listAuthorities(app.db, request.query),
  );

  app.post(
    '/authorities',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['authorities'],
        summary: 'Add an issuing body',
        body: AuthorityInput,
        response: { 201: Authority, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const id = await createAuthority(app.db, { caller: request.caller, authority: request.body });
      return reply.code(201).send(await readAuthority(app.db, id));
    },
  );

  app.get(
    '/outlets',
    {
      schema: {
        tags: ['outlets'],
        summary: 'News outlets',
        description: 'Anyone may call it.',
        querystring: PageQuery,
        response: { 200: pageOf(Outlet), ...errors(400, 401) },
      },
    },
    async (request) => listOutlets(app.db, request.query),
  );

  app.post(
    '/outlets',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['outlets'],
        summary: 'Add an outlet',
        body: OutletInput,
        response: { 201: Outlet, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const id = await createOutlet(app.db, { caller: request.caller, outlet: request.body });
      return reply.code(201).send(await readOutlet(app.db, id));
    },
  );

  app.get(
    '/articles',
    {
      schema: {
        tags: ['articles'],
        summary: 'Articles that orders target',
        description:
          `Anyone may call it; each caller sees only ${WHO_SEES_ARTICLES} The outlet filter, the page and ` +
          'its cursor count only those.',
        querystring: Type.Composite([PageQuery, Type.Object({ outlet: Type.Optional(IdOrSlug) })]),
        response: { 200: pageOf(Article), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { outlet, ...page } = request.query;
      const outletId = outlet === undefined ? undefined : await resolveOutletId(app.db, outlet);
      return listArticles(app.db, request.caller, { ...page, outlet: outletId });
    },
  );

  app.post(
    '/articles',
    {
      config: { access: 'member' },
      schema: {
        tags: ['articles'],
        summary: 'Record an article (or find it by canonical URL)',
        description:
          'Needs a token. A caller sees only ' +
          WHO_SEES_ARTICLES +
          ' The same canonical URL returns the existing article (200) instead of a copy when the caller ' +
          'may see it; when only orders hidden from the caller target it, the answer is as for a new ' +
          'article (201) and holds only what was sent, never what is stored (its title stays as it was). ' +
          'To target such an article, send its url, not its id.',
        body: ArticleInput,
        response: { 200: Article, 201: Article, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { created, article } = await createArticle(app.db, {
        caller: request.caller,
        article: request.body,
      });
      return reply.code(created ? 201 : 200).send(article);
    },
  );
};

export default referenceRoutes;
