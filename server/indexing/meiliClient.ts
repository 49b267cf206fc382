// The Meilisearch client every part of the archive uses.
import http from 'node:http';
import https from 'node:https';
import { Meilisearch, MeilisearchApiError, type Config } from 'meilisearch';

type HttpClient = NonNullable<Config['httpClient']>;

/**
 * fetch's contract over node:http with keep-alive sockets. On loopback undici's fetch costs ~0.5 ms more
 * per request than node:http (measured with bench/search): a search makes two requests. Like fetch
 * errors, a failure to connect rejects (the client reports it as MeilisearchRequestError); an error
 * answer rejects with MeilisearchApiError (the client wraps it, see meiliErrorCode).
 */
function keepAliveHttpClient(): HttpClient {
  // An idle socket is closed after 4 s, before Meilisearch's own 5 s keep-alive would close it under a
  // request about to reuse it.
  const options = { keepAlive: true, maxSockets: 64, timeout: 4_000 };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  return (input, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const secure = url.protocol === 'https:';
      // The client passes one AbortSignal for all the polls of a task wait: listen to it only while
      // this request runs (handing it to http.request would leave a listener behind per request).
      const signal = init?.signal ?? undefined;
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          finish(value);
        };
      const done = settle(resolve);
      const fail = settle(reject);
      const request = (secure ? https : http).request(
        url,
        {
          method: init?.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init?.headers).entries()),
          agent: secure ? agents['https:'] : agents['http:'],
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            try {
              const text = Buffer.concat(chunks).toString('utf8');
              const body: unknown = text === '' ? undefined : JSON.parse(text);
              const status = response.statusCode ?? 500;
              if (status >= 200 && status < 300) return done(body);
              const answer = new Response(text, { status, statusText: response.statusMessage ?? '' });
              fail(
                new MeilisearchApiError(answer, body as ConstructorParameters<typeof MeilisearchApiError>[1]),
              );
            } catch (error) {
              fail(error);
            }
          });
        },
      );
      function onAbort() {
        request.destroy(
          signal?.reason instanceof Error ? signal.reason : new Error('The request was aborted'),
        );
      }
      request.on('error', fail);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(typeof init?.body === 'string' ? init.body : undefined);
    });
}

export function createMeiliClient(url: string, apiKey: string): Meilisearch {
  return new Meilisearch({
    host: url,
    apiKey,
    timeout: 10_000,
    // Node's fetch asks for a compressed answer by default, which measured ~45 ms per search on
    // loopback against ~1.7 ms uncompressed (DESIGN.md): ask for identity.
    requestInit: { headers: { 'Accept-Encoding': 'identity' } },
    httpClient: keepAliveHttpClient(),
  });
}
