// One stored file serves every document with the same bytes. An upload that stored a new file and then
// failed (a second file over the limit, an order it may not change) removes what it stored, while
// another upload of the same bytes may have found the file there and filed a document on it. Neither
// order of events may leave a document without its bytes.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorCaller, type Caller } from '../../server/auth/caller.ts';
import { attachDocuments } from '../../server/commands/documentReceiver.ts';
import { discardUnusedBlobs, recordBlob } from '../../server/storage/blobClaims.ts';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

const EDITOR: Caller = operatorCaller('test');

describe('files shared by uploads of the same bytes', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let orderId: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN, MAX_UPLOAD_BYTES: String(64 * 1024) });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    orderId = (await fileOrder(harness.app, editor, { authority })).id;
  });
  afterAll(() => harness.close());

  const store = (bytes: Buffer) => harness.app.blobs.store(Readable.from([bytes]), 64 * 1024);
  const attach = (blob: Awaited<ReturnType<typeof store>>) =>
    attachDocuments(
      { db: harness.app.db, jobs: harness.app.jobs },
      {
        caller: EDITOR,
        orderId,
        files: [{ role: 'order', filename: 'notice.txt', blob, mime: 'text/plain' }],
        ocrLanguages: 'rus',
      },
    );
  const documentsWith = async (sha256: string) =>
    (await harness.app.db.query('SELECT id FROM documents WHERE sha256 = $1', [sha256])).rowCount;

  it('keeps the file when the other upload filed a document on it first', async () => {
    const bytes = Buffer.concat([Buffer.from('Требование удалить материал '), randomBytes(16)]);
    const failing = await store(bytes);
    const succeeding = await store(bytes);
    expect([failing.alreadyStored, succeeding.alreadyStored]).toEqual([false, true]);
    const [document] = await attach(succeeding);
    await discardUnusedBlobs(harness.app.db, [failing]);
    expect(existsSync(failing.path)).toBe(true);
    const file = await harness.app.inject({ url: `/api/documents/${document!.id}/file`, headers: editor });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(bytes)).toBe(true);
  });

  it('makes a removal wait while a document is being filed on the file, then keeps the file', async () => {
    const bytes = Buffer.concat([Buffer.from('Уведомление '), randomBytes(16)]);
    const failing = await store(bytes);
    const filing = await store(bytes);
    const client = await harness.app.db.connect();
    try {
      await client.query('BEGIN');
      await recordBlob(client, filing);
      let removed = false;
      const removal = discardUnusedBlobs(harness.app.db, [failing]).then(() => {
        removed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(removed).toBe(false);
      await client.query('COMMIT');
      await removal;
    } finally {
      client.release();
    }
    expect(existsSync(failing.path)).toBe(true);
  });

  it('refuses to file a document on a file removed meanwhile, and takes the bytes when sent again', async () => {
    const bytes = Buffer.concat([Buffer.from('Предписание '), randomBytes(16)]);
    const failing = await store(bytes);
    const late = await store(bytes);
    await discardUnusedBlobs(harness.app.db, [failing]);
    expect(existsSync(failing.path)).toBe(false);
    await expect(attach(late)).rejects.toMatchObject({ code: 'blob_missing', message: /send it again/ });
    expect(await documentsWith(late.sha256)).toBe(0);
    const body = multipartBody([{ name: 'order', filename: 'notice.txt', content: bytes }]);
    const again = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...editor, ...body.headers },
      payload: body.payload,
    });
    expect(again.statusCode, again.body).toBe(201);
    const file = await harness.app.inject({ url: again.json().documents[0].file_url, headers: editor });
    expect(file.rawPayload.equals(bytes)).toBe(true);
  });

  it('removes what a failed upload stored when no document uses it', async () => {
    const bytes = randomBytes(1024);
    const body = multipartBody([
      { name: 'order', filename: 'small.bin', content: bytes },
      { name: 'evidence', filename: 'big.bin', content: randomBytes(80 * 1024) },
    ]);
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...editor, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(413);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(existsSync(harness.app.blobs.pathOf(sha256))).toBe(false);
    expect(await documentsWith(sha256)).toBe(0);
  });
});
