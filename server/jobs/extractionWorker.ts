// Takes extraction jobs from the queue in this process, EXTRACT_CONCURRENCY at a time (extraction is
// CPU-bound), with a pool of sandbox processes of its own that it stops when it stops.
import { ocrAvailability } from '../../ingest/ocr/ocrAvailability.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { runDocumentExtraction, type ExtractionJobDependencies } from './documentExtractionJob.ts';

export type ExtractionWorkerDependencies = Omit<ExtractionJobDependencies, 'sandboxes'>;

export interface ExtractionWorker {
  /** Settles once the worker's sandbox processes have started and warmed up (for logs and benchmarks). */
  ready(): Promise<void>;
  /**
   * Stops its sandbox processes: the idle ones now, a busy one once its file is read. Call it after
   * the job queue has stopped (JobQueue.stop lets running jobs finish).
   */
  stop(): Promise<void>;
}

export async function startExtractionWorker(
  deps: ExtractionWorkerDependencies,
  pollingIntervalSeconds = 1,
): Promise<ExtractionWorker> {
  const ocr = await ocrAvailability();
  const available = ocr.tesseract && ocr.pdftoppm;
  if (!available) {
    deps.logger.warn(
      'OCR is unavailable: scans and photos will be stored but get no text. Install tesseract-ocr ' +
        '(with -rus -kaz -kir -eng) and poppler-utils.',
    );
  }
  // One sandbox process ready per job at once, so no file waits for a process to start.
  const sandboxes = new SandboxPool({
    warm: deps.config.EXTRACT_CONCURRENCY,
    memoryMb: deps.config.EXTRACT_MEMORY_MB,
  });
  void sandboxes.ready().then(() => deps.logger.debug('extraction sandboxes warmed up'));
  const jobDeps = { ...deps, sandboxes };
  try {
    await deps.jobs.workExtractions((job) => runDocumentExtraction(jobDeps, job.documentId), {
      concurrency: deps.config.EXTRACT_CONCURRENCY,
      pollingIntervalSeconds,
    });
  } catch (error) {
    await sandboxes.stop();
    throw error;
  }
  deps.logger.info(
    { ocr: available, languages: ocr.languages, concurrency: deps.config.EXTRACT_CONCURRENCY },
    'extraction worker started',
  );
  return { ready: () => sandboxes.ready(), stop: () => sandboxes.stop() };
}
