// Mail, where SMTP is configured (SMTP_URL): the one-time links — invitations, password resets and
// sign-in links — reach their person by mail through nodemailer. A link's secret is in the mail only:
// never in a queue table or a log, so a mail is sent from the request that made the link, after the
// answer when the answer must not depend on it (a reset asked for an unknown address sends nothing, and
// must take as long). Without SMTP_URL the archive sends nothing and says so.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The mailer SMTP_URL names, or undefined when the archive sends no mail. */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>): Mailer | undefined {
  if (!config.SMTP_URL) return undefined;
  // A stalled SMTP server must not hold a mail for long: its send fails and is logged.
  const url = new URL(config.SMTP_URL);
  for (const [name, value] of Object.entries({
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
  })) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(value));
  }
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
    close: () => transport.close(),
  };
}

/**
 * Sends without holding the caller: a failure is logged (without the mail's text, which holds the
 * link's secret) and lost — the person asks again, or an editor hands a link over.
 */
export function sendInBackground(
  mailer: Mailer,
  mail: OutgoingMail,
  log: Logger | Pick<Logger, 'warn'>,
): void {
  mailer
    .send(mail)
    .catch((error: Error) => log.warn({ to: mail.to, err: error.message }, 'a mail was not sent'));
}

export type LinkMailKind = 'invitation' | 'password_reset' | 'sign_in';

const WORDS: Record<LinkMailKind, { subject: string; lead: string }> = {
  invitation: {
    subject: 'You are invited to the Takedown Archive',
    lead: 'You are invited to the Takedown Archive. Open this link to accept and choose a password:',
  },
  password_reset: {
    subject: 'Set a new password for the Takedown Archive',
    lead: 'Someone asked for a new password for your account at the Takedown Archive. If it was you, open this link:',
  },
  sign_in: {
    subject: 'Your sign-in link for the Takedown Archive',
    lead: 'Open this link to sign in to the Takedown Archive:',
  },
};

/** The mail that carries a one-time link: where it leads, until when it works, and that it works once. */
export function linkMail(input: {
  kind: LinkMailKind;
  to: string;
  url: string;
  expiresAt: Date;
  extra?: string | undefined;
}): OutgoingMail {
  const words = WORDS[input.kind];
  const text = [
    words.lead,
    '',
    input.url,
    '',
    ...(input.extra ? [input.extra, ''] : []),
    `The link works once, until ${input.expiresAt.toISOString().replace('.000Z', 'Z')}.`,
    'If you did not expect this mail, ignore it: nothing happens without the link.',
  ].join('\n');
  return { to: input.to, subject: words.subject, text };
}
