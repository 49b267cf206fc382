// The one entry point the ingest pipeline calls: sniff the bytes, then extract in a sandboxed process of
// the caller's pool. It answers every file with an ExtractionResult; it does not throw for a bad, hostile
// or unreadable file.
import { mkdir } from 'node:fs/promises';
import {
  DEFAULT_LIMITS,
  resultWithoutText,
  type ExtractionLimits,
  type ExtractionProgress,
  type ExtractionResult,
} from './extraction.ts';
import { SUPPORTED_MIME_TYPES } from './extractorRegistry.ts';
import type { SandboxRunner } from './sandbox/sandboxPool.ts';
import { sniffType, unsupportedReason } from './sniffType.ts';

export interface ExtractFileRequest {
  /** Absolute path of the file (never modified). */
  path: string;
  /** The uploader's filename, for messages only. */
  filename?: string;
  /** tesseract language list, e.g. "kaz+rus+eng". */
  ocrLanguages: string;
  /** Scratch directory for this file (created if missing); extracted attachments are written here. */
  workDir: string;
  /** The heap cap is the pool's (SandboxPool's memoryMb), not set per file. */
  limits?: Partial<Omit<ExtractionLimits, 'memoryMb'>>;
  /** The sandbox processes that read the file: a SandboxPool, which its owner stops. */
  sandboxes: SandboxRunner;
  /** Told how far the extraction has got (OCR pages done), while it runs. */
  onProgress?: (progress: ExtractionProgress) => void;
}

export async function extractFile(request: ExtractFileRequest): Promise<ExtractionResult> {
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  let mime: string;
  try {
    ({ mime } = await sniffType(request.path));
    await mkdir(request.workDir, { recursive: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return resultWithoutText(
      'failed',
      'application/octet-stream',
      `The file could not be opened: ${message}`,
    );
  }
  if (mime === 'application/x-empty') return resultWithoutText('empty', mime, 'The file is empty (0 bytes)');
  // Checked here, not in the child, so an unreadable type costs no process.
  if (!SUPPORTED_MIME_TYPES.includes(mime)) {
    return resultWithoutText('unsupported', mime, unsupportedReason(mime));
  }
  const { path, filename, ocrLanguages, workDir } = request;
  try {
    return await request.sandboxes.run(
      { path, mime, filename, ocrLanguages, workDir, limits },
      request.onProgress,
    );
  } catch (error) {
    // Only when the system cannot start a process at all (spawn throwing, e.g. out of process slots),
    // or the pool has been stopped.
    const message = error instanceof Error ? error.message : String(error);
    return resultWithoutText('failed', mime, `The extraction process could not be started: ${message}`);
  }
}
