// The ingest benchmark's upload clients: outlets upload from machines of their own, so the clients run
// in a process of their own too, not on the archive's event loop, and their CPU time is counted apart.
// They still share this machine's cores with the archive. As a child process (fork), it reads the
// files it is given, says it is ready, on "go" uploads them from several clients at once, and waits to be
// ended.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { multipartBody } from '../../tests/support/multipartBody.ts';

export interface UploadJob {
  token: string;
  clients: number;
  uploads: { url: string; file: string; field: string; filename: string }[];
}

/** Messages of the child: ready once the files are read, then the ids of the documents in upload order. */
export type UploadClientsMessage = { ready: true } | { ids: number[] } | { error: string };

const agent = new http.Agent({ keepAlive: true });

/**
 * One file as multipart/form-data over a kept-alive connection; the body is put together as bytes,
 * without fetch and FormData's streams, so the clients take as little of the machine as they can.
 */
export function multipartUpload(
  url: string,
  token: string,
  field: string,
  filename: string,
  bytes: Uint8Array,
): Promise<number> {
  const { payload: body, headers } = multipartBody([{ name: field, filename, content: bytes }]);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, authorization: `Bearer ${token}`, 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (response.statusCode !== 201) reject(new Error(`upload failed: ${response.statusCode} ${text}`));
          else resolve((JSON.parse(text) as { documents: { id: number }[] }).documents[0]!.id);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export function closeUploadConnections(): void {
  agent.destroy();
}

async function uploadAll(job: UploadJob, contents: Buffer[]): Promise<number[]> {
  const ids: number[] = new Array(job.uploads.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      while (next < job.uploads.length) {
        const index = next++;
        const { url, field, filename } = job.uploads[index]!;
        ids[index] = await multipartUpload(url, job.token, field, filename, contents[index]!);
      }
    }),
  );
  return ids;
}

if (process.send && process.argv.includes('--upload-clients')) {
  const send = (message: UploadClientsMessage) => process.send!(message);
  process.once('message', (job: UploadJob) => {
    void Promise.all(job.uploads.map((upload) => readFile(upload.file))).then((contents) => {
      // `on`, not `once`: a listener keeps the IPC channel, and so the process, alive until the parent
      // ends it, so its CPU time can still be read after the run.
      let started = false;
      process.on('message', () => {
        if (started) return;
        started = true;
        uploadAll(job, contents)
          .then((ids) => send({ ids }))
          .catch((error: unknown) => send({ error: String(error) }))
          .finally(closeUploadConnections);
      });
      send({ ready: true });
    });
  });
}
