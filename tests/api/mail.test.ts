// One-time links by mail, where SMTP is configured: an invitation, a password reset and a sign-in link
// reach their address through a real SMTP server (smtp-server, listening here), start with PUBLIC_URL
// (never the request's Host), and work once; an unknown address gets the same answer and no mail; with
// no SMTP the archive says it sends none; a dead SMTP server costs nobody their answer.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { ADMIN_TOKEN, createOutletWithToken, editor } from '../support/apiClient.ts';
import { createPerson } from '../support/accounts.ts';
import { sessionCookieOf } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';

interface Received {
  to: string[];
  raw: string;
}

/** An SMTP server that keeps what it is sent. */
async function startMailbox() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The mail to `to` once it arrives (the archive sends after answering). */
async function mailTo(received: Received[], to: string, timeoutMs = 5000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = received.find((each) => each.to.includes(to));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The link in a mail's text (quoted-printable soft breaks undone), and its secret. */
function linkIn(mail: Received): { url: string; token: string } {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const url = /https:\/\/archive\.example\/[^\s#]+#tal_[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  if (!url) throw new Error(`no link in the mail:\n${text}`);
  return { url, token: url.slice(url.indexOf('#') + 1) };
}

describe('one-time links by mail', () => {
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    mailbox = await startMailbox();
    harness = await createTestApp({
      ADMIN_TOKEN,
      SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
      PUBLIC_URL: 'https://archive.example',
      MAIL_FROM: 'Archive <archive@archive.example>',
    });
    await createOutletWithToken(harness.app, 'mail-outlet');
  });
  afterAll(async () => {
    await harness.close();
    await mailbox.close();
  });
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    harness.app.inject({ method: 'POST', url, payload, headers });

  it('mails an invitation whose link, from PUBLIC_URL and not the Host header, is accepted once', async () => {
    const invited = await post(
      '/api/invitations',
      { email: 'Newcomer@Example.org', role: 'member', outlet: 'mail-outlet' },
      { ...editor, host: 'evil.example' },
    );
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json().mailed).toBe(true);
    const mail = await mailTo(mailbox.received, 'newcomer@example.org');
    expect(mail.raw).toMatch(/Subject: You are invited to the Takedown Archive/);
    expect(mail.raw).toMatch(/From: Archive <archive@archive\.example>/);
    expect(mail.raw).not.toMatch(/evil\.example/);
    const { url, token } = linkIn(mail);
    expect(url).toBe(`https://archive.example/invitations/accept#${invited.json().token}`);
    const accepted = await post('/api/invitations/accept', {
      token,
      display_name: 'Newcomer',
      password: 'newcomer password 1',
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(
      (await post('/api/invitations/accept', { token, display_name: 'x', password: 'again password 1' }))
        .statusCode,
    ).toBe(410);
  });

  it('mails a password reset to a known address only, with the same answer either way', async () => {
    const person = await createPerson(harness.app, { email: 'forgetful@example.org' });
    const known = await post('/api/password-resets', { email: 'forgetful@example.org' });
    const unknown = await post('/api/password-resets', { email: 'nobody-here@example.org' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(known.json().message).toMatch(/on its way/);
    const { token } = linkIn(await mailTo(mailbox.received, 'forgetful@example.org'));
    const done = await post('/api/password-resets/complete', { token, password: 'a brand new password' });
    expect(done.statusCode, done.body).toBe(204);
    const signedIn = await post('/api/session', { email: person.email, password: 'a brand new password' });
    expect(signedIn.statusCode, signedIn.body).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.received.some((mail) => mail.to.includes('nobody-here@example.org'))).toBe(false);
  });

  it('signs in with a mailed link, once, and sends nothing for an unknown address', async () => {
    await createPerson(harness.app, { email: 'linked@example.org' });
    const asked = await post('/api/session/link', { email: 'LINKED@example.org' });
    expect(asked.statusCode, asked.body).toBe(202);
    const unknown = await post('/api/session/link', { email: 'stranger@example.org' });
    expect(unknown.body).toBe(asked.body);
    const mail = await mailTo(mailbox.received, 'linked@example.org');
    expect(mail.raw).toMatch(/Subject: Your sign-in link/);
    const { url, token } = linkIn(mail);
    expect(url.startsWith('https://archive.example/sign-in/link#tal_')).toBe(true);
    const signedIn = await post('/api/session/link/complete', { token });
    expect(signedIn.statusCode, signedIn.body).toBe(201);
    const cookie = sessionCookieOf(signedIn)!;
    const me = await harness.app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { email: 'linked@example.org' }, credential: 'session' });
    const again = await post('/api/session/link/complete', { token });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('link_used_or_expired');
    const audit = await harness.app.db.query(
      `SELECT after->>'method' AS method FROM audit_log WHERE action = 'session.sign_in' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].method).toBe('mailed_link');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.received.some((each) => each.to.includes('stranger@example.org'))).toBe(false);
  });

  it('needs PUBLIC_URL when SMTP_URL is set, so no link is built from a Host header', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/PUBLIC_URL/);
  });
});

describe('without SMTP, or with SMTP down', () => {
  it('says the archive sends no mail, and hands the invitation over in the answer', async () => {
    const harness = await createTestApp({ ADMIN_TOKEN });
    try {
      const asked = await harness.app.inject({
        method: 'POST',
        url: '/api/session/link',
        payload: { email: 'someone@example.org' },
      });
      expect(asked.statusCode).toBe(202);
      expect(asked.json().message).toMatch(/sends no e-mail/);
      const invited = await harness.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: editor,
        payload: { email: 'someone@example.org', role: 'researcher' },
      });
      expect(invited.json()).toMatchObject({ mailed: false, token: expect.stringMatching(/^tal_/) });
    } finally {
      await harness.close();
    }
  });

  it('answers at once when the SMTP server is unreachable, and the link still works', async () => {
    const harness = await createTestApp({
      ADMIN_TOKEN,
      SMTP_URL: 'smtp://127.0.0.1:9',
      PUBLIC_URL: 'https://archive.example',
    });
    try {
      const started = Date.now();
      const invited = await harness.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: editor,
        payload: { email: 'offline@example.org', role: 'researcher' },
      });
      expect(invited.statusCode, invited.body).toBe(201);
      expect(Date.now() - started).toBeLessThan(2000);
      const accepted = await harness.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token: invited.json().token, display_name: 'Offline', password: 'offline password 1' },
      });
      expect(accepted.statusCode, accepted.body).toBe(201);
    } finally {
      await harness.close();
    }
  });
});
