// /api/tokens: people make, list and revoke their API tokens (and an outlet's admins the outlet's own)
// through the API; the secret is shown once, in the answer that makes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TOKEN_RULE } from '../../auth/orderAccess.ts';
import { createToken, revokeToken } from '../../commands/tokenAdministration.ts';
import { listTokens } from '../../records/tokenRecords.ts';
import { errors } from '../../schemas/common.ts';
import { pageOf } from '../../schemas/references.ts';
import {
  ApiToken,
  CreatedApiToken,
  TokenCreateInput,
  TokenIdParam,
  TokenListQuery,
} from '../../schemas/tokens.ts';

const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tokens',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['tokens'],
        summary: 'Make an API token',
        description:
          'owner "me" makes a token that carries your own rights, or fewer: narrowed to one outlet you act ' +
          'for (`outlet`), read-only, expiring. It needs a person: a session, or a token of your own. ' +
          'owner "outlet" makes the outlet’s own token for its automation: editors and the outlet’s admins ' +
          'only. A token never makes one that can do more: a token narrowed to an outlet makes only tokens ' +
          'narrowed to it, and none that outlives it. The secret (`token`) is in this answer only. ' +
          'Recorded in the audit log as token.create (without the secret).',
        body: TokenCreateInput,
        response: { 201: CreatedApiToken, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createToken(app.db, { caller: request.caller, input: request.body })),
  );

  app.get(
    '/tokens',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['tokens'],
        summary: 'List the tokens you may manage, newest first',
        description:
          `Which tokens: ${TOKEN_RULE}. Never the secret nor its hash. last_used_at is kept to within a ` +
          'minute. Filters combine; pass next_cursor as cursor for the next page.',
        querystring: TokenListQuery,
        response: { 200: pageOf(ApiToken), ...errors(400, 401) },
      },
    },
    async (request) => listTokens(app.db, request.caller, request.query),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token',
        description:
          `Which tokens: ${TOKEN_RULE}. The token stops working at once. Revoking a token already revoked ` +
          'answers 204 again and changes nothing. Recorded in the audit log as token.revoke.',
        params: TokenIdParam,
        response: {
          204: Type.Null({ description: 'revoked (now or before)' }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      await revokeToken(app.db, { caller: request.caller, tokenId: request.params.id });
      return reply.code(204).send(null);
    },
  );
};

export default tokenRoutes;
