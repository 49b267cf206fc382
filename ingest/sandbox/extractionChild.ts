// The sandboxed process: receives one ExtractionInput over IPC, runs its extractor, answers with the result.
// Its argv carries the work directory only as a label, so operators (and tests) can tell children apart.
import type { ExtractionInput, ExtractionResult } from '../extraction.ts';
import { extractorFor } from '../extractorRegistry.ts';
import { fileNoun, unsupportedReason } from '../sniffType.ts';

function failed(mime: string, reason: string): ExtractionResult {
  return { status: 'failed', mime, pages: [], metadata: {}, children: [], warnings: [], reason };
}

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

process.once('message', (input: ExtractionInput) => {
  void extract(input).then((result) => process.send?.(result));
});
