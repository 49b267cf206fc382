// Waits for Meilisearch tasks and turns any that did not succeed into an error: a document Meilisearch
// refused must never count as indexed.
import {
  MeilisearchApiError,
  MeilisearchError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type EnqueuedTask,
  type Meilisearch,
  type Task,
} from 'meilisearch';

export class SearchTaskFailedError extends Error {
  override readonly name = 'SearchTaskFailedError';
  constructor(readonly tasks: Task[]) {
    super(
      `Meilisearch did not apply ${tasks.length} task(s): ` +
        tasks
          .map((task) => `#${task.uid} ${task.type} ${task.status}: ${task.error?.message ?? ''}`)
          .join('; '),
    );
  }
}

/**
 * Waits until Meilisearch has finished every task, polling all of them in one request, quickly at first
 * and then less often. (The client's own waitForTask leaves an abort listener behind per poll until the
 * wait ends, which a wait of minutes turns into thousands.)
 */
export async function waitForSearchTasks(
  meili: Meilisearch,
  enqueued: EnqueuedTask[],
  timeoutMs = 120_000,
): Promise<Task[]> {
  if (!enqueued.length) return [];
  const deadline = Date.now() + timeoutMs;
  const finished = new Map<number, Task>();
  let delay = 10;
  for (;;) {
    const pending = enqueued.map((task) => task.taskUid).filter((uid) => !finished.has(uid));
    const { results } = await meili.tasks.getTasks({ uids: pending, limit: pending.length });
    for (const task of results) {
      if (task.status !== 'enqueued' && task.status !== 'processing') finished.set(task.uid, task);
    }
    if (finished.size === new Set(enqueued.map((task) => task.taskUid)).size) break;
    if (Date.now() > deadline) throw new MeilisearchTaskTimeOutError(pending[0]!, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 500);
  }
  const tasks = enqueued.map((task) => finished.get(task.taskUid)!);
  const failed = tasks.filter((task) => task.status !== 'succeeded');
  if (failed.length) throw new SearchTaskFailedError(failed);
  return tasks;
}

/** Meilisearch's answer when it refused a request (the client wraps it when a custom transport throws it). */
function meiliApiError(error: unknown): MeilisearchApiError | undefined {
  if (error instanceof MeilisearchApiError) return error;
  if (error instanceof MeilisearchError && error.cause instanceof MeilisearchApiError) return error.cause;
  return undefined;
}

/** Meilisearch's error code (index_not_found, invalid_search_filter…) when it answered with one. */
export function meiliErrorCode(error: unknown): string | undefined {
  return meiliApiError(error)?.cause?.code;
}

/** Meilisearch did not answer at all: down, unreachable, or too slow. */
export function isMeiliUnreachable(error: unknown): boolean {
  return (
    (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) &&
    !meiliApiError(error)
  );
}
