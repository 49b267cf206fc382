// The redaction review's forms without JavaScript (issue #17): a box drawn on a PDF's page typed in
// percent (refused beside its field when it is not one, or reaches past the page), shown on the page's
// image and removable; a span someone added is removed and an archive's proposal only rejected; and the
// order's own texts (summary, stated reason, threatened consequence) reviewed on their own page, linked
// from the desk.
import Tokens from '@fastify/csrf';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfSecretOf } from '../../server/auth/sessions.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;
const PHONE = '+7 701 555 44 33';

interface ListedRedaction {
  id: number;
  text: string | null;
  area: { x: number; y: number; width: number; height: number } | null;
  state: string;
  source: string;
  field: string | null;
}

describe('the redaction review’s forms', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let member: TestPerson;
  let outsider: TestPerson;
  let outletHeaders: Record<string, string>;
  let orderId: string;
  let pdfId: number;
  let textId: number;

  const csrfOf = (person: TestPerson) =>
    Tokens().create(csrfSecretOf(person.cookie.slice(person.cookie.indexOf('=') + 1)));
  const get = (url: string, person: TestPerson) =>
    harness.app.inject({ method: 'GET', url, headers: { cookie: person.cookie } });
  const postForm = (url: string, person: TestPerson, fields: [string, string][]) =>
    harness.app.inject({
      method: 'POST',
      url,
      headers: { cookie: person.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', csrfOf(person)], ...fields]).toString(),
    });
  const listed = async (url: string) =>
    (await harness.app.inject({ method: 'GET', url: `${url}?limit=500`, headers: member.headers })).json()
      .items as ListedRedaction[];

  async function upload(filename: string, content: Buffer, contentType: string): Promise<number> {
    const body = multipartBody([{ name: 'order', filename, content, contentType }]);
    const answer = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...outletHeaders, ...body.headers },
      payload: body.payload,
    });
    if (answer.statusCode !== 201) throw new Error(`upload: ${answer.body}`);
    const id = answer.json().documents[0].id as number;
    await waitForDocument(harness.app, id, outletHeaders);
    return id;
  }

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    const outletA = await createOutletWithToken(harness.app, 'review-outlet');
    const outletB = await createOutletWithToken(harness.app, 'other-review-outlet');
    outletHeaders = outletA.headers;
    member = await createPerson(harness.app, {
      email: 'reviewer@review.example',
      memberships: [{ outletId: outletA.outlet.id, role: 'member' }],
    });
    outsider = await createPerson(harness.app, {
      email: 'outsider@review.example',
      memberships: [{ outletId: outletB.outlet.id, role: 'member' }],
    });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    orderId = (
      await fileOrder(harness.app, outletHeaders, {
        authority,
        visibility: 'private',
        summary: `Call the editor at ${PHONE} about the demand`,
      })
    ).id;
    pdfId = await upload(
      'scan.pdf',
      Buffer.from(await bornDigitalPdf(['The ministry demands removal.', 'Signed: the minister'])),
      'application/pdf',
    );
    textId = await upload('note.txt', Buffer.from(`A plain note, phone ${PHONE}, room 12`), 'text/plain');
  }, 120_000);
  afterAll(() => harness?.close());

  it('draws a box on a PDF’s page with the form, refuses a bad one beside its field, shows it and removes it', async () => {
    const reviewUrl = `/desk/documents/${pdfId}/redactions`;
    const review = documentOf((await get(reviewUrl, member)).body);
    const form = review.querySelector<HTMLFormElement>('#area-form')!;
    expect(form.getAttribute('action')).toBe(`/desk/documents/${pdfId}/areas`);
    expect([...form.querySelectorAll('#area-page option')].map((option) => option.textContent)).toEqual([
      'Page 1',
      'Page 2',
    ]);
    // The drawing script is loaded as a file, on the review page only.
    expect(review.querySelector('script[src="/assets/redactionBoxes.js"]')).not.toBeNull();
    expect(review.querySelector('.page-figure[data-page="2"] img.page-image')).not.toBeNull();

    const box = (x: string, y: string, width: string, height: string, page = '2') =>
      [
        ['page', page],
        ['x', x],
        ['y', y],
        ['width', width],
        ['height', height],
        ['kind', 'person-name'],
      ] satisfies [string, string][];
    const notANumber = await postForm(`/desk/documents/${pdfId}/areas`, member, box('left', '10', '20', '5'));
    expect(notANumber.statusCode).toBe(400);
    const refused = documentOf(notANumber.body);
    expect(refused.querySelector('#area-x-error')?.textContent).toMatch(/percent from 0 to 100/);
    expect(refused.querySelector('.error-summary a')?.getAttribute('href')).toBe('#area-x');
    // What was typed comes back.
    expect(refused.querySelector<HTMLInputElement>('#area-width')!.value).toBe('20');
    expect(refused.querySelector<HTMLSelectElement>('#area-page')!.value).toBe('2');

    const pastEdge = await postForm(`/desk/documents/${pdfId}/areas`, member, box('90', '10', '20', '5'));
    expect(pastEdge.statusCode).toBe(400);
    expect(documentOf(pastEdge.body).querySelector('#area-width-error')?.textContent).toMatch(
      /past the edge/,
    );
    const noPage = await postForm(`/desk/documents/${pdfId}/areas`, member, box('10', '10', '20', '5', '3'));
    expect(documentOf(noPage.body).querySelector('#area-page-error')).not.toBeNull();
    expect((await listed(`/api/documents/${pdfId}/redactions`)).filter((r) => r.area)).toEqual([]);
    // Someone who may not read the document unredacted draws nothing and learns nothing.
    expect(
      (await postForm(`/desk/documents/${pdfId}/areas`, outsider, box('10', '10', '20', '5'))).statusCode,
    ).toBe(404);

    // Without the session's form token, nothing is drawn.
    const forged = await harness.app.inject({
      method: 'POST',
      url: `/desk/documents/${pdfId}/areas`,
      headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(box('10', '10', '20', '5')).toString(),
    });
    expect(forged.statusCode).toBe(403);
    const drawn = await postForm(`/desk/documents/${pdfId}/areas`, member, box('12,5', '60', '40', '10'));
    expect(drawn.statusCode, drawn.body).toBe(303);
    expect(drawn.headers.location).toBe(`${reviewUrl}#page-2`);
    const [area] = (await listed(`/api/documents/${pdfId}/redactions`)).filter((r) => r.area);
    expect(area).toMatchObject({
      area: { x: 0.125, y: 0.6, width: 0.4, height: 0.1 },
      state: 'accepted',
      source: 'person',
    });

    // On the page: a box over page 2's image, and a line with a button that removes it.
    const after = documentOf((await get(reviewUrl, member)).body);
    const rect = after.querySelector(`#page-2 .area-overlay rect[data-redaction="${area!.id}"]`)!;
    expect([rect.getAttribute('x'), rect.getAttribute('width')]).toEqual(['12.5', '40']);
    expect(after.querySelector('#page-1 .area-overlay')).toBeNull();
    const item = after.querySelector(`#item-${area!.id}`)!;
    expect(item.textContent).toContain('12.5% from the left');
    const remove = item.querySelector<HTMLFormElement>(`form[action="/desk/redactions/${area!.id}/remove"]`)!;
    expect(remove.querySelector<HTMLInputElement>('input[name=next]')!.value).toBe(`${reviewUrl}#page-2`);

    const removed = await postForm(`/desk/redactions/${area!.id}/remove`, member, [
      ['next', `${reviewUrl}#page-2`],
    ]);
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`${reviewUrl}#page-2`);
    expect((await listed(`/api/documents/${pdfId}/redactions`)).filter((r) => r.area)).toEqual([]);
    expect(documentOf((await get(reviewUrl, member)).body).querySelector('.area-overlay')).toBeNull();
  });

  it('offers no box form and no page image for a text file, removes a span someone added, and only rejects the archive’s proposal', async () => {
    const reviewUrl = `/desk/documents/${textId}/redactions`;
    const review = documentOf((await get(reviewUrl, member)).body);
    expect(review.querySelector('#area-form')).toBeNull();
    expect(review.querySelector('script[src="/assets/redactionBoxes.js"]')).toBeNull();
    // A text has no page image: none is shown broken beside its text.
    expect(review.querySelector('img.page-image')).toBeNull();
    const proposal = (await listed(`/api/documents/${textId}/redactions`)).find((r) =>
      r.text?.includes('701 555'),
    )!;
    expect(proposal).toMatchObject({ source: 'auto', state: 'proposed' });
    const proposalItem = review.querySelector(`#item-${proposal.id}`)!;
    expect(proposalItem.querySelector('form[action$="/remove"]')).toBeNull();

    expect(
      (
        await postForm(reviewUrl, member, [
          ['page', '1'],
          ['text', 'room 12'],
        ])
      ).statusCode,
    ).toBe(303);
    const added = (await listed(`/api/documents/${textId}/redactions`)).find((r) => r.text === 'room 12')!;
    const withAdded = documentOf((await get(reviewUrl, member)).body);
    expect(withAdded.querySelector(`#item-${added.id} form[action$="/remove"]`)).not.toBeNull();
    // Accepting the proposal leaves "Show it" to take the decision back; it is never removed.
    await postForm(`/desk/redactions/${proposal.id}`, member, [['state', 'accepted']]);
    const accepted = documentOf((await get(reviewUrl, member)).body).querySelector(`#item-${proposal.id}`)!;
    expect(accepted.querySelector('input[name=state][value=rejected]')).not.toBeNull();
    expect(accepted.querySelector('form[action$="/remove"]')).toBeNull();
    expect((await postForm(`/desk/redactions/${proposal.id}/remove`, member, [])).statusCode).toBe(409);

    expect((await postForm(`/desk/redactions/${added.id}/remove`, outsider, [])).statusCode).toBe(404);
    const removed = await postForm(`/desk/redactions/${added.id}/remove`, member, []);
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`${reviewUrl}#page-1`);
    expect((await listed(`/api/documents/${textId}/redactions`)).map((r) => r.text)).not.toContain('room 12');
    expect(
      documentOf((await get(reviewUrl, member)).body).querySelector('mark.redaction-accepted')?.textContent,
    ).toContain('701 555');
  });

  it('reviews the order’s own texts on their page, linked from the desk and the document’s review', async () => {
    const textsUrl = `/desk/orders/${orderId}/redactions`;
    const desk = documentOf((await get('/desk', member)).body);
    const card = [...desk.querySelectorAll('.desk-card')].find((item) =>
      item.textContent!.includes(orderId),
    )!;
    expect(card.querySelector(`a[href="${textsUrl}"]`)?.textContent).toBe(
      '1 redaction in the order’s own texts awaits your decision',
    );
    expect(
      documentOf((await get(`/desk/documents/${pdfId}/redactions`, member)).body).querySelector(
        `a[href="${textsUrl}"]`,
      ),
    ).not.toBeNull();
    expect((await get(textsUrl, outsider)).statusCode).toBe(404);

    const page = documentOf((await get(textsUrl, member)).body);
    expect(page.querySelector('h1')?.textContent).toBe(`Redactions of the texts of ${orderId}`);
    const mark = page.querySelector('#field-summary mark.redaction-proposed')!;
    expect(mark.textContent).toBe(PHONE);
    expect(page.querySelector('#field-stated_reason .hint')?.textContent).toBe('Empty.');
    const id = mark.id.replace('redaction-', '');
    const back = page.querySelector<HTMLInputElement>(`#item-${id} input[name=next]`)!.value;
    expect(back).toBe(`${textsUrl}#field-summary`);

    const accepted = await postForm(`/desk/redactions/${id}`, member, [
      ['state', 'accepted'],
      ['next', back],
    ]);
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(back);
    // Somewhere off the desk is no place to come back to.
    const elsewhere = await postForm(`/desk/redactions/${id}`, member, [
      ['state', 'accepted'],
      ['next', '//evil.example/'],
    ]);
    expect(elsewhere.headers.location).toBe('/desk');

    const missing = await postForm(textsUrl, member, [
      ['field', 'summary'],
      ['text', 'nowhere'],
    ]);
    expect(missing.statusCode).toBe(400);
    expect(documentOf(missing.body).querySelector('#field-text-error')?.textContent).toMatch(/not there/);
    const added = await postForm(textsUrl, member, [
      ['field', 'summary'],
      ['text', 'the editor'],
      ['kind', 'other'],
    ]);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${textsUrl}#field-summary`);
    const redactions = await listed(`/api/orders/${orderId}/redactions`);
    expect(redactions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'summary', text: PHONE, state: 'accepted' }),
        expect.objectContaining({
          field: 'summary',
          text: 'the editor',
          state: 'accepted',
          source: 'person',
        }),
      ]),
    );
    // Nothing left to decide: the desk no longer asks.
    const deskAfter = documentOf((await get('/desk', member)).body);
    expect(deskAfter.querySelector(`a[href="${textsUrl}"]`)).toBeNull();
  });
});
