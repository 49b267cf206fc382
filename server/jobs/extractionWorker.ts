// Takes extraction jobs from the queue in this process, EXTRACT_CONCURRENCY at a time (extraction is CPU-bound).
import { ocrAvailability } from '../../ingest/ocr/ocrAvailability.ts';
import { keepSandboxesWarm } from '../../ingest/sandbox/runInSandbox.ts';
import { runDocumentExtraction, type ExtractionJobDependencies } from './documentExtractionJob.ts';

export async function startExtractionWorker(
  deps: ExtractionJobDependencies,
  pollingIntervalSeconds = 1,
): Promise<void> {
  const ocr = await ocrAvailability();
  const available = ocr.tesseract && ocr.pdftoppm;
  if (!available) {
    deps.logger.warn(
      'OCR is unavailable: scans and photos will be stored but get no text. Install tesseract-ocr ' +
        '(with -rus -kaz -kir -eng) and poppler-utils.',
    );
  }
  // One sandbox process ready per job at once, so no file waits for a process to start.
  void keepSandboxesWarm(deps.config.EXTRACT_CONCURRENCY, deps.config.EXTRACT_MEMORY_MB).then(() =>
    deps.logger.debug('extraction sandboxes warmed up'),
  );
  await deps.jobs.workExtractions((job) => runDocumentExtraction(deps, job.documentId), {
    concurrency: deps.config.EXTRACT_CONCURRENCY,
    pollingIntervalSeconds,
  });
  deps.logger.info(
    { ocr: available, languages: ocr.languages, concurrency: deps.config.EXTRACT_CONCURRENCY },
    'extraction worker started',
  );
}
