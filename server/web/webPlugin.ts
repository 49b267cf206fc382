// The web archive's pages, served beside the API on the same port: form bodies, the pages' assets
// (/assets/, built into the package: no CDN), the reader's language, the page routes, and errors and
// unknown addresses answered with pages in the layout. Page routes are hidden from the OpenAPI
// description; each declares its access like an API route.
import path from 'node:path';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ArchiveError } from '../errors.ts';
import { answerFor, reportError } from '../plugins/errorHandler.ts';
import { chooseLocale, isLocale, type Locale } from './i18n/messages.ts';
import { pageContextOf, sendPage } from './pageContext.ts';
import { renderErrorPage } from './pages/errorPage.tsx';
import aboutPageRoutes from './routes/aboutPage.ts';
import deskPageRoutes from './routes/deskPages.ts';
import redactionReviewPageRoutes from './routes/redactionReviewPages.ts';
import accountPageRoutes from './routes/accountPages.ts';
import linkPageRoutes from './routes/linkPages.ts';
import outletPeoplePageRoutes from './routes/outletPeoplePages.ts';
import statisticsPageRoutes from './routes/statisticsPage.ts';
import orderPageRoutes from './routes/orderPage.ts';
import searchPageRoutes from './routes/searchPage.ts';
import sessionPageRoutes from './routes/sessionPages.ts';
import uploadPageRoutes from './routes/uploadPages.ts';

export const LANGUAGE_COOKIE = 'lang';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

function readerLocale(request: FastifyRequest): Locale {
  return chooseLocale(request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
}

/**
 * `?lang=ru` remembers the choice in a cookie (a year, SameSite=Lax) and sends the reader back to the same
 * page without it; otherwise the cookie, Accept-Language, or English decides.
 */
async function chooseLanguage(request: FastifyRequest, reply: FastifyReply) {
  const url = new URL(request.url, 'http://archive.invalid');
  if (url.searchParams.has('lang') && (request.method === 'GET' || request.method === 'HEAD')) {
    const wanted = url.searchParams.get('lang');
    if (isLocale(wanted)) {
      reply.setCookie(LANGUAGE_COOKIE, wanted, {
        path: '/',
        sameSite: 'lax',
        maxAge: YEAR_SECONDS,
        secure: request.protocol === 'https',
      });
    }
    url.searchParams.delete('lang');
    return reply.redirect(`${url.pathname}${url.search}`, 303);
  }
  request.locale = readerLocale(request);
}

async function pages(app: FastifyInstance) {
  await app.register(formbody);
  await app.register(fastifyStatic, {
    root: path.join(import.meta.dirname, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
  });
  app.addHook('onRequest', chooseLanguage);
  app.setErrorHandler((error: FastifyError | ArchiveError, request, reply) => {
    const answer = answerFor(error, request);
    // A page for the signed-in, opened by someone who is not: the sign-in form, and back here after.
    if (answer.code === 'unauthorized' && request.method === 'GET' && request.caller?.kind === 'anonymous')
      return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    reportError(request, reply, error, answer);
    request.locale ??= readerLocale(request);
    return sendPage(reply, answer.statusCode, renderErrorPage(pageContextOf(request, reply), answer.code));
  });
  await app.register(searchPageRoutes);
  await app.register(orderPageRoutes);
  await app.register(sessionPageRoutes);
  await app.register(aboutPageRoutes);
  await app.register(uploadPageRoutes);
  await app.register(deskPageRoutes);
  await app.register(redactionReviewPageRoutes);
  await app.register(accountPageRoutes);
  await app.register(linkPageRoutes);
  await app.register(outletPeoplePageRoutes);
  await app.register(statisticsPageRoutes);
}

export default fp(
  async function webPlugin(app: FastifyInstance) {
    app.decorateRequest('locale', 'en');
    app.pageNotFound = async (request, reply) => {
      await chooseLanguage(request, reply);
      if (reply.sent) return reply;
      return sendPage(reply, 404, renderErrorPage(pageContextOf(request, reply), 'route_not_found'));
    };
    await app.register(pages);
  },
  { name: 'web-pages', dependencies: ['archive-caller'] },
);
