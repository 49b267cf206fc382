// GET /about — what the archive is.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageContextOf } from '../pageContext.ts';
import { renderAboutPage } from '../pages/aboutPage.tsx';

const aboutPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/about', { config: { access: 'anyone' }, schema: { hide: true } }, async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderAboutPage(pageContextOf(request, reply))),
  );
};

export default aboutPageRoutes;
