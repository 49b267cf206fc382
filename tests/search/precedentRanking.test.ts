// Precedents as a lawyer reads them: the most alike first (same article and authority before the same
// article alone, two shared actions before one), newest first among equally alike — and an older order
// that is more alike is never crowded out by many newer, less alike ones. The order's page lists the same
// precedents as GET /api/orders/:id/precedents.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { get, waitUntilSearchable } from './searchTestHelpers.ts';

interface Listed {
  id: string;
  score: number;
  issued_on: string;
  shared: { legal_basis: string[]; legal_acts: string[]; authority: boolean; demanded_actions: string[] };
}

describe('precedent ranking', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const filed = {
    subject: '',
    full: '',
    articleAuthority: '',
    bothActions: '',
    oneAction: [] as string[],
    kazakhSubject: '',
    actAndAction: '',
    actOnly: [] as string[],
    actionOnly: [] as string[],
  };

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const file = async (order: object) =>
      (await fileOrder(harness.app, editor, { visibility: 'public', ...order })).id;
    const day = (year: number, index: number) =>
      `${year}-0${1 + Math.floor(index / 28)}-${10 + (index % 28)}`;

    // A Roskomnadzor order under art. 15.3 demanding removal and restriction, and its candidates.
    const law = ['RU/149-FZ/15.3'];
    filed.subject = await file({
      authority: 'ru-roskomnadzor',
      issued_on: '2024-06-01',
      legal_basis: law,
      demanded_actions: ['remove', 'restrict_access'],
    });
    filed.full = await file({
      authority: 'ru-roskomnadzor',
      issued_on: '2016-01-10',
      legal_basis: law,
      demanded_actions: ['restrict_access', 'remove'],
    });
    filed.articleAuthority = await file({
      authority: 'ru-roskomnadzor',
      issued_on: '2017-01-10',
      legal_basis: law,
      demanded_actions: ['block'],
    });
    filed.bothActions = await file({
      authority: 'ru-prosecutor-general',
      issued_on: '2015-01-10',
      legal_basis: law,
      demanded_actions: ['remove', 'restrict_access'],
    });
    // Nine newer orders sharing the article and one action only.
    for (let i = 0; i < 9; i++)
      filed.oneAction.push(
        await file({
          authority: 'ru-prosecutor-general',
          issued_on: day(2020, i),
          legal_basis: law,
          demanded_actions: ['remove'],
        }),
      );

    // A Federal Tax Service order under the Kazakh media law demanding a correction: one old order shares
    // its act (another article) and its action; twenty newer ones share only one of the two.
    filed.kazakhSubject = await file({
      authority: 'ru-fns',
      issued_on: '2024-06-01',
      legal_basis: ['KZ/MASS-MEDIA-1999/2'],
      demanded_actions: ['correct'],
    });
    filed.actAndAction = await file({
      authority: 'ru-prosecutor-general',
      issued_on: '2014-01-10',
      legal_basis: ['KZ/MASS-MEDIA-1999/5'],
      demanded_actions: ['correct'],
    });
    for (let i = 0; i < 10; i++) {
      filed.actOnly.push(
        await file({
          authority: 'ru-prosecutor-general',
          issued_on: day(2019, i),
          legal_basis: ['KZ/MASS-MEDIA-1999/5'],
          demanded_actions: ['geo_block'],
        }),
      );
      filed.actionOnly.push(
        await file({
          authority: 'ru-prosecutor-general',
          issued_on: day(2018, i),
          legal_basis: ['RU/2124-1/4'],
          demanded_actions: ['correct'],
        }),
      );
    }
    await waitUntilSearchable(harness);
  }, 180_000);
  afterAll(() => harness.close());

  const precedentsOf = async (id: string) => {
    const response = await get(harness.app, `/api/orders/${id}/precedents`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().precedents as Listed[];
  };

  it('lists the same authority and article first, then two shared actions before one, newest first among equals', async () => {
    const precedents = await precedentsOf(filed.subject);
    expect(precedents.map((p) => p.id)).toEqual([
      filed.full,
      filed.articleAuthority,
      filed.bothActions,
      ...filed.oneAction.toReversed().slice(0, 7),
    ]);
    expect(precedents.map((p) => p.score)).toEqual([9, 7, 7, 6, 6, 6, 6, 6, 6, 6]);
    expect(precedents[2]!.shared).toEqual({
      legal_basis: ['RU/149-FZ/15.3'],
      legal_acts: ['RU/149-FZ'],
      authority: false,
      demanded_actions: ['remove', 'restrict_access'],
    });
  });

  it('does not let newer orders that share only the act or only the action crowd out one that shares both', async () => {
    const precedents = await precedentsOf(filed.kazakhSubject);
    expect(precedents).toHaveLength(10);
    expect(precedents[0]).toMatchObject({
      id: filed.actAndAction,
      score: 2,
      shared: {
        legal_basis: [],
        legal_acts: ['KZ/MASS-MEDIA-1999'],
        authority: false,
        demanded_actions: ['correct'],
      },
    });
    const rest = precedents.slice(1);
    expect(rest.every((p) => p.score === 1)).toBe(true);
    // The newest of the twenty that share one thing: the act-only ones, filed in 2019.
    expect(rest.map((p) => p.id)).toEqual(filed.actOnly.toReversed().slice(0, 9));
  });

  it('shows the same precedents, in the same order, on the order’s page', async () => {
    const page = await get(harness.app, `/orders/${filed.subject}`);
    expect(page.statusCode).toBe(200);
    const listed = [
      ...new JSDOM(page.body).window.document.querySelectorAll('.precedent-list > li > a[href^="/orders/"]'),
    ].map((link) => link.getAttribute('href')!.replace('/orders/', ''));
    expect(listed).toEqual((await precedentsOf(filed.subject)).map((p) => p.id));
  });
});
