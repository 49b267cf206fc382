// The entry a document becomes in the transparency log: a few lines of UTF-8 text, fixed order, each
// ending in "\n" (docs/TRANSPARENCY-LOG.md). Its leaf hash is what the log commits to.

export const DOCUMENT_ENTRY_KIND = 'takedown-archive/document/v1';

export interface DocumentEntry {
  readonly orderPublicId: string;
  readonly documentId: number;
  /** 64 lowercase hex digits: SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly size: number;
  readonly received: Date;
  /** 32 lowercase hex digits, random per entry, so a private document's leaf does not confirm a guess. */
  readonly nonce: string;
}

/** RFC 3339 in UTC to the second: 2026-12-04T19:08:41Z. */
export function entryTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The entry text of a document, exactly as the log hashes it. */
export function formatDocumentEntry(entry: DocumentEntry): string {
  if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new Error('sha256 must be 64 lowercase hex digits');
  if (!/^[0-9a-f]{32}$/.test(entry.nonce)) throw new Error('nonce must be 32 lowercase hex digits');
  if (!/^\S+$/.test(entry.orderPublicId)) throw new Error('the order id is one word');
  if (!Number.isSafeInteger(entry.documentId) || entry.documentId < 1) throw new Error('bad document id');
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) throw new Error('bad size');
  return [
    DOCUMENT_ENTRY_KIND,
    `order ${entry.orderPublicId}`,
    `document ${entry.documentId}`,
    `sha256 ${entry.sha256}`,
    `size ${entry.size}`,
    `received ${entryTime(entry.received)}`,
    `nonce ${entry.nonce}`,
    '',
  ].join('\n');
}

/** Reads a document entry; null when the text is not exactly one, so a re-formatted entry is the same bytes. */
export function parseDocumentEntry(text: string): DocumentEntry | null {
  const match =
    /^takedown-archive\/document\/v1\norder (\S+)\ndocument ([1-9][0-9]*)\nsha256 ([0-9a-f]{64})\nsize (0|[1-9][0-9]*)\nreceived (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\nnonce ([0-9a-f]{32})\n$/.exec(
      text,
    );
  if (!match) return null;
  const [, orderPublicId, documentId, sha256, size, received, nonce] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const date = new Date(received);
  if (Number.isNaN(date.getTime()) || entryTime(date) !== received) return null;
  return { orderPublicId, documentId: Number(documentId), sha256, size: Number(size), received: date, nonce };
}
