// Reads a multipart upload (for the API and the upload page alike): each file streams into the blob store (its field name is its role),
// the few text fields are checked, and on any failure the blobs this request added are removed again
// (unless another upload of the same bytes has filed a document on them meanwhile: blobClaims.ts).
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { sniffType } from '../../ingest/sniffType.ts';
import { ArchiveError, invalidInput } from '../errors.ts';
import { isSafeText } from '../schemas/common.ts';
import type { ReceivedFile } from '../commands/documentReceiver.ts';
import { DOCUMENT_ROLES, isOcrLanguageList, type DocumentRole } from '../schemas/documents.ts';
import { discardUnusedBlobs } from '../storage/blobClaims.ts';
import type { BlobStore } from '../storage/blobStore.ts';

export interface MultipartUpload {
  files: ReceivedFile[];
  fields: Record<string, string>;
  /** Removes blobs this request added and no document uses; call when what follows fails. */
  discard(): Promise<void>;
}

// busboy's parse errors are plain Errors with no code (a missing or wrong boundary, a body cut short, a
// broken part header): the body is the sender's fault, so they are a 400 with busboy's words, not a 500.
const BUSBOY_PARSE_ERROR = /multipart|boundary|part header|content type/i;

function malformedMultipart(error: unknown): ArchiveError | undefined {
  if (!(error instanceof Error) || error instanceof ArchiveError) return undefined;
  if ('code' in error || 'statusCode' in error || !BUSBOY_PARSE_ERROR.test(error.message)) return undefined;
  return invalidInput(
    `the multipart/form-data body is malformed (${error.message}): send it with the boundary its ` +
      'Content-Type names, complete (e.g. curl -F order=@demand.pdf)',
  );
}

export async function readMultipartUpload(
  request: FastifyRequest,
  store: { blobs: BlobStore; db: pg.Pool },
  options: {
    maxBytes: number;
    allowedFields: string[];
    defaultRole?: DocumentRole;
    /**
     * Runs once with the fields sent so far, before the first file is stored (or at the end when no file
     * came): the upload page checks its form's CSRF token here, so a forged form stores nothing.
     */
    beforeFiles?: (fields: Record<string, string>) => void | Promise<void>;
  },
): Promise<MultipartUpload> {
  if (!request.isMultipart())
    throw invalidInput('Send the files as multipart/form-data (e.g. curl -F order=@demand.pdf)');
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = {};
  let checked = false;
  const check = async () => {
    if (checked) return;
    checked = true;
    await options.beforeFiles?.(fields);
  };
  const discard = () =>
    discardUnusedBlobs(
      store.db,
      files.map((file) => file.blob),
    );
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (!options.allowedFields.includes(part.fieldname)) {
          throw invalidInput(`unknown field (allowed: ${options.allowedFields.join(', ')})`, part.fieldname);
        }
        fields[part.fieldname] = String(part.value);
        continue;
      }
      await check().catch((error: unknown) => {
        part.file.resume();
        throw error;
      });
      const role = (
        options.defaultRole && part.fieldname === 'file' ? options.defaultRole : part.fieldname
      ) as DocumentRole;
      if (!DOCUMENT_ROLES.includes(role)) {
        part.file.resume();
        throw invalidInput(
          `a file's field name is its role, one of ${DOCUMENT_ROLES.join(', ')}` +
            (options.defaultRole ? ' (or file)' : ''),
          part.fieldname,
        );
      }
      if (part.filename && !isSafeText(part.filename)) {
        part.file.resume();
        throw invalidInput(
          'a file name may not contain NUL characters or unpaired surrogates',
          `${part.fieldname}/filename`,
        );
      }
      const blob = await store.blobs.store(part.file, options.maxBytes);
      const { mime } = await sniffType(blob.path);
      files.push({ role, filename: part.filename || undefined, blob, mime });
    }
  } catch (error) {
    await discard();
    throw malformedMultipart(error) ?? error;
  }
  await check();
  if (!files.length) throw invalidInput('no file was sent');
  if (fields.ocr_languages !== undefined && !isOcrLanguageList(fields.ocr_languages)) {
    await discard();
    throw invalidInput('tesseract languages joined by +, e.g. kaz+rus+eng', 'ocr_languages');
  }
  return { files, fields, discard };
}
