// The facts a citation of an order carries (domain/citations.ts formats them): the permalink, each
// document's anchor on the order's page and sha256, and where the transparency log holds it. Shared by
// GET /api/orders/:id/citation and the order page's citation box, so both cite alike.
import type { CitationData } from '../../domain/citations.ts';
import type { Queryable } from '../database/transaction.ts';
import type { OrderStory } from '../schemas/orders.ts';
import { latestCheckpoint } from './transparencyLogRecords.ts';

/** Where the log holds an order's documents: each one's leaf, and the latest signed checkpoint's size. */
export interface LogPlaces {
  leaves: ReadonlyMap<number, number>;
  checkpointSize: number | null;
}

/** Where the log holds these documents, and the size of the latest checkpoint. */
export async function readLogPlaces(db: Queryable, documentIds: readonly number[]): Promise<LogPlaces> {
  const [{ rows }, checkpoint] = await Promise.all([
    db.query<{ document_id: string; leaf_index: string }>(
      'SELECT document_id, leaf_index FROM log_leaves WHERE document_id = ANY ($1::bigint[])',
      [documentIds],
    ),
    latestCheckpoint(db),
  ]);
  return {
    leaves: new Map(rows.map((row) => [Number(row.document_id), Number(row.leaf_index)])),
    checkpointSize: checkpoint ? Number(checkpoint.tree_size) : null,
  };
}

export interface CitationWords {
  /** The order's title in the reader's words. */
  title: string;
  /** The authority's name in the reader's words. */
  authority: string | null;
  /** The order's permanent link, absolute. */
  permalink: string;
  accessedOn: string;
  archiveName: string;
}

export function orderCitationData(story: OrderStory, words: CitationWords, log: LogPlaces): CitationData {
  return {
    publicId: story.id,
    permalink: words.permalink,
    title: words.title,
    authority: words.authority,
    outlet: story.outlet?.name ?? null,
    referenceNumber: story.reference_number,
    issuedOn: story.issued_on,
    documents: story.documents.map((document) => ({
      id: document.id,
      sha256: document.sha256,
      filename: document.original_filename,
      anchor: `${words.permalink}#document-${document.id}`,
      logIndex: log.leaves.get(document.id) ?? null,
    })),
    accessedOn: words.accessedOn,
    archiveName: words.archiveName,
    checkpointSize: log.checkpointSize,
  };
}
