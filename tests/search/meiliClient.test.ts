// The archive's Meilisearch transport (node:http, keep-alive): answers, refusals and unreachable servers
// look to the rest of the code as they did with fetch, and waiting on a task leaks no listeners.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { isMeiliUnreachable, meiliErrorCode, waitForSearchTasks } from '../../server/indexing/searchTasks.ts';

describe('Meilisearch client transport', () => {
  let server: http.Server;
  let url: string;
  let polls = 0;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/indexes/missing') {
        response.statusCode = 404;
        return response.end(
          JSON.stringify({
            message: 'Index `missing` not found.',
            code: 'index_not_found',
            type: 'invalid_request',
            link: '',
          }),
        );
      }
      if (request.url?.startsWith('/tasks?uids=7')) {
        polls++;
        const status = polls < 15 ? 'processing' : 'succeeded';
        return response.end(
          JSON.stringify({
            results: [{ uid: 7, status, type: 'documentAdditionOrUpdate' }],
          }),
        );
      }
      response.end(JSON.stringify({ status: 'available', echo: request.headers['accept-encoding'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers with the parsed body and asks for an uncompressed answer', async () => {
    const meili = createMeiliClient(url, 'key');
    expect(await meili.health()).toMatchObject({ status: 'available', echo: 'identity' });
  });

  it('reports a refusal with Meilisearch’s error code, not as unreachable', async () => {
    const error = await createMeiliClient(url, 'key')
      .getRawIndex('missing')
      .catch((e: unknown) => e);
    expect(meiliErrorCode(error)).toBe('index_not_found');
    expect(isMeiliUnreachable(error)).toBe(false);
  });

  it('reports a server that does not answer as unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await createMeiliClient(`http://127.0.0.1:${port}`, 'key')
      .health()
      .catch((e: unknown) => e);
    expect(isMeiliUnreachable(error)).toBe(true);
  });

  it('waits out a long task, polling many times, without piling up listeners', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const enqueued = {
        taskUid: 7,
        indexUid: 'x',
        status: 'enqueued',
        type: 'documentAdditionOrUpdate',
        enqueuedAt: '',
      } as const;
      const [task] = await waitForSearchTasks(createMeiliClient(url, 'key'), [enqueued], 60_000);
      expect(task!.status).toBe('succeeded');
      expect(polls).toBe(15);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});
