// A demand that arrives as files alone (POST /api/intake, the upload page) becomes a private draft order
// holding them, in one step: either the draft and every document are filed, with their audit records, or
// nothing is — no empty draft left behind, no stored file that no document uses.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorCaller } from '../../server/auth/caller.ts';
import { fileDraftOrder } from '../../server/commands/draftOrderFiler.ts';
import { ArchiveError } from '../../server/errors.ts';
import { ADMIN_TOKEN } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

const EDITOR = operatorCaller('test');

describe('filing a draft order with its files', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
  });
  afterAll(() => harness.close());

  const stored = async (text: string) => {
    const blob = await harness.app.blobs.store(
      Readable.from([Buffer.concat([Buffer.from(text), randomBytes(16)])]),
      1024 * 1024,
    );
    return { role: 'order' as const, filename: 'notice.txt', blob, mime: 'text/plain' };
  };
  const count = async (table: string) =>
    Number((await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const file = (files: Awaited<ReturnType<typeof stored>>[]) =>
    fileDraftOrder(
      { db: harness.app.db, jobs: harness.app.jobs },
      { caller: EDITOR, files, ocrLanguages: 'rus' },
    );

  it('files a private draft holding every file, audited as an order created and documents uploaded', async () => {
    const files = [await stored('Требование удалить '), await stored('Приложение ')];
    const filed = await file(files);
    expect(filed.documents.map((document) => document.sha256)).toEqual(files.map((f) => f.blob.sha256));
    const order = await harness.db.query<{ id: number; draft: boolean; visibility: string }>(
      'SELECT id, draft, visibility FROM orders WHERE public_id = $1',
      [filed.orderId],
    );
    expect(order.rows[0]).toMatchObject({ draft: true, visibility: 'private' });
    const audit = await harness.db.query<{ action: string }>(
      `SELECT action FROM audit_log
        WHERE (record_type = 'order' AND record_id = $1) OR (record_type = 'document' AND record_id = ANY($2))
        ORDER BY id`,
      [String(order.rows[0]!.id), filed.documents.map((document) => String(document.id))],
    );
    expect(audit.rows.map((row) => row.action)).toEqual([
      'order.create',
      'document.upload',
      'document.upload',
    ]);
  });

  it('leaves no draft and no stored file behind when a file cannot be filed', async () => {
    const [orders, audits] = [await count('orders'), await count('audit_log')];
    const fresh = await stored('Предписание ');
    const vanished = await stored('Уведомление ');
    await rm(vanished.blob.path);
    const failure = await file([fresh, vanished]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArchiveError);
    expect((failure as ArchiveError).code).toBe('blob_missing');
    expect(await count('orders')).toBe(orders);
    expect(await count('audit_log')).toBe(audits);
    expect(existsSync(fresh.blob.path)).toBe(false);
  });

  it('keeps a file that an earlier document already holds when a later step fails', async () => {
    const kept = await stored('Решение суда ');
    await file([kept]);
    const again = { ...kept, blob: { ...kept.blob, alreadyStored: false } };
    const vanished = await stored('Письмо ');
    await rm(vanished.blob.path);
    await expect(file([again, vanished])).rejects.toThrow(/removed from the store/);
    expect(existsSync(kept.blob.path)).toBe(true);
  });
});
