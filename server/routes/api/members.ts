// /api/outlets/:id/members: an outlet's people, their roles, and taking someone off the outlet.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canSeeOutletPeople, OUTLET_PEOPLE_RULE } from '../../auth/orderAccess.ts';
import type { Caller } from '../../auth/caller.ts';
import { changeMembershipRole, removeMembership } from '../../commands/userAccounts.ts';
import { forbidden, notFound } from '../../errors.ts';
import { findOutlet, listMembers, readMember } from '../../records/userRecords.ts';
import { errors } from '../../schemas/common.ts';
import { Member, MemberChange, MemberParams, OutletIdParam } from '../../schemas/people.ts';
import { pageOf, PageQuery } from '../../schemas/references.ts';

const WHO = `Who may: ${OUTLET_PEOPLE_RULE}; an admin of another outlet gets 403, an unknown outlet 404.`;

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The outlet's id, once the caller may see its people. */
  const outletFor = async (caller: Caller, idOrSlug: string): Promise<number> => {
    const outlet = await findOutlet(app.db, idOrSlug);
    if (!outlet) throw notFound(`There is no outlet ${idOrSlug}`);
    if (!canSeeOutletPeople(caller, outlet.id))
      throw forbidden("Only an editor or this outlet's admin may see and change its members");
    return outlet.id;
  };

  app.get(
    '/outlets/:id/members',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: "An outlet's members, with their roles and since when",
        description: WHO,
        params: OutletIdParam,
        querystring: PageQuery,
        response: { 200: pageOf(Member), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => listMembers(app.db, await outletFor(request.caller, request.params.id), request.query),
  );

  app.patch(
    '/outlets/:id/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: "Change a member's role at the outlet",
        description: `${WHO} Demoting the last admin answers 409.`,
        params: MemberParams,
        body: MemberChange,
        response: { 200: Member, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const outletId = await outletFor(request.caller, request.params.id);
      const userId = request.params.userId;
      await changeMembershipRole(app.db, {
        caller: request.caller,
        outletId,
        userId,
        role: request.body.role,
      });
      return (await readMember(app.db, outletId, userId))!;
    },
  );

  app.delete(
    '/outlets/:id/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['people'],
        summary: 'Take someone off the outlet',
        description:
          `${WHO} At once and together: every session of theirs ends, and each of their tokens that could ` +
          'act for this outlet (made for it, or carrying all their rights) is revoked. Removing the last ' +
          'admin answers 409.',
        params: MemberParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const outletId = await outletFor(request.caller, request.params.id);
      await removeMembership(app.db, { caller: request.caller, outletId, userId: request.params.userId });
      return reply.code(204).send(null);
    },
  );
};

export default memberRoutes;
