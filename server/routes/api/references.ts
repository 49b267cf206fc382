// /api/authorities, /api/outlets, /api/articles: who issues orders, who receives them, what they target.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createArticle, createAuthority, createOutlet } from '../../commands/referenceCreator.ts';
import { resolveOutletId } from '../../records/referenceLookup.ts';
import {
  listArticles,
  listAuthorities,
  listOutlets,
  readArticle,
  readAuthority,
  readOutlet,
} from '../../records/referenceLists.ts';
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

const security = [{ bearerToken: [] }];

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
        description: 'Editors only.',
        security,
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
        description: 'Editors only.',
        security,
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
        description: 'Anyone may call it.',
        querystring: Type.Composite([PageQuery, Type.Object({ outlet: Type.Optional(IdOrSlug) })]),
        response: { 200: pageOf(Article), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { outlet, ...page } = request.query;
      const outletId = outlet === undefined ? undefined : await resolveOutletId(app.db, outlet);
      return listArticles(app.db, { ...page, outlet: outletId });
    },
  );

  app.post(
    '/articles',
    {
      config: { access: 'token' },
      schema: {
        tags: ['articles'],
        summary: 'Record an article (or find it by canonical URL)',
        description:
          'Needs a token. The same canonical URL returns the existing article (200) instead of a copy.',
        security,
        body: ArticleInput,
        response: { 200: Article, 201: Article, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { id, created } = await createArticle(app.db, { caller: request.caller, article: request.body });
      return reply.code(created ? 201 : 200).send((await readArticle(app.db, id))!);
    },
  );
};

export default referenceRoutes;
