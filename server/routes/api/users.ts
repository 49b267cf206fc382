// /api/users: the archive's people, for editors (and each person's own account); /api/me: who is calling.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSeeUser } from '../../auth/orderAccess.ts';
import { changeUser } from '../../commands/userAccounts.ts';
import { notFound } from '../../errors.ts';
import { resolveOutletId } from '../../records/referenceLookup.ts';
import { listUsers, readMe, readUser } from '../../records/userRecords.ts';
import { errors } from '../../schemas/common.ts';
import { Me, User, UserChanges, UserIdParam, UserListQuery } from '../../schemas/people.ts';
import { pageOf } from '../../schemas/references.ts';

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['people'],
        summary: 'Who am I: the account and the rights this credential carries',
        description:
          '`user` is null for an outlet’s token and ADMIN_TOKEN. `memberships`, `is_editor` and ' +
          '`researcher` are what this very session or token may do (a token made for one outlet carries ' +
          'that outlet alone); a researcher grant past its end no longer counts.',
        response: { 200: Me, ...errors(401) },
      },
    },
    async (request) => {
      const caller = request.caller;
      if (caller.kind === 'anonymous') throw notFound('Nobody is signed in');
      return readMe(app.db, caller);
    },
  );

  app.get(
    '/users',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['people'],
        summary: 'Users, oldest first',
        description:
          'Filters combine: q (part of the e-mail or display name), outlet (its members), role (editor, ' +
          'or researcher: those whose grant has not ended).',
        querystring: UserListQuery,
        response: { 200: pageOf(User), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { outlet, ...query } = request.query;
      const outletId = outlet === undefined ? undefined : await resolveOutletId(app.db, outlet);
      return listUsers(app.db, { ...query, outletId });
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['people'],
        summary: 'A user',
        description: 'An editor sees anyone; a person, their own account. Anyone else gets 404.',
        params: UserIdParam,
        response: { 200: User, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const id = request.params.id;
      const user = canSeeUser(request.caller, id) ? await readUser(app.db, id) : undefined;
      if (!user) throw notFound(`There is no user ${id}`);
      return user;
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['people'],
        summary: 'Change a user: name, editor role, researcher access, disabled',
        description:
          'Disabling ends all the user’s sessions at once and their tokens stop working; an editor cannot ' +
          'disable themself (409). researcher_until null ends researcher access. Audited, before and after.',
        params: UserIdParam,
        body: UserChanges,
        response: { 200: User, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const userId = request.params.id;
      await changeUser(app.db, { caller: request.caller, userId, changes: request.body });
      return (await readUser(app.db, userId))!;
    },
  );
};

export default userRoutes;
