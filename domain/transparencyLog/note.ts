// Signed notes (C2SP signed-note, Go's golang.org/x/mod/sumdb/note) with Ed25519 keys, and the checkpoint
// body they carry (C2SP tlog-checkpoint): the text a log signs and anyone can verify with its key.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const ED25519_ALGORITHM = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
// DER prefixes that wrap a raw 32-byte Ed25519 seed or public key for node:crypto (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
}

/** A key name per C2SP signed-note: non-empty, no Unicode space, no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) throw new Error('a key name must be non-empty, without spaces or "+"');
}

/** The key id: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian. */
export function keyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.of(0x0a, ED25519_ALGORITHM))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** Splits a key text into `count` fields at its first `count - 1` '+' signs: base64 may itself hold '+'. */
function splitKey(text: string, count: number): string[] | null {
  const fields: string[] = [];
  let rest = text.trim();
  while (fields.length < count - 1) {
    const plus = rest.indexOf('+');
    if (plus < 0) return null;
    fields.push(rest.slice(0, plus));
    rest = rest.slice(plus + 1);
  }
  fields.push(rest);
  return fields;
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

/** A signer from a 32-byte Ed25519 seed. */
export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  checkName(name);
  if (seed.length !== 32) throw new Error('an Ed25519 seed has 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(spki.length - 32));
  return { name, keyId: keyId(name, publicKey), publicKey, privateKey };
}

/** The Go note private key text: `PRIVATE+KEY+<name>+<8 hex id>+<base64(0x01 ‖ seed)>`. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = signerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${hex8(signer.keyId)}+${Buffer.concat([Buffer.of(ED25519_ALGORITHM), seed]).toString('base64')}`;
}

/** Reads a Go note private key; throws when it is malformed or its id does not match its key. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = splitKey(text, 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    throw new Error('a signer key reads PRIVATE+KEY+<name>+<hex id>+<base64 key>');
  }
  const [, , name, id, encoded] = parts as [string, string, string, string, string];
  const key = Buffer.from(encoded, 'base64');
  if (!/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== ED25519_ALGORITHM) {
    throw new Error('the signer key is not an Ed25519 note key');
  }
  const signer = signerFromSeed(name, key.subarray(1));
  if (hex8(signer.keyId) !== id) throw new Error('the signer key id does not match its key');
  return signer;
}

/** The verifier key text `<name>+<8 hex id>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(key: NoteVerifier): string {
  return `${key.name}+${hex8(key.keyId)}+${Buffer.concat([Buffer.of(ED25519_ALGORITHM), key.publicKey]).toString('base64')}`;
}

/** Reads a verifier key; throws when it is malformed or its id does not match its key. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = splitKey(text, 3);
  if (!parts) throw new Error('a verifier key reads <name>+<hex id>+<base64 key>');
  const [name, id, encoded] = parts as [string, string, string];
  checkName(name);
  const key = Buffer.from(encoded, 'base64');
  if (!/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== ED25519_ALGORITHM) {
    throw new Error('the verifier key is not an Ed25519 note key');
  }
  const publicKey = Buffer.from(key.subarray(1));
  const computed = keyId(name, publicKey);
  if (hex8(computed) !== id) throw new Error('the verifier key id does not match its key');
  return { name, keyId: computed, publicKey };
}

/** Signs a note body (text whose every line ends in "\n") and returns the whole signed note. */
export function signNote(body: string, signer: NoteSigner): string {
  if (!body.endsWith('\n') || body.includes('\n\n') || body.startsWith('\n')) {
    throw new Error('a note body is non-empty lines, each ending in "\\n"');
  }
  const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(signer.keyId);
  return `${body}\n${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([idBytes, signature]).toString('base64')}\n`;
}

/**
 * Verifies a signed note against a key and returns its body, or null when the note is malformed, no
 * signature line by that key verifies, or one of its lines fails. Signatures by other keys are ignored.
 */
export function openNote(note: string, key: NoteVerifier): string | null {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const body = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, key.publicKey]),
    format: 'der',
    type: 'spki',
  });
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return null;
    const [name, encoded, extra] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (!name || !encoded || extra !== undefined) return null;
    const bytes = Buffer.from(encoded, 'base64');
    if (name !== key.name || bytes.length !== 4 + 64 || bytes.readUInt32BE(0) !== key.keyId) continue;
    // As Go's note.Open: a signature by the known key that fails is a bad note, whatever else it holds.
    if (!verify(null, Buffer.from(body, 'utf8'), publicKey, bytes.subarray(4))) return null;
    verified = true;
  }
  return verified ? body : null;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

/** The checkpoint body: origin, decimal size, base64 root hash, one line each. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (!checkpoint.origin || checkpoint.origin.includes('\n'))
    throw new Error('a checkpoint origin is one line');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

/** Reads a checkpoint body (extension lines after the root are allowed and ignored); null when malformed. */
export function parseCheckpoint(body: string): Checkpoint | null {
  const lines = body.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return null;
  const [origin, size, root] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) return null;
  const rootBytes = Buffer.from(root, 'base64');
  if (rootBytes.length !== 32 || rootBytes.toString('base64') !== root) return null;
  return { origin, size: Number(size), root: rootBytes };
}
