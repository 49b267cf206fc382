// The sandboxed process: receives ExtractionInputs over IPC, one at a time, runs each one's extractor,
// reads suggestions from the text (hostile text meets our regular expressions here, under the time
// limit, not in the server), and answers with the result and its heap in use, so the pool can recycle
// it when it grows.
// First, so it holds the engine's own builtins before pdf.js's polyfills replace them.
import { restoreNativeBuiltins } from './nativeBuiltins.ts';
import {
  resultWithoutText,
  type ExtractionInput,
  type ExtractionProgress,
  type ExtractionResult,
} from '../extraction.ts';
import { extractorFor } from '../extractorRegistry.ts';
import { fileNoun, unsupportedReason } from '../sniffType.ts';
import { warmUp } from './warmUp.ts';
import { withSuggestions } from './withSuggestions.ts';

export interface SandboxRequest {
  id: number;
  input: ExtractionInput;
}

export interface SandboxReply {
  id: number;
  result: ExtractionResult;
  /** V8 heap in use after the file: what --max-old-space-size caps. */
  heapUsedBytes: number;
}

/** Sent while a file is read, as often as the extractor reports (once per OCR'd page). */
export interface SandboxProgress {
  id: number;
  progress: ExtractionProgress;
}

/** Sent once, when the process has warmed up and waits for files at full speed. */
export interface SandboxReady {
  ready: true;
}

const failed = (mime: string, reason: string) => resultWithoutText('failed', mime, reason);

async function extract(input: ExtractionInput): Promise<ExtractionResult> {
  try {
    const extractor = await extractorFor(input.mime);
    if (!extractor) {
      return {
        ...failed(input.mime, unsupportedReason(input.mime)),
        status: 'unsupported',
      };
    }
    return await extractor(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(input.mime, `${fileNoun(input.mime)} could not be read: ${message}`);
  }
}

/**
 * The heap in use, for the pool's "over half the cap" check. Garbage not yet collected counts as in use
 * until a collection, so when the figure crosses that line a full collection runs first (the process
 * was started with --expose-gc); only data that survives it makes the pool replace the process.
 */
function liveHeapBytes(memoryMb: number): number {
  const used = process.memoryUsage().heapUsed;
  if (used <= (memoryMb * 1024 * 1024) / 2 || typeof globalThis.gc !== 'function') return used;
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

// If the parent goes away, nothing will collect our result: stop, with any tools we started.
process.on('disconnect', () => process.kill(0, 'SIGKILL'));

let requests = 0;
// Warm up while waiting for the first file, not while a user waits; a file arriving cuts it short.
// The file waits for the round in progress (a few milliseconds): pdf.js's warnings are collected by
// borrowing console.warn, which two PDFs read at once would mix up.
const warmedUp = warmUp(() => requests > 0)
  .catch(() => undefined)
  .then(() => void restoreNativeBuiltins());
void warmedUp.then(() => process.send?.({ ready: true } satisfies SandboxReady));

process.on('message', (request: SandboxRequest) => {
  requests++;
  const progress = (report: ExtractionProgress) =>
    process.send?.({ id: request.id, progress: report } satisfies SandboxProgress);
  void warmedUp
    .then(() => extract({ ...request.input, progress }))
    .then((result) => {
      // pdf.js finishes loading with the first PDF (after a warm-up cut short, that is a real file).
      restoreNativeBuiltins();
      return process.send?.({
        id: request.id,
        result: withSuggestions(result),
        heapUsedBytes: liveHeapBytes(request.input.limits.memoryMb),
      } satisfies SandboxReply);
    });
});
