// Takes rendition jobs from the queue in this process, one at a time: a rendition renders every page of
// a document and is made once per publication, so it never competes with uploads for more than a core.
import type { JobQueue } from '../queue/jobQueue.ts';
import { runRenditionJob, type RenditionJobDependencies } from './renditionJob.ts';

export async function startRenditionWorker(
  deps: RenditionJobDependencies & { jobs: JobQueue },
  pollingIntervalSeconds = 2,
): Promise<void> {
  await deps.jobs.workRenditions(
    async (job) => {
      await runRenditionJob(deps, job);
    },
    { concurrency: 1, pollingIntervalSeconds },
  );
}
