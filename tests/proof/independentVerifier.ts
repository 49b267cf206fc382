// A second verifier of the archive's transparency log, written from docs/TRANSPARENCY-LOG.md alone: it
// imports nothing of the archive (no domain/transparencyLog, no server/), only node:crypto, so a test that
// passes with it shows the published formats are enough for a third party to check our proofs.
import { createHash, createPublicKey, verify } from 'node:crypto';

/** The step of a check that failed, as the documentation names them. */
export type VerificationStep =
  'key' | 'checkpoint' | 'entry' | 'bytes' | 'inclusion' | 'consistency' | 'proof';

export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
  constructor(
    readonly step: VerificationStep,
    message: string,
  ) {
    super(`${step}: ${message}`);
  }
}

const fail = (step: VerificationStep, message: string): never => {
  throw new VerificationFailure(step, message);
};

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** Strict standard base64 (with padding), or null. */
function base64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function hash32(text: string, step: VerificationStep, what: string): Buffer {
  const bytes = base64(text);
  if (bytes === null || bytes.length !== 32) return fail(step, `${what} is not a base64 SHA-256 hash`);
  return bytes;
}

// §2 The tree

export const leafHash = (entry: Uint8Array): Buffer => sha256(Buffer.of(0x00), entry);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(Buffer.of(0x01), left, right);

/** RFC 9162 §2.1.3.2, as §2 of the documentation spells it out. Sizes fit in 2^53, hence division. */
export function inclusionRoot(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]) {
  if (!(index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = inclusionRoot(index, size, leaf, proof);
  return computed !== null && computed.equals(root);
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** RFC 9162 §2.1.4.2, with the documentation's rules for equal sizes and the empty tree. */
export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  first: Uint8Array,
  second: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (firstSize > secondSize) return false;
  if (firstSize === secondSize) return proof.length === 0 && Buffer.from(first).equals(second);
  if (firstSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(firstSize) ? [first, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(first) && sr.equals(second) && sn === 0;
}

// §3 The key

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function parseVerifierKey(text: string): VerifierKey {
  // The name has no '+', the id neither; the base64 key may (§3): split at the first two only.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text.trim());
  if (!match) return fail('key', 'a verifier key is <name>+<key id>+<base64 key>');
  const [, name, idText, keyText] = match as unknown as [string, string, string, string];
  if (name === '' || /\s/u.test(name)) return fail('key', 'the key name is empty or has a space');
  if (!/^[0-9a-f]{8}$/.test(idText)) return fail('key', 'the key id is not 8 hex digits');
  const typed = base64(keyText);
  if (typed === null || typed.length !== 33 || typed[0] !== 0x01) {
    return fail('key', 'the key is not base64 of 0x01 and a 32-byte Ed25519 public key');
  }
  const publicKey = typed.subarray(1);
  const keyId = sha256(Buffer.from(name, 'utf8'), Buffer.of(0x0a, 0x01), publicKey).subarray(0, 4);
  if (keyId.toString('hex') !== idText) return fail('key', 'the key id does not match the name and key');
  return { name, keyId, publicKey };
}

// §4 The checkpoint

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  /** The note as received. */
  note: string;
}

const EM_DASH_PREFIX = '\u2014 ';

/** Verifies the note's signature under `key` and reads the tree head it signs. */
export function openCheckpoint(note: string, key: VerifierKey): Checkpoint {
  if (!note.endsWith('\n')) return fail('checkpoint', 'the note does not end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note))
    return fail('checkpoint', 'the note has a control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('checkpoint', 'the note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const signatureLines = note.slice(split + 2, -1).split('\n');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, key.publicKey]),
    format: 'der',
    type: 'spki',
  });
  let verified = 0;
  for (const line of signatureLines) {
    if (!line.startsWith(EM_DASH_PREFIX))
      return fail('checkpoint', 'a signature line does not start with "— "');
    const [name, signatureText, ...rest] = line.slice(EM_DASH_PREFIX.length).split(' ');
    if (!name || !signatureText || rest.length > 0)
      return fail('checkpoint', 'a signature line is malformed');
    const signature = base64(signatureText);
    if (signature === null) return fail('checkpoint', 'a signature is not base64');
    if (name !== key.name || signature.length < 4 || !signature.subarray(0, 4).equals(key.keyId)) continue;
    if (
      signature.length !== 68 ||
      !verify(null, Buffer.from(text, 'utf8'), publicKey, signature.subarray(4))
    ) {
      return fail('checkpoint', `the signature of ${key.name} does not verify`);
    }
    verified++;
  }
  if (verified === 0) return fail('checkpoint', `the note carries no signature of ${key.name}`);

  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 3) return fail('checkpoint', 'the checkpoint text is not origin, size and root');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin !== key.name) return fail('checkpoint', `the origin is ${origin}, not ${key.name}`);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return fail('checkpoint', 'the tree size is not a decimal');
  }
  return { origin, size: Number(sizeText), root: hash32(rootText, 'checkpoint', 'the root'), note };
}

// §1 The entry

export interface DocumentEntry {
  order: string;
  document: number;
  sha256: string;
  size: number;
  received: string;
  nonce: string;
}

const ENTRY_PATTERN = new RegExp(
  [
    '^takedown-archive/document/v1',
    'order (TD-[0-9]{4}-[0-9]+)',
    'document ([1-9][0-9]*)',
    'sha256 ([0-9a-f]{64})',
    'size (0|[1-9][0-9]*)',
    'received ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)',
    'nonce ([0-9a-f]{32})',
    '$',
  ].join('\n'),
);

export function parseEntry(bytes: Uint8Array): DocumentEntry {
  const match = ENTRY_PATTERN.exec(Buffer.from(bytes).toString('utf8'));
  if (!match) return fail('entry', 'not a takedown-archive/document/v1 entry');
  const [, order, document, sha, size, received, nonce] = match as unknown as string[];
  return {
    order: order!,
    document: Number(document),
    sha256: sha!,
    size: Number(size),
    received: received!,
    nonce: nonce!,
  };
}

// §6 and §7 The proofs

export interface DocumentProof {
  entry: Buffer;
  index: number;
  inclusion: Buffer[];
  checkpoint: string;
}

export interface JsonProof {
  entry: string;
  leaf_index: number;
  tree_size: number;
  inclusion: string[];
  checkpoint: string;
}

export function proofFromJson(json: JsonProof): DocumentProof {
  const entry = base64(json.entry);
  if (entry === null) return fail('proof', 'the entry is not base64');
  return {
    entry,
    index: json.leaf_index,
    inclusion: json.inclusion.map((hash, position) =>
      hash32(hash, 'proof', `inclusion hash ${position + 1}`),
    ),
    checkpoint: json.checkpoint,
  };
}

export function proofFromTlog(text: string): DocumentProof {
  const blank = text.indexOf('\n\n');
  if (blank < 0) return fail('proof', 'no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') return fail('proof', 'not a c2sp.org/tlog-proof@v1 file');
  const entry = lines[1]?.startsWith('extra ') ? base64(lines[1].slice(6)) : null;
  if (entry === null) return fail('proof', 'the file carries no entry in its extra line');
  const index = /^index (0|[1-9][0-9]*)$/.exec(lines[2] ?? '');
  if (!index) return fail('proof', 'the third line is not the index');
  return {
    entry,
    index: Number(index[1]),
    inclusion: lines
      .slice(3)
      .map((hash, position) => hash32(hash, 'proof', `inclusion hash ${position + 1}`)),
    checkpoint: text.slice(blank + 2),
  };
}

export interface VerifiedDocument {
  entry: DocumentEntry;
  index: number;
  checkpoint: Checkpoint;
}

/** §8: bytes → entry → leaf → inclusion → checkpoint signature. Throws VerificationFailure naming the step. */
export function verifyDocument(file: Uint8Array, proof: DocumentProof, key: VerifierKey): VerifiedDocument {
  const entry = parseEntry(proof.entry);
  if (sha256(file).toString('hex') !== entry.sha256 || file.length !== entry.size) {
    fail('bytes', `the file (${file.length} bytes) is not the one the entry names`);
  }
  const checkpoint = openCheckpoint(proof.checkpoint, key);
  if (
    !verifyInclusion(proof.index, checkpoint.size, leafHash(proof.entry), proof.inclusion, checkpoint.root)
  ) {
    fail('inclusion', `leaf ${proof.index} is not proven in the tree of size ${checkpoint.size}`);
  }
  return { entry, index: proof.index, checkpoint };
}
