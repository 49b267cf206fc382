// The C2SP tlog-proof text (c2sp.org/tlog-proof@v1): one self-contained file that proves an entry is in the
// log — the entry itself (as the "extra" line), its index, the inclusion proof and the signed checkpoint.
// A journalist attaches it to a story; anyone can check it offline with the log's public key.

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

const HASH_SIZE = 32;

export interface TlogProof {
  /**
   * Opaque data the verifier needs to rebuild the record hash. The archive puts the entry's bytes here, so
   * the file alone gives leaf hash = SHA-256(0x00 ‖ extra). Not authenticated by itself: it is trusted only
   * once its leaf hash is shown to be in the signed tree. `null` when the proof carries none.
   */
  extra: Uint8Array | null;
  /** The zero-based index of the entry's leaf. */
  index: number;
  /** RFC 9162 2.1.3 inclusion proof: the leaf's sibling first, the root's child last; 32 bytes each. */
  inclusion: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim (origin, size, root, blank line, signature lines), ending in "\n". */
  checkpoint: string;
}

/** A tlog-proof text that does not follow c2sp.org/tlog-proof@v1; the message names the line at fault. */
export class TlogProofFormatError extends Error {
  override readonly name = 'TlogProofFormatError';
}

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Standard base64 (RFC 4648 §4) in its one canonical spelling, or null. */
function fromBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function checkCheckpointText(checkpoint: string): void {
  if (!checkpoint.endsWith('\n')) throw new TlogProofFormatError('the checkpoint must end with a newline');
  if (!checkpoint.includes('\n\n')) {
    throw new TlogProofFormatError('the checkpoint has no blank line before its signatures');
  }
  const [origin, size, root] = checkpoint.split('\n');
  if (!origin || !size || !root) {
    throw new TlogProofFormatError(
      'the checkpoint must start with its origin, tree size and root hash lines',
    );
  }
  // Signed notes allow no control characters but the newline (c2sp.org/signed-note).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(checkpoint)) {
    throw new TlogProofFormatError('the checkpoint contains a control character');
  }
}

/** The proof as c2sp.org/tlog-proof@v1 text. Refuses what could not be parsed back. */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) {
    throw new TlogProofFormatError(`index ${proof.index} is not a non-negative integer`);
  }
  proof.inclusion.forEach((hash, position) => {
    if (hash.byteLength !== HASH_SIZE) {
      throw new TlogProofFormatError(`inclusion hash ${position + 1} has ${hash.byteLength} bytes, not 32`);
    }
  });
  checkCheckpointText(proof.checkpoint);
  const lines = [
    TLOG_PROOF_HEADER,
    ...(proof.extra === null ? [] : [`extra ${toBase64(proof.extra)}`]),
    `index ${proof.index}`,
    ...proof.inclusion.map(toBase64),
    '',
  ];
  return `${lines.join('\n')}\n${proof.checkpoint}`;
}

/** Reads c2sp.org/tlog-proof@v1 text; throws TlogProofFormatError naming the first line that is wrong. */
export function parseTlogProof(text: string): TlogProof {
  if (text.includes('\r')) throw new TlogProofFormatError('lines must end in "\\n" alone, not "\\r\\n"');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new TlogProofFormatError('there is no blank line before the checkpoint');
  const head = text.slice(0, blank).split('\n');
  const checkpoint = text.slice(blank + 2);

  let line = 0;
  if (head[line] !== TLOG_PROOF_HEADER) {
    throw new TlogProofFormatError(`line 1 must be "${TLOG_PROOF_HEADER}"`);
  }
  line++;

  let extra: Buffer | null = null;
  if (head[line]?.startsWith('extra ')) {
    extra = fromBase64(head[line]!.slice('extra '.length));
    if (extra === null) throw new TlogProofFormatError(`line ${line + 1}: the extra data is not base64`);
    line++;
  }

  const indexLine = /^index (0|[1-9][0-9]*)$/.exec(head[line] ?? '');
  const index = indexLine ? Number(indexLine[1]) : NaN;
  if (!Number.isSafeInteger(index)) {
    throw new TlogProofFormatError(`line ${line + 1} must be "index" and a decimal without leading zeroes`);
  }
  line++;

  const inclusion = head.slice(line).map((hashText, offset) => {
    const hash = fromBase64(hashText);
    if (hash === null || hash.byteLength !== HASH_SIZE) {
      throw new TlogProofFormatError(`line ${line + offset + 1} is not a base64 SHA-256 hash`);
    }
    return hash;
  });

  checkCheckpointText(checkpoint);
  return { extra, index, inclusion, checkpoint };
}
