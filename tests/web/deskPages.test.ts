// The upload page, the order form it leads to, the outlet desk and the redaction review, through app.inject
// as a browser without JavaScript would use them: one multipart form (its CSRF token checked before any
// file is stored), suggestions marked until confirmed, problems beside their fields, the desk showing only
// the caller's outlets' orders with what needs doing, and redactions decided and added with forms.
import Tokens from '@fastify/csrf';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfSecretOf } from '../../server/auth/sessions.ts';
import { ADMIN_TOKEN, createOutletWithToken } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody, type Part } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;

const PHONE = '+7 701 123 45 67';
const DEMAND =
  'Федеральная служба по надзору в сфере связи (Роскомнадзор)\n' +
  '№ 04-37/5555 от 12.03.2026\n' +
  'Требуем удалить материал https://vlast.kz/novosti/51000-desk.html на основании статьи 15.3 ' +
  'Федерального закона № 149-ФЗ.\n' +
  `Исполнитель: Петров П. П., тел. ${PHONE}\n` +
  'Адрес для ответа: ул. Абая, 10\n';

describe('upload, desk and redaction review pages', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let member: TestPerson;
  let outsider: TestPerson;

  const csrfOf = (person: TestPerson) =>
    Tokens().create(csrfSecretOf(person.cookie.slice(person.cookie.indexOf('=') + 1)));
  const get = (url: string, cookie?: string) =>
    harness.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const postForm = (url: string, person: TestPerson, fields: [string, string][], csrf = true) =>
    harness.app.inject({
      method: 'POST',
      url,
      headers: { cookie: person.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([...(csrf ? [['_csrf', csrfOf(person)]] : []), ...fields]).toString(),
    });
  const upload = (person: TestPerson, parts: Part[], csrf = true) => {
    const body = multipartBody([...(csrf ? [{ name: '_csrf', content: csrfOf(person) }] : []), ...parts]);
    return harness.app.inject({
      method: 'POST',
      url: '/upload',
      headers: { ...body.headers, cookie: person.cookie },
      payload: body.payload,
    });
  };
  const orderCount = async (person: TestPerson) =>
    (
      await harness.app.inject({ method: 'GET', url: '/api/orders?limit=100', headers: person.headers })
    ).json().items.length as number;
  const storyOf = async (id: string, person: TestPerson) =>
    (await harness.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: person.headers })).json();

  /** Uploads the demand as a browser without JavaScript does; answers the draft's id, once it is read. */
  async function uploadDemand(person: TestPerson, text = DEMAND): Promise<string> {
    const answer = await upload(person, [
      { name: 'file', filename: 'demand.txt', content: text, contentType: 'text/plain' },
    ]);
    expect(answer.statusCode, answer.body).toBe(303);
    const id = /^\/desk\/orders\/(TD-\d{4}-\d+)$/.exec(String(answer.headers.location))![1]!;
    const story = await storyOf(id, person);
    for (const document of story.documents) await waitForDocument(harness.app, document.id, person.headers);
    return id;
  }

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN, MAX_UPLOAD_BYTES: '200000' }, { worker: true });
    const outletA = await createOutletWithToken(harness.app, 'vlast-kz', ['vlast.kz']);
    const outletB = await createOutletWithToken(harness.app, 'other-outlet', ['other.example']);
    member = await createPerson(harness.app, {
      email: 'member@vlast.example',
      displayName: 'Member of Vlast',
      memberships: [{ outletId: outletA.outlet.id, role: 'member' }],
    });
    outsider = await createPerson(harness.app, {
      email: 'outsider@other.example',
      memberships: [{ outletId: outletB.outlet.id, role: 'member' }],
    });
  });
  afterAll(() => harness?.close());

  it('asks an anonymous reader to sign in for the upload page and the desk', async () => {
    for (const path of ['/upload', '/desk']) {
      const answer = await get(path);
      // Sent to sign in, and back to the page after.
      expect(answer.statusCode, path).toBe(303);
      expect(answer.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const form = documentOf((await get('/upload', member.cookie)).body).querySelector('form.upload-form')!;
    expect(form.getAttribute('enctype')).toBe('multipart/form-data');
    // The token comes first, so it is checked before any file is stored.
    expect(form.querySelector('input')!.getAttribute('name')).toBe('_csrf');
    expect(form.querySelector('input[type=file]')!.hasAttribute('multiple')).toBe(true);
  });

  it('stores nothing from a multipart form without its CSRF token, and re-renders the form without a file', async () => {
    const before = await orderCount(member);
    const forged = await upload(
      member,
      [{ name: 'file', filename: 'demand.txt', content: DEMAND, contentType: 'text/plain' }],
      false,
    );
    expect(forged.statusCode).toBe(403);
    expect(await orderCount(member)).toBe(before);

    const empty = await upload(member, []);
    expect(empty.statusCode).toBe(400);
    const page = documentOf(empty.body);
    expect(page.querySelector('#files-error')?.textContent).toBe('Choose at least one file.');
    expect(page.querySelector('.error-summary a')?.getAttribute('href')).toBe('#files');
    expect(await orderCount(member)).toBe(before);

    const tooLarge = await upload(member, [
      { name: 'file', filename: 'big.txt', content: 'а'.repeat(150_000), contentType: 'text/plain' },
    ]);
    expect(tooLarge.statusCode).toBe(413);
    expect(documentOf(tooLarge.body).querySelector('#files-error')?.textContent).toMatch(/larger than/);
    expect(await orderCount(member)).toBe(before);
  });

  it('pre-fills the order form from the suggestions, marked until confirmed, and saves it through the API’s rules', async () => {
    const id = await uploadDemand(member);
    const formPage = await get(`/desk/orders/${id}`, member.cookie);
    expect(formPage.statusCode).toBe(200);
    const page = documentOf(formPage.body);
    expect(page.querySelector<HTMLSelectElement>('#authority')!.value).toBe('ru-roskomnadzor');
    expect(page.querySelector('#authority-suggested')?.textContent).toContain('Suggested');
    expect(page.querySelector('#targets')!.textContent).toBe('https://vlast.kz/novosti/51000-desk.html');
    expect(page.querySelector('#targets-suggested')).not.toBeNull();
    expect(page.querySelector<HTMLInputElement>('#issued_on')!.value).toBe('2026-03-12');
    expect(page.querySelector('#legal_basis')!.textContent).toContain('RU/149-FZ/15.3');
    // An outsider neither sees it nor learns that it exists.
    expect((await get(`/desk/orders/${id}`, outsider.cookie)).statusCode).toBe(404);

    const etag = page.querySelector<HTMLInputElement>('input[name=etag]')!.value;
    const fields = (extra: [string, string][]): [string, string][] => [
      ['etag', etag],
      ['authority', 'ru-roskomnadzor'],
      ['reference_number', page.querySelector<HTMLInputElement>('#reference_number')!.value],
      ['issued_on', '2026-03-12'],
      ['legal_basis', 'RU/149-FZ/15.3'],
      ['targets', 'https://vlast.kz/novosti/51000-desk.html'],
      ['visibility', 'embargoed'],
      ['embargo_on', '2099-01-01'],
      ...extra,
    ];
    // Suggestions left unconfirmed come back with the message beside each; nothing is saved.
    const unconfirmed = await postForm(`/desk/orders/${id}`, member, fields([]));
    expect(unconfirmed.statusCode).toBe(400);
    const again = documentOf(unconfirmed.body);
    expect(again.querySelector('#authority-error')?.textContent).toMatch(/Confirmed/);
    expect(again.querySelector<HTMLInputElement>('#embargo_on')!.value).toBe('2099-01-01');
    expect((await storyOf(id, member)).draft).toBe(true);

    const confirms: [string, string][] = [
      'authority',
      'reference_number',
      'issued_on',
      'legal_basis',
      'targets',
    ].map((field) => ['confirm', field]);
    // A bad embargo date is refused beside its field.
    const badDate = await postForm(
      `/desk/orders/${id}`,
      member,
      fields(confirms).map(([name, value]) => [name, name === 'embargo_on' ? '2026-02-31x' : value]),
    );
    expect(badDate.statusCode).toBe(400);
    expect(documentOf(badDate.body).querySelector('#embargo_on-error')).not.toBeNull();

    const saved = await postForm(`/desk/orders/${id}`, member, fields(confirms));
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`/desk?saved=${id}`);
    const story = await storyOf(id, member);
    expect(story).toMatchObject({ draft: false, visibility: 'embargoed', legal_basis: ['RU/149-FZ/15.3'] });
    expect(story.authority.slug).toBe('ru-roskomnadzor');
    expect(story.embargo_until).toMatch(/^2099-01-01T00:00:00/);
    expect(
      story.targets.map((target: { article: { canonical_url: string } }) => target.article.canonical_url),
    ).toEqual(['https://vlast.kz/novosti/51000-desk.html']);

    // The form of a saved order shows its values, no longer as suggestions (a field left empty may still
    // be offered one).
    const savedAnswer = await get(`/desk/orders/${id}`, member.cookie);
    expect(savedAnswer.statusCode).toBe(200);
    const savedForm = documentOf(savedAnswer.body);
    for (const field of ['authority', 'reference_number', 'issued_on', 'legal_basis', 'targets']) {
      expect(savedForm.querySelector(`#${field}-suggested`), field).toBeNull();
    }
    expect(savedForm.querySelector<HTMLInputElement>('#embargo_on')!.value).toBe('2099-01-01');
    expect(savedForm.querySelector<HTMLInputElement>('#visibility-embargoed')!.checked).toBe(true);

    // The desk lists it for its outlet, with what needs doing; another outlet's desk does not.
    const desk = documentOf((await get(`/desk?saved=${id}`, member.cookie)).body);
    expect(desk.querySelector('.notice')?.textContent).toContain(id);
    const card = [...desk.querySelectorAll('.desk-card')].find((item) => item.textContent!.includes(id))!;
    expect(card.textContent).toContain('Embargoed until');
    expect(card.querySelector('a[href*="/redactions"]')?.textContent).toMatch(
      /\d+ redactions? awaits? your decision/,
    );
    expect((await get('/desk', outsider.cookie)).body).not.toContain(id);
  });

  it('reviews redactions with forms: accept, and add by exact text; text not on the page is refused beside the field', async () => {
    const id = await uploadDemand(member);
    const documentId = (await storyOf(id, member)).documents[0].id as number;
    const reviewUrl = `/desk/documents/${documentId}/redactions`;
    const review = documentOf((await get(reviewUrl, member.cookie)).body);
    const proposal = [...review.querySelectorAll('mark.redaction-proposed')].find((mark) =>
      mark.textContent!.includes('701 123 45 67'),
    )!;
    expect(proposal).toBeDefined();
    // Whoever may not read the document unredacted does not find the page.
    expect((await get(reviewUrl, outsider.cookie)).statusCode).toBe(404);

    const redactionId = proposal.id.replace('redaction-', '');
    const forged = await postForm(`/desk/redactions/${redactionId}`, member, [['state', 'accepted']], false);
    expect(forged.statusCode).toBe(403);
    const accepted = await postForm(`/desk/redactions/${redactionId}`, member, [['state', 'accepted']]);
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`${reviewUrl}#page-1`);

    const missing = await postForm(reviewUrl, member, [
      ['page', '1'],
      ['text', 'Иванов'],
      ['kind', 'person-name'],
    ]);
    expect(missing.statusCode).toBe(400);
    expect(documentOf(missing.body).querySelector('#add-text-error')?.textContent).toMatch(
      /not on that page/,
    );

    const added = await postForm(reviewUrl, member, [
      ['page', '1'],
      ['text', 'ул. Абая, 10'],
      ['kind', 'other'],
    ]);
    expect(added.statusCode).toBe(303);
    const listed = (
      await harness.app.inject({
        method: 'GET',
        url: `/api/documents/${documentId}/redactions`,
        headers: member.headers,
      })
    ).json().items as { text: string; state: string }[];
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: 'ул. Абая, 10', state: 'accepted' }),
        expect.objectContaining({ state: 'accepted' }),
      ]),
    );
    expect(listed.filter((redaction) => redaction.text.includes('701 123'))).toEqual([
      expect.objectContaining({ state: 'accepted' }),
    ]);
    const after = documentOf((await get(reviewUrl, member.cookie)).body);
    expect(after.querySelectorAll('mark.redaction-accepted').length).toBeGreaterThanOrEqual(2);
  });

  it('shows a failed document on the desk with its reason and a button that reads it again', async () => {
    const broken = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nbroken');
    const answer = await upload(member, [
      { name: 'file', filename: 'broken.pdf', content: broken, contentType: 'application/pdf' },
    ]);
    const id = /(TD-\d{4}-\d+)$/.exec(String(answer.headers.location))![1]!;
    const document = (await storyOf(id, member)).documents[0];
    const read = await waitForDocument(harness.app, document.id, member.headers);
    expect(read.status).toBe('failed');
    const desk = documentOf((await get('/desk', member.cookie)).body);
    const card = [...desk.querySelectorAll('.desk-card')].find((item) => item.textContent!.includes(id))!;
    expect(card.querySelector('.document-reason')?.textContent).toContain(read.status_reason);
    const button = card.querySelector<HTMLFormElement>(
      `form[action="/desk/documents/${document.id}/reprocess"]`,
    )!;
    expect(button).not.toBeNull();
    const again = await postForm(`/desk/documents/${document.id}/reprocess`, member, [['next', '/desk']]);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/desk');
  });
});
