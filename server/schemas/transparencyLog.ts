// Schemas of the transparency log's routes (docs/TRANSPARENCY-LOG.md §5–6).
import { Type, type Static } from '@sinclair/typebox';

const TreeSize = (description: string) => Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1, description });
const Base64Hash = Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'a SHA-256 hash, base64' });

export const NoQuery = Type.Object({}, { additionalProperties: false });

export const ConsistencyQuery = Type.Object(
  {
    from: TreeSize('a published tree size'),
    to: TreeSize('a published tree size, at least `from`'),
  },
  { additionalProperties: false },
);
export type ConsistencyQuery = Static<typeof ConsistencyQuery>;

export const ConsistencyProof = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  proof: Type.Array(Base64Hash, { description: 'the RFC 9162 §2.1.4 consistency proof' }),
});

export const CheckpointListQuery = Type.Object(
  {
    after: Type.Integer({
      minimum: -1,
      maximum: 2 ** 53 - 1,
      default: -1,
      description: 'only checkpoints of a larger tree size; pass next_after for the next page',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export type CheckpointListQuery = Static<typeof CheckpointListQuery>;

export const PublishedCheckpoint = Type.Object({
  tree_size: Type.Integer(),
  root_hash: Base64Hash,
  checkpoint: Type.String({ description: 'the signed note, verbatim' }),
  published_at: Type.String({ format: 'date-time' }),
});

export const CheckpointList = Type.Object({
  items: Type.Array(PublishedCheckpoint, { description: 'oldest first' }),
  next_after: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as after for the next page' }),
});

export const DocumentProof = Type.Object({
  entry: Type.String({ description: "base64 of the entry's bytes" }),
  leaf_index: Type.Integer(),
  tree_size: Type.Integer({ description: "the checkpoint's tree size" }),
  inclusion: Type.Array(Base64Hash, { description: 'the RFC 9162 §2.1.3 inclusion proof, leaf side first' }),
  checkpoint: Type.String({ description: 'the signed checkpoint the proof leads to, verbatim' }),
});
