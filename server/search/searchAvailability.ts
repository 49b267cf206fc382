// Search that cannot answer (Meilisearch down, or its index not built yet) as an ArchiveError with words a
// user can act on, for the API's search routes and the pages alike; any other failure stays ours (500).
import { isMeiliUnreachable, meiliErrorCode } from '../indexing/searchTasks.ts';
import { ArchiveError } from '../errors.ts';

/** Where the failure is noted: a request's logger. */
export interface WarningLog {
  warn(details: object, message: string): void;
}

export async function whenSearchable<T>(log: WarningLog, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const unavailable = isMeiliUnreachable(error);
    if (!unavailable && meiliErrorCode(error) !== 'index_not_found') throw error;
    log.warn({ err: error }, 'search unavailable');
    throw unavailable
      ? new ArchiveError(
          'search_unavailable',
          'Search is unavailable right now. Orders and documents are still accepted and become searchable when it returns.',
        )
      : new ArchiveError('search_index_building', 'The search index is being built. Try again in a moment.');
  }
}
