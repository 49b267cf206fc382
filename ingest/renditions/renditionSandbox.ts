// Makes a rendition in a sandbox process of its own (renditionChild.ts), the way extraction reads files:
// a node process with a heap cap and only the environment it needs, in its own process group, killed
// with every tool it started when it takes longer than its time limit. Its tools (pdftoppm, tesseract)
// get twice the heap cap as address space, as extraction's do. One process per rendition: renditions are
// rare (one per published document), so keeping processes warm would only hold memory.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sandboxEnvironment } from '../sandbox/sandboxProcess.ts';
import type { PageImage, PageImageRequest } from './pageImage.ts';
import type { Rendition, RenditionRequest } from './redactedRendition.ts';
import { RenditionError } from './renditionError.ts';
import type { RenditionChildReply, RenditionChildRequest } from './renditionChild.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./renditionChild.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 16 * 1024;

export interface RenditionSandboxOptions {
  /** The child's heap cap, in MiB. */
  memoryMb: number;
  /** Wall-clock limit for the whole rendition. */
  timeoutMs: number;
  /** The child's environment; by default the sandbox's minimal one. */
  environment?: NodeJS.ProcessEnv;
}

/** A time limit that grows with the pages: rendering each, and OCR on those that need it. */
export function renditionTimeoutMs(pages: number, ocrPages: number, maxMs = 3_600_000): number {
  return Math.min(maxMs, 60_000 + pages * 5_000 + ocrPages * 30_000);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function describeEnd(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  memoryMb: number,
) {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
    return `Making the rendition ran out of memory (the limit is ${memoryMb} MB)`;
  }
  if (signal) return `The rendition process was stopped (${signal})`;
  return `The rendition process stopped without a result (exit code ${exitCode})`;
}

/** Runs one request in a sandbox process; a failure of any kind is a RenditionError in words. */
function runInSandbox(
  childRequest: RenditionChildRequest,
  options: RenditionSandboxOptions,
): Promise<RenditionChildReply> {
  return new Promise<RenditionChildReply>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, `--max-old-space-size=${options.memoryMb}`, CHILD_ENTRY],
      {
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: options.environment ?? sandboxEnvironment(),
      },
    );
    let stderr = '';
    let settled = false;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child.pid);
      outcome();
    };
    const timer = setTimeout(() => {
      const ms = options.timeoutMs;
      const seconds = ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10;
      finish(() =>
        reject(new RenditionError(`Making the rendition took longer than ${seconds} s and was stopped`)),
      );
    }, options.timeoutMs);
    child.on('message', (message: RenditionChildReply) => finish(() => resolve(message)));
    child.on('error', (error) =>
      finish(() =>
        reject(new RenditionError(`The rendition process could not be started: ${error.message}`)),
      ),
    );
    child.on('exit', (exitCode, signal) => {
      // Let its last words on stderr arrive before saying why it ended.
      setTimeout(
        () =>
          finish(() => reject(new RenditionError(describeEnd(exitCode, signal, stderr, options.memoryMb)))),
        200,
      );
    });
    child.send(childRequest, (error) => {
      if (error)
        finish(() =>
          reject(new RenditionError(`The rendition process could not be started: ${error.message}`)),
        );
    });
  });
}

/** Runs renderRedacted in a sandbox process; a failure of any kind is a RenditionError in words. */
export async function renderRedactedInSandbox(
  request: RenditionRequest,
  options: RenditionSandboxOptions,
): Promise<Rendition> {
  const output = path.join(request.workDir, `rendition-${randomUUID()}.pdf`);
  const childRequest: RenditionChildRequest = {
    request: {
      ...request,
      limits: { toolMemoryMb: 2 * options.memoryMb, ...request.limits },
    },
    output,
  };
  try {
    const reply = await runInSandbox(childRequest, options);
    if (!reply.ok) throw new RenditionError(reply.reason);
    return { ...(reply.result as Omit<Rendition, 'pdf'>), pdf: await readFile(output) };
  } finally {
    await rm(output, { force: true });
  }
}

/**
 * Renders one page of an original to `output` (a PNG) in a sandbox process: the original is parsed by
 * pdf.js and rendered by poppler there, never in the server. A failure is a RenditionError in words.
 */
export async function renderPageImageInSandbox(
  request: PageImageRequest,
  output: string,
  options: RenditionSandboxOptions,
): Promise<PageImage> {
  const childRequest: RenditionChildRequest = {
    pageImage: { ...request, limits: { toolMemoryMb: 2 * options.memoryMb, ...request.limits } },
    output,
  };
  try {
    const reply = await runInSandbox(childRequest, options);
    if (!reply.ok) throw new RenditionError(reply.reason);
    return reply.result as PageImage;
  } catch (error) {
    await rm(output, { force: true });
    throw error;
  }
}
