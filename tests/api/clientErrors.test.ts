// A request Node's HTTP parser refuses before any route sees it still gets the archive's error body:
// a curl user who pasted Cyrillic into a URL is told to percent-encode it, not "Client Error".
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/testApp.ts';

function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from(head, 'utf8')));
    let answer = '';
    socket.on('data', (data) => (answer += data.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let port: number;
  beforeAll(async () => {
    harness = await createTestApp();
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    port = (harness.app.server.address() as AddressInfo).port;
  });
  afterAll(() => harness.close());

  it('answers raw UTF-8 in the query with 400, a code and how to encode it', async () => {
    const answer = await rawRequest(port, 'GET /api/search?q=решение HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body!)).toMatchObject({
      statusCode: 400,
      code: 'invalid_input',
      message: expect.stringMatching(/percent-encoded.*--data-urlencode/s),
    });
  });

  it('answers headers too large with 431 and a code', async () => {
    const answer = await rawRequest(
      port,
      `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(body!)).toMatchObject({ code: 'invalid_input', message: expect.any(String) });
  });

  it('still serves the same search sent percent-encoded', async () => {
    const response = await harness.app.inject({ url: `/api/search?q=${encodeURIComponent('решение')}` });
    expect(response.statusCode).not.toBe(400);
  });
});
