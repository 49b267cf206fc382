// Schemas of the archive's open data: one exported order (a line of /api/export.jsonl), the CSV's
// columns, and a notice in the Lumen Database's JSON.
import { Type, type Static } from '@sinclair/typebox';
import { DateOnly, DateTime, Nullable } from './common.ts';
import { DocumentDownload } from './documents.ts';
import { DataFilters } from './statistics.ts';

export const ExportQuery = Type.Object(DataFilters, { additionalProperties: false });
export type ExportQuery = Static<typeof ExportQuery>;

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const ExportedDocument = Type.Object({
  id: Type.Integer(),
  parent_document_id: Nullable(Type.Integer({ description: 'the e-mail this file was attached to' })),
  role: Type.String(),
  filename: Nullable(Type.String()),
  mime: Nullable(Type.String()),
  size: Type.Integer(),
  page_count: Nullable(Type.Integer()),
  language: Nullable(Type.String()),
  status: Type.String(),
  created_at: DateTime,
  original_available: Type.Boolean({ description: 'whether you may download the original file' }),
  sha256: {
    ...Sha256,
    description:
      'sha256 of the original file as received, public with the document’s metadata even where the ' +
      'original is not (a commitment the original can later be proved against, as in the transparency ' +
      'log’s entry; it reveals nothing of the content)',
  },
  rendition_sha256: Nullable({ ...Sha256, description: 'sha256 of the redacted rendition, once made' }),
  download: DocumentDownload,
  metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'what extraction read of the file' }),
});

export const ExportedOrder = Type.Object({
  id: Type.String({ description: 'public id, TD-YYYY-NNNNN' }),
  url: Type.String(),
  authority: Nullable(
    Type.Object({
      slug: Type.String(),
      name: Type.String(),
      local_name: Nullable(Type.String()),
      country: Type.String(),
      kind: Type.String(),
    }),
  ),
  outlet: Nullable(
    Type.Object({ slug: Type.String(), name: Type.String(), country: Nullable(Type.String()) }),
  ),
  reference_number: Nullable(Type.String()),
  issued_on: Nullable(DateOnly),
  received_on: Nullable(DateOnly),
  deadline_at: Nullable(Type.String()),
  channel: Nullable(Type.String()),
  legal_basis: Type.Array(Type.String()),
  legal_basis_raw: Nullable(Type.String()),
  demanded_actions: Type.Array(Type.String()),
  stated_reason: Nullable(Type.String()),
  threatened_consequence: Nullable(Type.String()),
  status: Type.String(),
  visibility: Type.String(),
  embargo_until: Nullable(Type.String()),
  language: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  draft: Type.Boolean(),
  source: Nullable(
    Type.Object({
      name: Type.String({ description: 'registry, gov-takedowns or lumen' }),
      reference: Type.String(),
      licence: Nullable(Type.String()),
      url: Nullable(Type.String()),
      reviewed: Nullable(Type.Boolean()),
    }),
  ),
  created_at: Type.String(),
  updated_at: Type.String(),
  redacted: Type.Boolean({ description: 'whether hidden values were replaced ([redacted: kind]) for you' }),
  targets: Type.Array(
    Type.Object({
      url: Type.String(),
      canonical_url: Type.String(),
      title: Nullable(Type.String()),
      published_on: Nullable(Type.String()),
      outlet: Nullable(Type.String({ description: 'slug' })),
      note: Nullable(Type.String()),
    }),
  ),
  responses: Type.Array(
    Type.Object({
      kind: Type.String(),
      responded_on: Nullable(Type.String()),
      text: Nullable(Type.String()),
      source_url: Nullable(Type.String()),
    }),
  ),
  events: Type.Array(
    Type.Object({
      kind: Type.String(),
      occurred_at: Type.String(),
      country: Nullable(Type.String()),
      source_url: Nullable(Type.String()),
      description: Nullable(Type.String()),
    }),
  ),
  documents: Type.Array(ExportedDocument),
});
export type ExportedOrder = Static<typeof ExportedOrder>;
