// /api/invitations: invite someone to a role by a one-time link, list and revoke invitations, accept one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INVITATION_RULE } from '../../auth/orderAccess.ts';
import { linkPath, mailLinkInBackground } from '../../commands/accountLinks.ts';
import { lockRulesOf } from '../../commands/accountLock.ts';
import { acceptInvitation, createInvitation, revokeInvitation } from '../../commands/invitations.ts';
import { resolveOutletId } from '../../records/referenceLookup.ts';
import { listInvitations, readInvitation, readUser } from '../../records/userRecords.ts';
import { errors } from '../../schemas/common.ts';
import {
  Invitation,
  InvitationAcceptance,
  InvitationCreated,
  InvitationIdParam,
  InvitationInput,
  InvitationListQuery,
  User,
} from '../../schemas/people.ts';
import { pageOf } from '../../schemas/references.ts';
import { Type } from '@sinclair/typebox';

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/invitations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: 'Invite someone by e-mail to a role',
        description:
          `Who may invite whom: ${INVITATION_RULE} (403 otherwise). An outlet's role (admin, member) needs ` +
          'the outlet; editor and researcher take none. The answer holds the one-time secret (`token`) and ' +
          'the path of the page that takes it: they are shown only this once, and stored only as a hash. ' +
          'Where SMTP is configured (SMTP_URL) the link is mailed to the address too (`mailed`); otherwise ' +
          'hand it to the person.',
        body: InvitationInput,
        response: { 201: InvitationCreated, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const link = await createInvitation(app.db, { caller: request.caller, invitation: request.body });
      const invitation = (await readInvitation(app.db, link.id))!;
      const { mailer } = app;
      if (mailer) {
        mailLinkInBackground(
          { mailer, publicUrl: app.config.PUBLIC_URL!, log: request.log },
          { purpose: 'invitation', token: link.token, to: invitation.email, expiresAt: link.expiresAt },
        );
      }
      return reply.code(201).send({
        ...invitation,
        token: link.token,
        accept_path: linkPath('invitation', link.token),
        mailed: mailer !== undefined,
      });
    },
  );

  app.get(
    '/invitations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: 'Invitations, newest first',
        description:
          'An editor sees every invitation; an outlet’s admin, those to the outlets they administer. ' +
          'Never the secret: it was shown once, when the invitation was made.',
        querystring: InvitationListQuery,
        response: { 200: pageOf(Invitation), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { outlet, ...query } = request.query;
      const outletId = outlet === undefined ? undefined : await resolveOutletId(app.db, outlet);
      return listInvitations(app.db, request.caller, { ...query, outletId });
    },
  );

  app.delete(
    '/invitations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: 'Revoke an invitation',
        description:
          `Who may: as for inviting (${INVITATION_RULE}); an invitation the caller may not see answers 404. ` +
          'Its link stops working at once; one already accepted answers 409, one already revoked 204.',
        params: InvitationIdParam,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await revokeInvitation(app.db, { caller: request.caller, invitationId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/invitations/accept',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['people'],
        summary: 'Accept an invitation',
        description:
          'The link’s secret, a password and a display name make a new account with the invitation’s ' +
          'e-mail and role. When an account with that e-mail exists, its password must be given (403 ' +
          'otherwise), the role is added to it and display_name is ignored. A link works once: used, ' +
          'revoked or expired, it answers 410 link_used_or_expired.',
        body: InvitationAcceptance,
        response: {
          201: Type.Object({ user: User }),
          ...errors(400, 401, 403, 409, 410, 423),
        },
      },
    },
    async (request, reply) => {
      const userId = await acceptInvitation(
        app.db,
        {
          token: request.body.token,
          displayName: request.body.display_name,
          password: request.body.password,
          address: request.ip,
          device: request.headers['user-agent'],
        },
        lockRulesOf(app.config),
      );
      return reply.code(201).send({ user: (await readUser(app.db, userId))! });
    },
  );
};

export default invitationRoutes;
