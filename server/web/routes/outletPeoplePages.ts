// /outlets/<slug>/people: an outlet's people, for its admins and the archive's editors (the same rule as
// GET /api/outlets/:id/members), with the invitation form (POST /api/invitations' command) and a button
// that takes someone off the outlet (DELETE /api/outlets/:id/members/:userId's command).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/caller.ts';
import { canSeeOutletPeople } from '../../auth/orderAccess.ts';
import { linkPath, linkUrl, mailLinkInBackground } from '../../commands/accountLinks.ts';
import { createInvitation } from '../../commands/invitations.ts';
import { removeMembership } from '../../commands/userAccounts.ts';
import { ArchiveError, forbidden, notFound } from '../../errors.ts';
import { findOutlet, listInvitations, listMembers } from '../../records/userRecords.ts';
import { RowId } from '../../schemas/common.ts';
import { InvitationInput } from '../../schemas/people.ts';
import { commandProblem, schemaProblems, type FieldMessages } from '../formProblems.ts';
import { pageContextOf, sendPage } from '../pageContext.ts';
import { renderOutletPeoplePage, type OutletPeopleView } from '../pages/outletPeoplePage.tsx';

const OutletParam = Type.Object({ outlet: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) });
const MemberParam = Type.Composite([OutletParam, Type.Object({ userId: RowId('the member’s user id') })]);
const PeopleQuery = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
  done: Type.Optional(Type.Literal('removed')),
});
const FormText = Type.Optional(Type.String({ maxLength: 2000 }));
const InviteForm = Type.Object({ email: FormText, role: FormText });
const INVITE_WORDS: FieldMessages = { email: 'people.emailRule', role: 'people.roleRule' };
const INVITATION_HOURS = 168;

const outletPeoplePageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The outlet, once the caller may see its people. */
  async function outletFor(caller: Caller, slug: string) {
    const outlet = await findOutlet(app.db, slug);
    if (!outlet) throw notFound(`There is no outlet ${slug}`);
    if (!canSeeOutletPeople(caller, outlet.id))
      throw forbidden("Only an editor or this outlet's admin may see and change its members");
    return outlet;
  }

  async function showPeople(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: Omit<OutletPeopleView, 'members' | 'invitations'> & { cursor?: string | undefined },
  ) {
    const [members, invitations] = await Promise.all([
      listMembers(app.db, view.outlet.id, { limit: 50, cursor: view.cursor }),
      listInvitations(app.db, request.caller, { limit: 50, state: 'pending', outletId: view.outlet.id }),
    ]);
    const page = renderOutletPeoplePage(pageContextOf(request, reply), {
      ...view,
      members,
      invitations: invitations.items,
    });
    return sendPage(reply, status, page);
  }

  app.get(
    '/outlets/:outlet/people',
    { config: { access: 'admin' }, schema: { hide: true, params: OutletParam, querystring: PeopleQuery } },
    async (request, reply) =>
      showPeople(request, reply, 200, {
        outlet: await outletFor(request.caller, request.params.outlet),
        form: { email: '', role: 'member' },
        problems: [],
        cursor: request.query.cursor,
        removed: request.query.done === 'removed',
      }),
  );

  app.post(
    '/outlets/:outlet/people',
    { config: { access: 'admin' }, schema: { hide: true, params: OutletParam, body: InviteForm } },
    async (request, reply) => {
      const outlet = await outletFor(request.caller, request.params.outlet);
      const messages = pageContextOf(request, reply).messages;
      const form = {
        email: request.body.email?.trim() ?? '',
        role: request.body.role === 'admin' ? ('admin' as const) : ('member' as const),
      };
      const input = {
        email: form.email,
        role: request.body.role ?? '',
        outlet: outlet.slug,
        expires_in_hours: INVITATION_HOURS,
      };
      const problems = schemaProblems(InvitationInput, input, INVITE_WORDS, messages);
      if (!['admin', 'member'].includes(input.role) && problems.every((p) => p.field !== 'role'))
        problems.push({ field: 'role', message: messages.t('people.roleRule') });
      if (problems.length > 0) return showPeople(request, reply, 400, { outlet, form, problems });
      let link;
      try {
        link = await createInvitation(app.db, {
          caller: request.caller,
          invitation: { ...input, role: form.role },
        });
      } catch (error) {
        return showPeople(request, reply, 400, {
          outlet,
          form,
          problems: [commandProblem(error, INVITE_WORDS, messages)],
        });
      }
      const { mailer } = app;
      const publicUrl = app.config.PUBLIC_URL;
      if (mailer) {
        mailLinkInBackground(
          { mailer, publicUrl: publicUrl!, log: request.log },
          { purpose: 'invitation', token: link.token, to: form.email, expiresAt: link.expiresAt },
        );
      }
      const shown = publicUrl
        ? linkUrl(publicUrl, 'invitation', link.token)
        : linkPath('invitation', link.token);
      return showPeople(request, reply, 201, {
        outlet,
        form: { email: '', role: 'member' },
        problems: [],
        invited: { email: form.email.toLowerCase(), link: shown, mailed: mailer !== undefined },
      });
    },
  );

  app.post(
    '/outlets/:outlet/people/:userId/remove',
    { config: { access: 'admin' }, schema: { hide: true, params: MemberParam } },
    async (request, reply) => {
      const outlet = await outletFor(request.caller, request.params.outlet);
      try {
        await removeMembership(app.db, {
          caller: request.caller,
          outletId: outlet.id,
          userId: request.params.userId,
        });
      } catch (error) {
        if (!(error instanceof ArchiveError && error.code === 'conflict')) throw error;
        const message = pageContextOf(request, reply).messages.t('people.lastAdmin');
        return showPeople(request, reply, 409, {
          outlet,
          form: { email: '', role: 'member' },
          problems: [{ field: `member-${request.params.userId}`, message }],
        });
      }
      return reply.redirect(`/outlets/${outlet.slug}/people?done=removed`, 303);
    },
  );
};

export default outletPeoplePageRoutes;
