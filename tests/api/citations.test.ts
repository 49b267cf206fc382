// GET /api/orders/:id/citation: a reader gets the order's citation in the format their reference manager
// reads, each carrying the permalink and every document's anchor and sha256; a hidden order is 404, as on
// GET /api/orders/:id.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { uploadFiles } from '../search/searchTestHelpers.ts';

const FILE = 'demand of the ministry, citation test';
const FILE_SHA256 = createHash('sha256').update(FILE).digest('hex');

describe('GET /api/orders/:id/citation', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
  let publicOrder: string;
  let privateOrder: string;
  let documentId: number;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    outlet = await createOutletWithToken(harness.app, 'citation-outlet');
    const authority = (await authorityByAlias(harness.app, 'Roskomnadzor')).slug;
    publicOrder = (
      await fileOrder(harness.app, outlet.headers, {
        authority,
        visibility: 'public',
        reference_number: '№ 04-37/1234',
        issued_on: '2026-12-04',
      })
    ).id;
    privateOrder = (await fileOrder(harness.app, outlet.headers, { authority, visibility: 'private' })).id;
    [{ id: documentId }] = (await uploadFiles(harness.app, outlet.headers, publicOrder, [
      { name: 'order', filename: 'demand.txt', content: FILE, contentType: 'text/plain' },
    ])) as [{ id: number }];
  });
  afterAll(async () => {
    await harness?.close();
  });

  const cite = (id: string, format?: string, headers: Record<string, string> = {}) =>
    harness.app.inject({
      url: `/api/orders/${id}/citation${format ? `?format=${format}` : ''}`,
      headers,
    });

  it('gives plain text by default, with the permalink, the document’s anchor and its sha256', async () => {
    const response = await cite(publicOrder);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toContain(publicOrder);
    expect(response.body).toContain('№ 04-37/1234');
    expect(response.body).toContain('2026-12-04');
    expect(response.body).toMatch(
      new RegExp(`https?://[^ ]+/orders/${publicOrder}#document-${documentId} sha256:${FILE_SHA256}`),
    );
    expect(response.body).toMatch(new RegExp(`https?://[^ ]+/orders/${publicOrder}\\.`));
  });

  it('gives BibTeX, CSL-JSON and RIS with their media types', async () => {
    const bibtex = await cite(publicOrder, 'bibtex');
    expect(bibtex.headers['content-type']).toBe('application/x-bibtex; charset=utf-8');
    expect(bibtex.body).toMatch(new RegExp(`^@misc\\{${publicOrder},\\n`));
    expect(bibtex.body).toContain(`sha256:${FILE_SHA256}`);

    const csl = await cite(publicOrder, 'csl-json');
    expect(csl.headers['content-type']).toBe('application/vnd.citationstyles.csl+json; charset=utf-8');
    const [item] = JSON.parse(csl.body) as { id: string; URL: string; note: string; issued: unknown }[];
    expect(item).toMatchObject({ id: publicOrder, issued: { 'date-parts': [[2026, 12, 4]] } });
    expect(item!.URL).toMatch(new RegExp(`/orders/${publicOrder}$`));
    expect(item!.note).toContain(`#document-${documentId} sha256:${FILE_SHA256}`);

    const ris = await cite(publicOrder, 'ris');
    expect(ris.headers['content-type']).toBe('application/x-research-info-systems; charset=utf-8');
    const lines = ris.body.split('\r\n');
    expect(lines[0]).toBe('TY  - GOVDOC');
    expect(lines).toContain(`ID  - ${publicOrder}`);
    expect(lines).toContain('M1  - № 04-37/1234');
    expect(lines.some((line) => line.startsWith('N1  - ') && line.includes(FILE_SHA256))).toBe(true);
    expect(lines.at(-2)).toBe('ER  - ');
  });

  it('hides a private order from those who may not see it, as the order itself', async () => {
    expect((await cite(privateOrder)).statusCode).toBe(404);
    expect((await cite(privateOrder, 'ris')).json()).toMatchObject({ code: 'not_found' });
    expect((await cite(privateOrder, 'text', outlet.headers)).statusCode).toBe(200);
  });

  it('refuses a format it does not know', async () => {
    const response = await cite(publicOrder, 'endnote');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/format/),
    });
  });
});
