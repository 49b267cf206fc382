// GET and POST /sign-in, POST /sign-out: the browser's way in and out, through the same sign-in and
// sign-out commands, input schema and cookie as /api/session. A problem re-renders the form with the
// message beside its field (400, 401 or 423), never a bare error page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { lockRulesOf } from '../../commands/accountLock.ts';
import { signOut } from '../../commands/sessionEnder.ts';
import { signIn } from '../../commands/signIn.ts';
import { ArchiveError, TemporaryRefusal } from '../../errors.ts';
import { SignInInput } from '../../schemas/sessions.ts';
import { messagesFor } from '../i18n/messages.ts';
import { pageContextOf, safeReturnPath } from '../pageContext.ts';
import { startPageSession } from '../pageSessions.ts';
import { renderSignInPage, type SignInForm } from '../pages/signInPage.tsx';

const SignInQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  done: Type.Optional(Type.Literal('password_reset')),
});

// Strings as a form sends them; their rules are SignInInput's, checked in the handler so that a bad value
// comes back beside its field instead of as an error page.
const SignInFormBody = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 2000 })),
  password: Type.Optional(Type.String({ maxLength: 2000 })),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});

const sessionPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  function showForm(request: FastifyRequest, reply: FastifyReply, status: number, form: SignInForm) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(renderSignInPage(pageContextOf(request, reply), form));
  }

  app.get(
    '/sign-in',
    { config: { access: 'anyone' }, schema: { hide: true, querystring: SignInQuery } },
    async (request, reply) =>
      showForm(request, reply, 200, {
        email: '',
        next: safeReturnPath(request.query.next),
        problems: [],
        passwordReset: request.query.done === 'password_reset',
      }),
  );

  app.post(
    '/sign-in',
    { config: { access: 'anyone' }, schema: { hide: true, body: SignInFormBody } },
    async (request, reply) => {
      const { t } = messagesFor(request.locale);
      const input = { email: request.body.email ?? '', password: request.body.password ?? '' };
      const form: SignInForm = { email: input.email, next: safeReturnPath(request.body.next), problems: [] };
      if (!Value.Check(SignInInput, input)) {
        const fields = new Set([...Value.Errors(SignInInput, input)].map((error) => error.path));
        if (fields.has('/email')) form.problems.push({ field: 'email', message: t('signIn.emailInvalid') });
        if (fields.has('/password'))
          form.problems.push({ field: 'password', message: t('signIn.passwordMissing') });
        return showForm(request, reply, 400, form);
      }
      let signedIn;
      try {
        signedIn = await signIn(app.db, {
          ...input,
          address: request.ip,
          device: request.headers['user-agent'],
          rules: { ...lockRulesOf(app.config), sessionLifetimeHours: app.config.SESSION_LIFETIME_HOURS },
        });
      } catch (error) {
        if (error instanceof TemporaryRefusal && error.code === 'account_locked') {
          const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
          reply.header('retry-after', String(error.retryAfterSeconds));
          form.problems.push({ field: 'password', message: t('signIn.locked', { minutes }) });
          return showForm(request, reply, 423, form);
        }
        if (error instanceof ArchiveError && error.code === 'unauthorized') {
          form.problems.push({ field: 'password', message: t('signIn.wrong') });
          return showForm(request, reply, 401, form);
        }
        throw error;
      }
      await startPageSession(app.db, request, reply, signedIn.session);
      return reply.redirect(form.next, 303);
    },
  );

  // Anyone may post here: a browser without a session is simply sent home. With a session, the form's
  // _csrf is checked (auth/caller.ts) before this runs, so another site cannot sign a reader out.
  app.post('/sign-out', { config: { access: 'anyone' }, schema: { hide: true } }, async (request, reply) => {
    const caller = request.caller;
    if (caller.kind !== 'anonymous' && caller.sessionId !== null) {
      await signOut(app.db, { caller });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return reply.redirect('/', 303);
  });
};

export default sessionPageRoutes;
