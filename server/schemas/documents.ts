// Schemas for documents (the files of an order) and their extracted pages.
import { Type, type Static } from '@sinclair/typebox';
import { TextSuggestions } from '../../ingest/suggestions/suggestionSchema.ts';
import { Cursor, Nullable, ORDER_ID_PATTERN, RowId } from './common.ts';
import { IdOrSlug } from './references.ts';

export const DOCUMENT_ROLES = ['order', 'response', 'evidence', 'attachment', 'snapshot'] as const;
export type DocumentRole = (typeof DOCUMENT_ROLES)[number];

/** tesseract languages joined by +, as a caller may ask for them (e.g. kaz+rus+eng). */
export const OCR_LANGUAGES_PATTERN = '^[a-z_]{3,8}(\\+[a-z_]{3,8}){0,5}$';
export const isOcrLanguageList = (value: string) => new RegExp(OCR_LANGUAGES_PATTERN).test(value);

export const DOCUMENT_STATUSES = [
  'pending',
  'processing',
  'extracted',
  'partial',
  'failed',
  'encrypted',
  'unsupported',
  'empty',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

// Ids are PostgreSQL bigints; past the integers JavaScript holds exactly an id would name another row,
// or none that PostgreSQL can even compare: refused as input, not failed on in the database.
export const DocumentIdParam = Type.Object({ id: RowId() });

export const DocumentListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Cursor),
    status: Type.Optional(
      Type.Unsafe<DocumentStatus>({
        type: 'string',
        enum: [...DOCUMENT_STATUSES],
        description: 'e.g. failed: the files that could not be read, with their reasons',
      }),
    ),
    order: Type.Optional(
      Type.String({
        pattern: ORDER_ID_PATTERN,
        description: 'only this order’s documents: public id (TD-2026-00042) or numeric id',
      }),
    ),
    role: Type.Optional(Type.Unsafe<DocumentRole>({ type: 'string', enum: [...DOCUMENT_ROLES] })),
  },
  { additionalProperties: false },
);
export type DocumentListQuery = Static<typeof DocumentListQuery>;

export const DocumentPage = Type.Object({
  number: Type.Integer(),
  text: Type.String(),
  method: Type.String({ description: 'text-layer, ocr, plain-text, email, docx, odt or html' }),
  confidence: Nullable(Type.Number()),
});

export const DocumentSummary = Type.Object({
  id: Type.Integer(),
  order_id: Type.String({ description: 'public id of the order' }),
  parent_document_id: Nullable(Type.Integer()),
  role: Type.Unsafe<DocumentRole>({ type: 'string', enum: [...DOCUMENT_ROLES] }),
  original_filename: Nullable(Type.String()),
  sha256: Type.String(),
  size: Type.Integer(),
  mime: Nullable(Type.String({ description: 'sniffed from the bytes' })),
  status: Type.Unsafe<(typeof DOCUMENT_STATUSES)[number]>({ type: 'string', enum: [...DOCUMENT_STATUSES] }),
  status_reason: Nullable(Type.String({ description: 'why it failed or is partial, in words for a user' })),
  progress: Nullable(Type.String()),
  page_count: Nullable(Type.Integer()),
  language: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  extracted_at: Nullable(Type.String({ format: 'date-time' })),
  original_publishable: Type.Boolean({
    description: 'an editor let everyone download the original file (else only those who read it unredacted)',
  }),
  url: Type.String({ description: 'this document: status, text per page, suggestions' }),
  file_url: Type.String(),
});
export type DocumentSummary = Static<typeof DocumentSummary>;

export const DocumentDownload = Type.Object(
  {
    kind: Type.Union([Type.Literal('original'), Type.Literal('rendition'), Type.Literal('none')], {
      description:
        'what file_url gives you: the original bytes (you read the text unredacted, or an editor published ' +
        'the original), the redacted rendition (a PDF of the page images with the redactions burned in), or ' +
        'nothing (a text, e-mail or office file: its redacted text is all there is)',
    }),
    url: Nullable(Type.String({ description: 'file_url, when it gives you something' })),
    sha256: Nullable(
      Type.String({
        description:
          'the sha256 of what you download: the original’s, or the rendition’s own (null until it is made)',
      }),
    ),
    rendition_status: Nullable(
      Type.Union(
        [Type.Literal('pending'), Type.Literal('made'), Type.Literal('incomplete'), Type.Literal('failed')],
        {
          description:
            'for a rendition: being made (the download answers 503 with Retry-After), made, or not to be ' +
            'served (a redaction could not be placed, or the file could not be rendered); null: not asked ' +
            'for yet (the first download asks)',
        },
      ),
    ),
  },
  { description: 'which file GET file_url gives this caller' },
);

// The suggestions' schema lives with the code that reads them (ingest/ never imports server/).
const Suggestions = Nullable(TextSuggestions);

export const DocumentDetail = Type.Intersect([
  DocumentSummary,
  Type.Object({
    ocr_languages: Type.String(),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    warnings: Type.Array(Type.String()),
    suggestions: Suggestions,
    children: Type.Array(Type.Integer(), {
      description: 'documents found inside this one (e-mail attachments)',
    }),
    pages: Type.Array(DocumentPage),
    download: DocumentDownload,
  }),
]);
export type DocumentDetail = Static<typeof DocumentDetail>;

export const UploadedDocument = Type.Intersect([
  DocumentSummary,
  Type.Object({
    duplicate: Type.Boolean({ description: 'the same bytes were already a document of this order' }),
    also_in_orders: Type.Array(Type.String(), {
      description: 'other orders (that you may see) holding the same bytes',
    }),
  }),
]);

export const UploadResult = Type.Object({ documents: Type.Array(UploadedDocument) });

export const IntakeQuery = Type.Object(
  {
    wait: Type.Integer({
      minimum: 0,
      maximum: 60,
      default: 10,
      description:
        'seconds to wait for the text to be read, so the answer carries the suggestions (0: answer at once)',
    }),
    outlet: Type.Optional(IdOrSlug),
  },
  { additionalProperties: false },
);

/** A file given to intake: as uploaded, with the suggestions read from its text once they are there. */
export const IntakeDocument = Type.Intersect([
  UploadedDocument,
  Type.Object({
    suggestions: Type.Union([TextSuggestions, Type.Null()], {
      description: 'read from the text, to confirm; null until the text has been read (then see url)',
    }),
  }),
]);
