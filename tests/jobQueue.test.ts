// The extraction queue follows the configuration of the archive that starts it, also when the queue
// already exists from an earlier start with other limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './support/apiClient.ts';
import { createTestApp } from './support/testApp.ts';

describe('the extraction queue', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    // The template database's queue was created with a 60 s limit (tests/globalSetup.ts).
    harness = await createTestApp({ ADMIN_TOKEN, EXTRACT_MAX_TIMEOUT_MS: '600000' });
  });
  afterAll(() => harness.close());

  it('lets a job run as long as the longest extraction before offering it to another worker', async () => {
    const { rows } = await harness.db.query<{ expire_seconds: number }>(
      `SELECT expire_seconds FROM pgboss.queue WHERE name = 'extract-document'`,
    );
    expect(rows).toEqual([{ expire_seconds: 600 + 300 }]);
  });
});
