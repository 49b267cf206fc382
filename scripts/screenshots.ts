// npm run screenshots: starts the archive as `npm start` does (in a temporary DATA_DIR, on a free port),
// files a few sample orders through its API, invites and signs in an outlet's admin (for the account
// pages, the upload page and the desk), and writes a PNG of every page in English, Russian and Kazakh at
// desktop and phone width into ./screenshots/, with Debian's Chromium (CHROMIUM to override).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ADMIN = `screenshots-${randomBytes(16).toString('hex')}`;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-screenshots-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const archive = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the archive to start');
    const api = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    await api('POST', '/api/outlets', { slug: 'vlast-kz', name: 'Vlast.kz', domains: ['vlast.kz'] });
    await api('POST', '/api/outlets', { slug: 'kloop-kg', name: 'Kloop.kg', domains: ['kloop.kg'] });
    const first = await api('POST', '/api/orders', {
      outlet: 'vlast-kz',
      authority: 'ru-roskomnadzor',
      visibility: 'public',
      reference_number: '№ 04-37/1234',
      issued_on: '2022-03-04',
      received_on: '2022-03-05',
      deadline_at: '2022-03-08T00:00:00Z',
      channel: 'email',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      status: 'refused',
      summary: 'Роскомнадзор потребовал удалить репортаж о войне; редакция отказалась.',
      targets: [{ url: 'https://vlast.kz/novosti/49000-war.html' }],
    });
    await api('POST', '/api/orders', {
      outlet: 'kloop-kg',
      authority: 'kz-cert',
      visibility: 'public',
      issued_on: '2023-10-02',
      legal_basis: ['KZ/COMMUNICATIONS-2004/41-1'],
      demanded_actions: ['block'],
      status: 'challenged',
      summary: 'KZ-CERT demanded that a story about children in propaganda videos be taken down.',
      targets: [{ url: 'https://kloop.kg/blog/2023/10/02/story/' }],
    });
    await api('POST', '/api/orders', {
      outlet: 'vlast-kz',
      authority: 'ru-roskomnadzor',
      visibility: 'public',
      issued_on: '2023-05-06',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['block', 'deindex'],
      status: 'complied',
      summary: 'Требование заблокировать страницу.',
    });
    const form = new FormData();
    const text =
      'Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций\n' +
      'ТРЕБОВАНИЕ № 04-37/1234 от 04.03.2022\n\nНа основании статьи 15.3 Федерального закона от 27.07.2006 ' +
      '№ 149-ФЗ «Об информации, информационных технологиях и о защите информации» требуем удалить материал ' +
      'https://vlast.kz/novosti/49000-war.html в течение 24 часов.\nИсполнитель: тел. +7 495 987-65-43';
    form.append('order', new Blob([text], { type: 'text/plain' }), 'trebovanie.txt');
    const uploaded = await fetch(`${base}/api/orders/${String(first.id)}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
      body: form,
    });
    if (!uploaded.ok) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    const documentId = ((await uploaded.json()) as { documents: { id: number }[] }).documents[0]!.id;
    await until(async () => {
      const result = (await api('GET', '/api/search/pages?q=%D1%82%D1%80%D0%B5%D0%B1%D1%83%D0%B5%D0%BC')) as {
        total: number;
      };
      return result.total > 0 ? true : undefined;
    }, 'the sample document to be searchable');

    // A person to see the signed-in pages as: outlet vlast-kz's admin, invited and accepted through the API.
    const invitation = await api('POST', '/api/invitations', {
      email: 'aigerim@vlast.example',
      role: 'admin',
      outlet: 'vlast-kz',
    });
    const password = 'screenshots passphrase';
    await api('POST', '/api/invitations/accept', {
      token: invitation.token,
      display_name: 'Aigerim Sadykova',
      password,
    });
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      },
      body: JSON.stringify({ email: 'aigerim@vlast.example', password }),
    });
    const session = /ta_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
    if (!session) throw new Error(`signing in: ${signIn.status} ${await signIn.text()}`);
    const signedInPages: Record<string, string> = {
      account: '/account',
      sessions: '/account/sessions',
      tokens: '/account/tokens',
      'outlet-people': '/outlets/vlast-kz/people',
      upload: '/upload',
      desk: '/desk',
      'desk-order': `/desk/orders/${String(first.id)}`,
      'redaction-review': `/desk/documents/${documentId}/redactions`,
      'order-text-review': `/desk/orders/${String(first.id)}/redactions`,
    };

    const pages: Record<string, string> = {
      search: '/?q=%D0%A0%D0%BE%D1%81%D0%BA%D0%BE%D0%BC%D0%BD%D0%B0%D0%B4%D0%B7%D1%80',
      home: '/',
      order: `/orders/${String(first.id)}`,
      about: '/about',
      'sign-in': '/sign-in',
      'not-found': '/no-such-page',
      invitation: '/invitations/accept',
      'sign-in-link': '/sign-in/link',
      'password-reset': '/password-reset',
      'password-reset-request': '/password-reset/request',
      stats: '/stats',
    };
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    for (const locale of ['en', 'ru', 'kk']) {
      for (const [width, viewport] of Object.entries(WIDTHS)) {
        const context = await browser.newContext({ viewport });
        await context.addCookies([{ name: 'lang', value: locale, url: base }]);
        const page = await context.newPage();
        const shoot = async (name: string, url: string) => {
          await page.goto(`${base}${url}`);
          const file = path.join(OUT, `${name}-${locale}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          console.log(file);
        };
        for (const [name, url] of Object.entries(pages)) await shoot(name, url);
        await context.addCookies([{ name: 'ta_session', value: session, url: base }]);
        for (const [name, url] of Object.entries(signedInPages)) await shoot(name, url);
        await context.close();
      }
    }
    await browser.close();
  } finally {
    archive.kill('SIGTERM');
    await new Promise((resolve) => archive.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
