// Orders the page tests and the browser journeys share, filed through the API: a public order of
// outlet A with a document and a target, another public order (for pagination and precedents), and a
// private order of A whose summary carries a marker that must never reach an outsider.
import type { FastifyInstance } from 'fastify';
import { authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { uploadFiles } from '../search/searchTestHelpers.ts';

export const PRIVATE_MARKER = 'PRIVATEmarkerQuagmire';
export const PUBLIC_SUMMARY = 'Требование удалить репортаж о войне';
export const DOCUMENT_TEXT =
  'Федеральная служба по надзору в сфере связи (Роскомнадзор) требует удалить материал.\n' +
  'Основание: статья 15.3 Федерального закона № 149-ФЗ. <script>alert("x")</script> & «кавычки»';

export interface WebFixtures {
  outletA: Awaited<ReturnType<typeof createOutletWithToken>>;
  outletB: Awaited<ReturnType<typeof createOutletWithToken>>;
  publicOrder: string;
  secondOrder: string;
  privateOrder: string;
  documentId: number;
}

export async function fileWebFixtures(app: FastifyInstance): Promise<WebFixtures> {
  const outletA = await createOutletWithToken(app, 'vlast-kz', ['vlast.kz']);
  const outletB = await createOutletWithToken(app, 'other-outlet', ['other.example']);
  const roskomnadzor = (await authorityByAlias(app, 'Роскомнадзор')).slug;
  const kazakhMinistry = (await authorityByAlias(app, 'МИОР')).slug;
  const publicOrder = (
    await fileOrder(app, outletA.headers, {
      authority: roskomnadzor,
      visibility: 'public',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      issued_on: '2022-03-04',
      reference_number: '№ 04-37/1234',
      status: 'refused',
      summary: PUBLIC_SUMMARY,
      targets: [{ url: 'https://vlast.kz/novosti/49000-war.html' }],
    })
  ).id;
  const [document] = await uploadFiles(app, outletA.headers, publicOrder, [
    { name: 'order', filename: 'demand.txt', content: DOCUMENT_TEXT, contentType: 'text/plain' },
  ]);
  const secondOrder = (
    await fileOrder(app, outletA.headers, {
      authority: roskomnadzor,
      visibility: 'public',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['block'],
      issued_on: '2023-05-06',
      status: 'complied',
      summary: 'Требование заблокировать страницу',
    })
  ).id;
  const privateOrder = (
    await fileOrder(app, outletA.headers, {
      authority: kazakhMinistry,
      visibility: 'private',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      issued_on: '2024-01-02',
      summary: `Private demand ${PRIVATE_MARKER}`,
      targets: [{ url: 'https://vlast.kz/novosti/50000-private.html' }],
    })
  ).id;
  return { outletA, outletB, publicOrder, secondOrder, privateOrder, documentId: document!.id };
}
