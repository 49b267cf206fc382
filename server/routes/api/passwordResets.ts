// /api/password-resets: ask for a reset link by e-mail, and set a new password with one;
// POST /api/users/:id/password-reset: an editor makes a link to hand to the person.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { linkPath, mailLinkInBackground } from '../../commands/accountLinks.ts';
import {
  completePasswordReset,
  createPasswordReset,
  requestPasswordReset,
} from '../../commands/passwordResets.ts';
import { errors } from '../../schemas/common.ts';
import {
  OneTimeLink,
  PasswordResetCompletion,
  PasswordResetRequest,
  PasswordResetRequested,
  UserIdParam,
} from '../../schemas/people.ts';

/** The same words for every address, known or not (they depend only on whether mail is configured). */
const REQUESTED_NO_MAIL =
  'If the address belongs to an account, a password reset link was made for it. This archive sends no ' +
  'e-mail (no SMTP is configured): ask an editor to hand you a reset link.';
const REQUESTED_BY_MAIL =
  'If the address belongs to an account, a link to set a new password is on its way to it.';

const passwordResetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hours = app.config.PASSWORD_RESET_HOURS;

  app.post(
    '/password-resets',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['people'],
        summary: 'Ask for a password reset link',
        description:
          'Always 202 with the same answer, whether or not the address has an account, and in about the ' +
          'same time. A link is made only for a known, enabled account, and mailed to it where SMTP is ' +
          'configured (SMTP_URL); otherwise an editor hands one over (POST /api/users/:id/password-reset).',
        body: PasswordResetRequest,
        response: { 202: PasswordResetRequested, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const link = await requestPasswordReset(app.db, { email: request.body.email, expiresInHours: hours });
      const { mailer } = app;
      if (!mailer) return reply.code(202).send({ message: REQUESTED_NO_MAIL });
      // Sent after the answer, which must not wait on mail for known addresses only.
      if (link) {
        mailLinkInBackground(
          { mailer, publicUrl: app.config.PUBLIC_URL!, log: request.log },
          { purpose: 'password_reset', token: link.token, to: link.email, expiresAt: link.expiresAt },
        );
      }
      return reply.code(202).send({ message: REQUESTED_BY_MAIL });
    },
  );

  app.post(
    '/password-resets/complete',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['people'],
        summary: 'Set a new password with a reset link',
        description:
          'Sets the password, lifts a lock from wrong passwords, ends every session of the account and ' +
          'uses the link (a second use answers 410 link_used_or_expired). Its tokens stay.',
        body: PasswordResetCompletion,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 410) },
      },
    },
    async (request, reply) => {
      await completePasswordReset(app.db, request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['people'],
        summary: 'Make a password reset link for a user',
        description:
          'How a person who lost their password, or an editor made by the CLI without one, gets one: hand ' +
          `them the link. It is shown only in this answer and works once, for ${hours} hours ` +
          '(PASSWORD_RESET_HOURS). A disabled user gets none (409).',
        params: UserIdParam,
        response: { 201: OneTimeLink, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const link = await createPasswordReset(app.db, request.caller, {
        userId: request.params.id,
        expiresInHours: hours,
      });
      return reply.code(201).send({
        token: link.token,
        accept_path: linkPath('password_reset', link.token),
        expires_at: link.expiresAt.toISOString(),
      });
    },
  );
};

export default passwordResetRoutes;
