// /account and its parts, for a signed-in person: the account with the password form, the sessions
// (end one, sign out everywhere else) and the API tokens (make, revoke). Each form calls the same command
// as its API route (POST /api/me/password, DELETE /api/me/sessions/:id, POST and DELETE /api/tokens) and
// a bad input comes back beside its field. Anonymous readers are sent to /sign-in (webPlugin.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedInCaller } from '../../auth/caller.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { lockRulesOf } from '../../commands/accountLock.ts';
import { changePassword } from '../../commands/passwordChanger.ts';
import { revokeSession, signOutElsewhere } from '../../commands/sessionEnder.ts';
import { createToken, revokeToken } from '../../commands/tokenAdministration.ts';
import { TemporaryRefusal } from '../../errors.ts';
import { listOutlets } from '../../records/referenceLists.ts';
import { listSessionsOf } from '../../records/sessionRecords.ts';
import { listTokens } from '../../records/tokenRecords.ts';
import { readUser } from '../../records/userRecords.ts';
import { RowId } from '../../schemas/common.ts';
import { TokenCreateInput } from '../../schemas/tokens.ts';
import { commandProblem, schemaProblems, type FieldMessages } from '../formProblems.ts';
import { pageContextOf, sendPage } from '../pageContext.ts';
import { renderAccountPage, type AccountView } from '../pages/accountPage.tsx';
import type { Problem } from '../pages/formParts.tsx';
import { renderSessionsPage } from '../pages/sessionsPage.tsx';
import { EMPTY_TOKEN_FORM, renderTokensPage, type TokenForm, type TokensView } from '../pages/tokensPage.tsx';

const PAGE_SIZE = 20;
/** The outlets an editor's outlet token form offers (more are reached with POST /api/tokens). */
const EDITOR_OUTLET_CHOICES = 500;
const FormText = Type.Optional(Type.String({ maxLength: 2000 }));
const ListQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 40 })) });
const AccountQuery = Type.Object({
  done: Type.Optional(Type.Union([Type.Literal('password'), Type.Literal('welcome')])),
});
const SessionsQuery = Type.Composite([
  ListQuery,
  Type.Object({ done: Type.Optional(Type.Union([Type.Literal('ended'), Type.Literal('endedOthers')])) }),
]);
const TokensQuery = Type.Composite([
  ListQuery,
  Type.Object({ done: Type.Optional(Type.Literal('revoked')) }),
]);
const IdParam = Type.Object({ id: RowId('the id') });
const PasswordForm = Type.Object({ current_password: FormText, new_password: FormText });
const TokenFormBody = Type.Object({
  name: FormText,
  outlet: FormText,
  read_only: FormText,
  expires_on: FormText,
});
const OutletTokenFormBody = Type.Object({
  outlet_name: FormText,
  outlet_slug: FormText,
  outlet_read_only: FormText,
  outlet_expires_on: FormText,
});

const PASSWORD_WORDS: FieldMessages = {
  current_password: 'account.currentPasswordWrong',
  new_password: 'password.rule',
};
const TOKEN_WORDS: FieldMessages = {
  name: 'tokens.nameRule',
  outlet: 'tokens.outletRule',
  expires_at: 'tokens.expiresRule',
};
const OUTLET_TOKEN_WORDS: FieldMessages = {
  ...TOKEN_WORDS,
  owner: 'tokens.outletTokenRule',
  outlet: 'tokens.outletTokenRule',
};
/** Each form's input for a field of TokenCreateInput: the person's own form and the outlet's. */
const TOKEN_FORM_FIELDS: Record<'me' | 'outlet', Record<string, string>> = {
  me: { name: 'name', outlet: 'outlet', expires_at: 'expires_on' },
  outlet: {
    name: 'outlet_name',
    owner: 'outlet_slug',
    outlet: 'outlet_slug',
    expires_at: 'outlet_expires_on',
  },
};

/** A keyset cursor as the records take it, or none when the one in the address is not one of theirs. */
const cursorOf = (cursor: string | undefined, pattern: RegExp) =>
  cursor !== undefined && pattern.test(cursor) ? cursor : undefined;

const accountPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const person = (request: FastifyRequest) => request.caller as SignedInCaller;

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: Omit<AccountView, 'user'>,
  ) {
    const user = (await readUser(app.db, person(request).userId!))!;
    return sendPage(reply, status, renderAccountPage(pageContextOf(request, reply), { user, ...view }));
  }

  app.get(
    '/account',
    { config: { access: 'person' }, schema: { hide: true, querystring: AccountQuery } },
    async (request, reply) => showAccount(request, reply, 200, { notice: request.query.done, problems: [] }),
  );

  app.post(
    '/account/password',
    { config: { access: 'person' }, schema: { hide: true, body: PasswordForm } },
    async (request, reply) => {
      const messages = pageContextOf(request, reply).messages;
      const currentPassword = request.body.current_password ?? '';
      const newPassword = request.body.new_password ?? '';
      const problems: Problem[] = [];
      if (currentPassword === '')
        problems.push({ field: 'current_password', message: messages.t('account.currentPasswordMissing') });
      if (problems.length > 0) return showAccount(request, reply, 400, { problems });
      try {
        await changePassword(app.db, {
          caller: person(request),
          currentPassword,
          newPassword,
          address: request.ip,
          device: request.headers['user-agent'],
          rules: lockRulesOf(app.config),
        });
      } catch (error) {
        if (error instanceof TemporaryRefusal && error.code === 'account_locked') {
          const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
          reply.header('retry-after', String(error.retryAfterSeconds));
          const message = messages.t('signIn.locked', { minutes });
          return showAccount(request, reply, 423, { problems: [{ field: 'current_password', message }] });
        }
        return showAccount(request, reply, 400, {
          problems: [commandProblem(error, PASSWORD_WORDS, messages)],
        });
      }
      return reply.redirect('/account?done=password', 303);
    },
  );

  app.get(
    '/account/sessions',
    { config: { access: 'person' }, schema: { hide: true, querystring: SessionsQuery } },
    async (request, reply) => {
      const caller = person(request);
      const sessions = await listSessionsOf(app.db, {
        userId: caller.userId!,
        currentSessionId: caller.sessionId,
        query: {
          limit: PAGE_SIZE,
          cursor: cursorOf(request.query.cursor, /^(live|ended)-[1-9][0-9]{0,14}$/),
        },
      });
      const ctx = pageContextOf(request, reply);
      return sendPage(reply, 200, renderSessionsPage(ctx, { sessions, notice: request.query.done }));
    },
  );

  app.post(
    '/account/sessions/:id/end',
    { config: { access: 'person' }, schema: { hide: true, params: IdParam } },
    async (request, reply) => {
      const caller = person(request);
      await revokeSession(app.db, { caller, sessionId: request.params.id });
      if (request.params.id === caller.sessionId) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/', 303);
      }
      return reply.redirect('/account/sessions?done=ended', 303);
    },
  );

  app.post(
    '/account/sessions/end-others',
    { config: { access: 'person' }, schema: { hide: true } },
    async (request, reply) => {
      await signOutElsewhere(app.db, { caller: person(request) });
      return reply.redirect('/account/sessions?done=endedOthers', 303);
    },
  );

  async function showTokens(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: Omit<TokensView, 'tokens' | 'outlets' | 'adminOutlets' | 'outletForm'> & {
      cursor?: string | undefined;
      outletForm?: TokenForm;
    },
  ) {
    const caller = person(request);
    const [tokens, user] = await Promise.all([
      listTokens(app.db, caller, { limit: PAGE_SIZE, cursor: cursorOf(view.cursor, /^[1-9][0-9]{0,17}$/) }),
      readUser(app.db, caller.userId!),
    ]);
    // A token may be narrowed to an outlet this credential acts for.
    const acting = caller.kind === 'account' ? caller.outletIds : undefined;
    const outlets = (user?.memberships ?? []).filter(
      (membership) => acting === undefined || acting.includes(membership.outlet_id),
    );
    // An outlet's own token is made by its admins and by editors, for any outlet (tokenGrantFor decides;
    // this only offers the choice).
    const adminOutlets =
      caller.kind === 'editor'
        ? (await listOutlets(app.db, { limit: EDITOR_OUTLET_CHOICES })).items.map((outlet) => ({
            outlet_id: outlet.id,
            outlet_slug: outlet.slug,
            role: 'admin' as const,
          }))
        : outlets.filter((membership) => membership.role === 'admin');
    return sendPage(
      reply,
      status,
      renderTokensPage(pageContextOf(request, reply), {
        ...view,
        outletForm: view.outletForm ?? EMPTY_TOKEN_FORM,
        tokens,
        outlets,
        adminOutlets,
      }),
    );
  }

  app.get(
    '/account/tokens',
    { config: { access: 'person' }, schema: { hide: true, querystring: TokensQuery } },
    async (request, reply) =>
      showTokens(request, reply, 200, {
        form: EMPTY_TOKEN_FORM,
        problems: [],
        cursor: request.query.cursor,
        revoked: request.query.done === 'revoked',
      }),
  );

  /**
   * Makes a token from one of the page's two forms — the person's own (owner me) or an outlet's (owner
   * outlet) — checked by the API's schema and command; a problem comes back beside the form's field.
   */
  async function makeToken(
    request: FastifyRequest,
    reply: FastifyReply,
    owner: 'me' | 'outlet',
    form: TokenForm,
  ) {
    const messages = pageContextOf(request, reply).messages;
    const problems: Problem[] = [];
    const expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(form.expires_on)
      ? `${form.expires_on}T23:59:59Z`
      : undefined;
    if (form.expires_on !== '' && expiresAt === undefined)
      problems.push({ field: 'expires_at', message: messages.t('tokens.expiresRule') });
    const input = {
      name: form.name,
      owner,
      read_only: form.read_only,
      ...(form.outlet === '' ? {} : { outlet: form.outlet }),
      ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
    };
    const words = owner === 'me' ? TOKEN_WORDS : OUTLET_TOKEN_WORDS;
    problems.unshift(...schemaProblems(TokenCreateInput, input, words, messages));
    if (owner === 'outlet' && form.outlet === '')
      problems.push({ field: 'outlet', message: messages.t('tokens.outletTokenRule') });
    const onForm = (problem: Problem) => ({
      ...problem,
      field: TOKEN_FORM_FIELDS[owner][problem.field] ?? problem.field,
    });
    const again = (status: number, shown: Problem[]) =>
      showTokens(request, reply, status, {
        form: owner === 'me' ? form : EMPTY_TOKEN_FORM,
        ...(owner === 'outlet' ? { outletForm: form } : {}),
        problems: shown.map(onForm),
      });
    if (problems.length > 0) return again(400, problems);
    let created;
    try {
      created = await createToken(app.db, { caller: person(request), input });
    } catch (error) {
      return again(400, [commandProblem(error, words, messages)]);
    }
    return showTokens(request, reply, 201, { form: EMPTY_TOKEN_FORM, problems: [], created });
  }

  app.post(
    '/account/tokens',
    { config: { access: 'person' }, schema: { hide: true, body: TokenFormBody } },
    async (request, reply) =>
      makeToken(request, reply, 'me', {
        name: request.body.name?.trim() ?? '',
        outlet: request.body.outlet ?? '',
        read_only: request.body.read_only === 'true',
        expires_on: request.body.expires_on?.trim() ?? '',
      }),
  );

  // An outlet's own token, for its automation: its admins (and editors) only, as POST /api/tokens says.
  app.post(
    '/account/tokens/outlet',
    { config: { access: 'person' }, schema: { hide: true, body: OutletTokenFormBody } },
    async (request, reply) =>
      makeToken(request, reply, 'outlet', {
        name: request.body.outlet_name?.trim() ?? '',
        outlet: request.body.outlet_slug ?? '',
        read_only: request.body.outlet_read_only === 'true',
        expires_on: request.body.outlet_expires_on?.trim() ?? '',
      }),
  );

  app.post(
    '/account/tokens/:id/revoke',
    { config: { access: 'person' }, schema: { hide: true, params: IdParam } },
    async (request, reply) => {
      await revokeToken(app.db, { caller: person(request), tokenId: request.params.id });
      return reply.redirect('/account/tokens?done=revoked', 303);
    },
  );
};

export default accountPageRoutes;
