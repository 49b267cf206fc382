// The pages a one-time link opens, for anyone holding one: /invitations/accept (the invitation's link:
// name and password make the account, which is then signed in) and /password-reset (a new password), and
// /password-reset/request, which asks for a reset link, and /sign-in/link (a mailed sign-in link). They
// call the same commands as POST /api/invitations/accept, /api/password-resets/complete,
// /api/password-resets and /api/session/link/complete.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mailLinkInBackground } from '../../commands/accountLinks.ts';
import { lockRulesOf } from '../../commands/accountLock.ts';
import { acceptInvitation } from '../../commands/invitations.ts';
import { completePasswordReset, requestPasswordReset } from '../../commands/passwordResets.ts';
import { signIn, signInWithLink } from '../../commands/signIn.ts';
import { ArchiveError, TemporaryRefusal } from '../../errors.ts';
import { readUser } from '../../records/userRecords.ts';
import {
  InvitationAcceptance,
  PasswordResetCompletion,
  PasswordResetRequest,
  SignInLinkInput,
} from '../../schemas/people.ts';
import { commandProblem, schemaProblems, type FieldMessages } from '../formProblems.ts';
import type { Messages } from '../i18n/messages.ts';
import { pageContextOf, sendPage } from '../pageContext.ts';
import { startPageSession } from '../pageSessions.ts';
import type { Problem } from '../pages/formParts.tsx';
import {
  type InvitationForm,
  renderInvitationPage,
  renderResetPage,
  renderResetRequestPage,
  renderSignInLinkPage,
  type ResetRequestView,
} from '../pages/linkPages.tsx';

const FormText = Type.Optional(Type.String({ maxLength: 2000 }));
const InvitationFormBody = Type.Object({ token: FormText, display_name: FormText, password: FormText });
const ResetForm = Type.Object({ token: FormText, password: FormText });
const ResetRequestForm = Type.Object({ email: FormText });
const SignInLinkForm = Type.Object({ token: FormText });

const LINK_WORDS: FieldMessages = {
  token: 'link.codeRule',
  display_name: 'invitation.nameRule',
  password: 'password.rule',
};

/** A refusal of the link itself, or of the account it is for, beside the field it is about. */
function linkProblem(error: unknown, messages: Messages): Problem {
  if (error instanceof TemporaryRefusal && error.code === 'account_locked') {
    const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
    return { field: 'password', message: messages.t('signIn.locked', { minutes }) };
  }
  if (error instanceof ArchiveError && error.code === 'link_used_or_expired')
    return { field: 'token', message: messages.t('link.usedOrExpired') };
  if (error instanceof ArchiveError && error.code === 'forbidden' && error.field === 'password')
    return { field: 'password', message: messages.t('invitation.existingAccount') };
  if (error instanceof ArchiveError && error.code === 'forbidden')
    return { field: 'token', message: messages.t('invitation.disabled') };
  return commandProblem(error, LINK_WORDS, messages);
}

const STATUS_OF: Record<string, number> = { link_used_or_expired: 410, account_locked: 423, forbidden: 403 };
const statusOf = (error: unknown) => (error instanceof ArchiveError ? (STATUS_OF[error.code] ?? 400) : 400);

const linkPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const showInvitation = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: InvitationForm,
  ) => sendPage(reply, status, renderInvitationPage(pageContextOf(request, reply), form));

  app.get(
    '/invitations/accept',
    { config: { access: 'anyone' }, schema: { hide: true } },
    async (request, reply) =>
      showInvitation(request, reply, 200, { token: '', display_name: '', problems: [] }),
  );

  app.post(
    '/invitations/accept',
    { config: { access: 'anyone' }, schema: { hide: true, body: InvitationFormBody } },
    async (request, reply) => {
      const messages = pageContextOf(request, reply).messages;
      const displayName = request.body.display_name?.trim() ?? '';
      const input = {
        token: request.body.token?.trim().replace(/^#/, '') ?? '',
        password: request.body.password ?? '',
        ...(displayName === '' ? {} : { display_name: displayName }),
      };
      const problems = schemaProblems(InvitationAcceptance, input, LINK_WORDS, messages);
      const form = { token: input.token, display_name: displayName };
      if (problems.length > 0) return showInvitation(request, reply, 400, { ...form, problems });
      let userId;
      try {
        userId = await acceptInvitation(
          app.db,
          {
            token: input.token,
            displayName: input.display_name,
            password: input.password,
            address: request.ip,
            device: request.headers['user-agent'],
          },
          lockRulesOf(app.config),
        );
      } catch (error) {
        return showInvitation(request, reply, statusOf(error), {
          ...form,
          problems: [linkProblem(error, messages)],
        });
      }
      // Accepted: signed in with the password just given, as the sign-in form would.
      const user = (await readUser(app.db, userId))!;
      const signedIn = await signIn(app.db, {
        email: user.email,
        password: input.password,
        address: request.ip,
        device: request.headers['user-agent'],
        rules: { ...lockRulesOf(app.config), sessionLifetimeHours: app.config.SESSION_LIFETIME_HOURS },
      }).catch(() => undefined);
      if (!signedIn) return reply.redirect('/sign-in?next=%2Faccount', 303);
      await startPageSession(app.db, request, reply, signedIn.session);
      return reply.redirect('/account?done=welcome', 303);
    },
  );

  app.get(
    '/password-reset',
    { config: { access: 'anyone' }, schema: { hide: true } },
    async (request, reply) => sendPage(reply, 200, renderResetPage(pageContextOf(request, reply), '', [])),
  );

  app.post(
    '/password-reset',
    { config: { access: 'anyone' }, schema: { hide: true, body: ResetForm } },
    async (request, reply) => {
      const ctx = pageContextOf(request, reply);
      const input = {
        token: request.body.token?.trim().replace(/^#/, '') ?? '',
        password: request.body.password ?? '',
      };
      const problems = schemaProblems(PasswordResetCompletion, input, LINK_WORDS, ctx.messages);
      if (problems.length > 0) return sendPage(reply, 400, renderResetPage(ctx, input.token, problems));
      try {
        await completePasswordReset(app.db, input);
      } catch (error) {
        return sendPage(
          reply,
          statusOf(error),
          renderResetPage(ctx, input.token, [linkProblem(error, ctx.messages)]),
        );
      }
      return reply.redirect('/sign-in?done=password_reset', 303);
    },
  );

  app.get('/sign-in/link', { config: { access: 'anyone' }, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, 200, renderSignInLinkPage(pageContextOf(request, reply), '', [])),
  );

  app.post(
    '/sign-in/link',
    { config: { access: 'anyone' }, schema: { hide: true, body: SignInLinkForm } },
    async (request, reply) => {
      const ctx = pageContextOf(request, reply);
      const input = { token: request.body.token?.trim().replace(/^#/, '') ?? '' };
      const problems = schemaProblems(SignInLinkInput, input, LINK_WORDS, ctx.messages);
      if (problems.length > 0) return sendPage(reply, 400, renderSignInLinkPage(ctx, input.token, problems));
      let signedIn;
      try {
        signedIn = await signInWithLink(app.db, {
          token: input.token,
          address: request.ip,
          device: request.headers['user-agent'],
          sessionLifetimeHours: app.config.SESSION_LIFETIME_HOURS,
        });
      } catch (error) {
        const problem = linkProblem(error, ctx.messages);
        return sendPage(
          reply,
          statusOf(error),
          renderSignInLinkPage(ctx, input.token, [{ ...problem, field: 'token' }]),
        );
      }
      await startPageSession(app.db, request, reply, signedIn.session);
      return reply.redirect('/', 303);
    },
  );

  const showRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: ResetRequestView,
  ) => sendPage(reply, status, renderResetRequestPage(pageContextOf(request, reply), view));

  app.get(
    '/password-reset/request',
    { config: { access: 'anyone' }, schema: { hide: true } },
    async (request, reply) => showRequest(request, reply, 200, { email: '', problems: [] }),
  );

  app.post(
    '/password-reset/request',
    { config: { access: 'anyone' }, schema: { hide: true, body: ResetRequestForm } },
    async (request, reply) => {
      const messages = pageContextOf(request, reply).messages;
      const email = request.body.email?.trim() ?? '';
      const problems = schemaProblems(
        PasswordResetRequest,
        { email },
        { email: 'signIn.emailInvalid' },
        messages,
      );
      if (problems.length > 0) return showRequest(request, reply, 400, { email, problems });
      const link = await requestPasswordReset(app.db, {
        email,
        expiresInHours: app.config.PASSWORD_RESET_HOURS,
      });
      const { mailer } = app;
      if (mailer && link) {
        mailLinkInBackground(
          { mailer, publicUrl: app.config.PUBLIC_URL!, log: request.log },
          { purpose: 'password_reset', token: link.token, to: link.email, expiresAt: link.expiresAt },
        );
      }
      return showRequest(request, reply, 200, { email, problems: [], sent: mailer ? 'mail' : 'editor' });
    },
  );
};

export default linkPageRoutes;
