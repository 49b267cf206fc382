// Checks a file against a proof of its log entry, offline, in the order docs/TRANSPARENCY-LOG.md §8 gives:
// bytes → entry → leaf → inclusion → checkpoint signature. Each step says what it found, so a person sees
// which one failed and why; `npm run verify` prints this.
import { createHash } from 'node:crypto';
import { entryTime, parseDocumentEntry, type DocumentEntry } from './entry.ts';
import { leafHash, verifyInclusion } from './merkle.ts';
import { openNote, parseCheckpoint, type Checkpoint, type NoteVerifier } from './note.ts';
import { parseTlogProof, TlogProofFormatError } from './tlogProof.ts';

export type ProofCheckStep = 'proof' | 'bytes' | 'entry' | 'leaf' | 'inclusion' | 'checkpoint';

export interface ProofCheckLine {
  step: ProofCheckStep;
  ok: boolean;
  detail: string;
}

export interface ProofCheck {
  /** The steps run, in order; the last one failed when `failed` is set. */
  lines: ProofCheckLine[];
  failed: ProofCheckStep | null;
  entry: DocumentEntry | null;
  index: number | null;
  checkpoint: Checkpoint | null;
}

interface ProofParts {
  entry: Buffer;
  index: number;
  inclusion: Buffer[];
  note: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const strictBase64 = (text: unknown): Buffer | null => {
  if (typeof text !== 'string' || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
};

/** The JSON answer of GET /api/documents/:id/proof, or the .tlog file; throws a message for a person. */
function readProof(text: string): ProofParts {
  if (text.trimStart().startsWith('{')) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error('the proof is neither a .tlog file nor valid JSON');
    }
    const entry = strictBase64(json.entry);
    const inclusion = Array.isArray(json.inclusion) ? json.inclusion.map(strictBase64) : null;
    if (
      !entry ||
      !Number.isSafeInteger(json.leaf_index) ||
      !inclusion ||
      inclusion.some((hash) => hash?.length !== 32) ||
      typeof json.checkpoint !== 'string'
    ) {
      throw new Error('the JSON proof lacks entry, leaf_index, inclusion or checkpoint');
    }
    return {
      entry,
      index: json.leaf_index as number,
      inclusion: inclusion as Buffer[],
      note: json.checkpoint,
    };
  }
  try {
    const proof = parseTlogProof(text);
    if (!proof.extra) throw new TlogProofFormatError('the file carries no entry (no "extra" line)');
    return {
      entry: Buffer.from(proof.extra),
      index: proof.index,
      inclusion: proof.inclusion.map((hash) => Buffer.from(hash)),
      note: proof.checkpoint,
    };
  } catch (error) {
    if (error instanceof TlogProofFormatError) throw new Error(`not a tlog-proof file: ${error.message}`);
    throw error;
  }
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Runs every step until one fails. `key` is the log's verifier key, obtained apart from the proof. */
export function checkDocumentProof(file: Uint8Array, proofText: string, key: NoteVerifier): ProofCheck {
  const check: ProofCheck = { lines: [], failed: null, entry: null, index: null, checkpoint: null };
  const pass = (step: ProofCheckStep, detail: string) => check.lines.push({ step, ok: true, detail });
  const stop = (step: ProofCheckStep, detail: string): ProofCheck => {
    check.lines.push({ step, ok: false, detail });
    check.failed = step;
    return check;
  };

  let proof: ProofParts;
  try {
    proof = readProof(proofText);
  } catch (error) {
    return stop('proof', (error as Error).message);
  }
  check.index = proof.index;

  const entry = parseDocumentEntry(proof.entry.toString('utf8'));
  if (!entry) return stop('entry', 'the proof does not carry a takedown-archive/document/v1 entry');
  check.entry = entry;

  const fileHash = sha256Hex(file);
  if (entry.sha256 !== fileHash || entry.size !== file.length) {
    return stop(
      'bytes',
      `the file has sha256 ${fileHash} and ${file.length} bytes; the entry names sha256 ${entry.sha256} and ${entry.size} bytes`,
    );
  }
  pass('bytes', `sha256 ${fileHash}, ${file.length} bytes, as the entry says`);
  pass(
    'entry',
    `order ${entry.orderPublicId}, document ${entry.documentId}, received ${entryTime(entry.received)}`,
  );

  const leaf = leafHash(proof.entry);
  pass('leaf', `index ${proof.index}, hash ${leaf.toString('base64')}`);

  const body =
    proof.note.lastIndexOf('\n\n') >= 0 ? proof.note.slice(0, proof.note.lastIndexOf('\n\n') + 1) : '';
  const claimed = parseCheckpoint(body);
  if (!claimed) return stop('inclusion', 'the proof carries no readable checkpoint (origin, size, root)');
  if (!verifyInclusion(proof.index, claimed.size, leaf, proof.inclusion, claimed.root)) {
    return stop('inclusion', `leaf ${proof.index} is not proven in the tree of ${claimed.size} leaves`);
  }
  pass(
    'inclusion',
    `leaf ${proof.index} is in the tree of ${claimed.size} leaves, root ${claimed.root.toString('base64')}`,
  );

  const signed = openNote(proof.note, key);
  if (signed === null || signed !== body) {
    return stop(
      'checkpoint',
      `the checkpoint is not signed by ${key.name} (key id ${key.keyId.toString(16).padStart(8, '0')})`,
    );
  }
  if (claimed.origin !== key.name) {
    return stop('checkpoint', `the checkpoint is of log ${claimed.origin}, not ${key.name}`);
  }
  check.checkpoint = claimed;
  pass('checkpoint', `signed by ${key.name}+${key.keyId.toString(16).padStart(8, '0')}`);
  return check;
}
