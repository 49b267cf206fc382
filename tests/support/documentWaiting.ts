// Waits, as a client would, until the worker has finished with a document.
import type { FastifyInstance } from 'fastify';

export async function waitForDocument(
  app: FastifyInstance,
  id: number,
  headers: Record<string, string>,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = (await app.inject({ method: 'GET', url: `/api/documents/${id}`, headers })).json();
    if (!['pending', 'processing'].includes(document.status) || Date.now() > deadline) return document;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
