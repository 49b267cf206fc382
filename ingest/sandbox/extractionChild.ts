// The sandboxed process: receives ExtractionInputs over IPC, one at a time, runs each one's extractor,
// and answers with the result (and its heap in use, so the pool can recycle it when it grows).
import { resultWithoutText, type ExtractionInput, type ExtractionResult } from '../extraction.ts';
import { extractorFor } from '../extractorRegistry.ts';
import { fileNoun, unsupportedReason } from '../sniffType.ts';

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

// If the parent goes away, nothing will collect our result: stop, with any tools we started.
process.on('disconnect', () => process.kill(0, 'SIGKILL'));

process.on('message', (request: SandboxRequest) => {
  void extract(request.input).then((result) =>
    process.send?.({
      id: request.id,
      result,
      heapUsedBytes: process.memoryUsage().heapUsed,
    } satisfies SandboxReply),
  );
});

// Load the heaviest extractor (pdf.js) while waiting for the first file, not while a user waits.
void extractorFor('application/pdf');
