// The independent verifier (written from docs/TRANSPARENCY-LOG.md) agrees with RFC 9162 and the CT
// project's vectors, and with a checkpoint and .tlog file built by hand as the documentation describes:
// what is right verifies, and anything changed — a hash, an index, a size, a byte, a signature — fails.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  proofFromJson,
  proofFromTlog,
  verifyConsistency,
  verifyDocument,
  verifyInclusion,
  VerificationFailure,
  type VerificationStep,
} from './independentVerifier.ts';
import {
  CT_CONSISTENCY,
  CT_INCLUSION,
  CT_LEAVES,
  CT_ROOT_OF_8,
  hex,
  merkleTreeHash,
  referencePath,
  referenceProof,
} from './rfcVectors.ts';

const flipped = (hash: Uint8Array, bit = 0) => {
  const copy = Buffer.from(hash);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

const leavesOf = (count: number) => Array.from({ length: count }, (_, index) => Buffer.of(index, index >> 8));

describe('the tree, against RFC 9162 and the CT vectors', () => {
  it('reproduces the root of the eight standard leaves', () => {
    expect(merkleTreeHash(CT_LEAVES).toString('hex')).toBe(CT_ROOT_OF_8);
  });

  it.each(CT_INCLUSION)(
    'verifies the published inclusion proof of leaf %i in a tree of %i',
    (index, size, path) => {
      const root = merkleTreeHash(CT_LEAVES.slice(0, size));
      const proof = path.map(hex);
      expect(referencePath(index, CT_LEAVES.slice(0, size))).toEqual(proof);
      expect(verifyInclusion(index, size, leafHash(CT_LEAVES[index]!), proof, root)).toBe(true);
    },
  );

  it.each(CT_CONSISTENCY)('verifies the published consistency proof from %i to %i', (first, second, path) => {
    const proof = path.map(hex);
    expect(referenceProof(first, CT_LEAVES.slice(0, second))).toEqual(proof);
    const firstRoot = merkleTreeHash(CT_LEAVES.slice(0, first));
    const secondRoot = merkleTreeHash(CT_LEAVES.slice(0, second));
    expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
  });

  it('verifies every leaf of every tree up to 64 leaves, and refuses every tampered proof', () => {
    const leaves = leavesOf(64);
    for (let size = 1; size <= 64; size++) {
      const tree = leaves.slice(0, size);
      const root = merkleTreeHash(tree);
      for (let index = 0; index < size; index++) {
        const leaf = leafHash(tree[index]!);
        const proof = referencePath(index, tree);
        expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);

        expect(verifyInclusion(index, size, flipped(leaf), proof, root)).toBe(false);
        expect(verifyInclusion(index, size, leaf, proof, flipped(root, 255))).toBe(false);
        proof.forEach((_, position) => {
          const tampered = proof.map((hash, at) => (at === position ? flipped(hash, 9) : hash));
          expect(verifyInclusion(index, size, leaf, tampered, root)).toBe(false);
        });
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaf, proof, root)).toBe(false);
        // The size is what the signed checkpoint vouches for: against the next tree's root, the proof fails.
        expect(verifyInclusion(index, size + 1, leaf, proof, merkleTreeHash(leaves.slice(0, size + 1)))).toBe(
          false,
        );
        expect(verifyInclusion(size, size, leaf, proof, root)).toBe(false);
        expect(verifyInclusion(index, size, leaf, [...proof, root], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(index, size, leaf, proof.slice(1), root)).toBe(false);
      }
    }
  });

  it('verifies consistency between every pair of sizes up to 64, and refuses every tampered proof', () => {
    const leaves = leavesOf(64);
    const roots = Array.from({ length: 65 }, (_, size) => merkleTreeHash(leaves.slice(0, size)));
    for (let second = 1; second <= 64; second++) {
      for (let first = 1; first <= second; first++) {
        const proof = referenceProof(first, leaves.slice(0, second));
        expect(verifyConsistency(first, second, roots[first]!, roots[second]!, proof)).toBe(true);

        expect(verifyConsistency(first, second, flipped(roots[first]!), roots[second]!, proof)).toBe(false);
        expect(verifyConsistency(first, second, roots[first]!, flipped(roots[second]!), proof)).toBe(false);
        proof.forEach((_, position) => {
          const tampered = proof.map((hash, at) => (at === position ? flipped(hash, 17) : hash));
          expect(verifyConsistency(first, second, roots[first]!, roots[second]!, tampered)).toBe(false);
        });
        if (first < second) {
          expect(verifyConsistency(first, second, roots[first]!, roots[second]!, proof.slice(0, -1))).toBe(
            false,
          );
          expect(verifyConsistency(second, first, roots[second]!, roots[first]!, proof)).toBe(false);
          expect(verifyConsistency(first, second, roots[first - 1]!, roots[second]!, proof)).toBe(false);
        }
        expect(
          verifyConsistency(first, second, roots[first]!, roots[second]!, [...proof, roots[first]!]),
        ).toBe(false);
      }
    }
  });
});

// A log of four documents, signed as §3–§7 describe, built here by hand.
const ORIGIN = 'archive.example/log';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const rawPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const keyId = createHash('sha256')
  .update(ORIGIN)
  .update(Buffer.of(0x0a, 0x01))
  .update(rawPublicKey)
  .digest()
  .subarray(0, 4);
const verifierKey = `${ORIGIN}+${keyId.toString('hex')}+${Buffer.concat([Buffer.of(1), rawPublicKey]).toString('base64')}`;

function signedCheckpoint(size: number, root: Buffer, name = ORIGIN, id = keyId): string {
  const text = `${ORIGIN}\n${size}\n${root.toString('base64')}\n`;
  const signature = Buffer.concat([id, sign(null, Buffer.from(text), privateKey)]);
  return `${text}\n\u2014 ${name} ${signature.toString('base64')}\n`;
}

const files = ['первый', 'second file', 'третий', 'fourth'].map((text) => Buffer.from(text));
const entries = files.map((file, index) =>
  Buffer.from(
    [
      'takedown-archive/document/v1',
      `order TD-2026-0000${index + 1}`,
      `document ${index + 17}`,
      `sha256 ${createHash('sha256').update(file).digest('hex')}`,
      `size ${file.length}`,
      '2026-12-04T19:08:41Z'.replace(/^/, 'received '),
      `nonce ${'0f'.repeat(15)}${index.toString(16).padStart(2, '0')}`,
      '',
    ].join('\n'),
  ),
);
const checkpoint = signedCheckpoint(entries.length, merkleTreeHash(entries));

function tlogFile(index: number, entry = entries[index]!, note = checkpoint): string {
  const hashes = referencePath(index, entries).map((hash) => `${hash.toString('base64')}\n`);
  return `c2sp.org/tlog-proof@v1\nextra ${entry.toString('base64')}\nindex ${index}\n${hashes.join('')}\n${note}`;
}

function failedStep(check: () => unknown): VerificationStep | 'passed' {
  try {
    check();
    return 'passed';
  } catch (error) {
    if (error instanceof VerificationFailure) return error.step;
    throw error;
  }
}

describe('a document proof built by hand from the documentation', () => {
  const key = parseVerifierKey(verifierKey);

  it('verifies every document of the log from its .tlog file and from its JSON proof', () => {
    files.forEach((file, index) => {
      const verified = verifyDocument(file, proofFromTlog(tlogFile(index)), key);
      expect(verified.entry).toMatchObject({ order: `TD-2026-0000${index + 1}`, document: index + 17 });
      expect(verified.checkpoint).toMatchObject({ origin: ORIGIN, size: 4 });
      const json = {
        entry: entries[index]!.toString('base64'),
        leaf_index: index,
        tree_size: 4,
        inclusion: referencePath(index, entries).map((hash) => hash.toString('base64')),
        checkpoint,
      };
      expect(verifyDocument(file, proofFromJson(json), key).index).toBe(index);
    });
  });

  it('names the step that fails when anything is changed', () => {
    const check = (file: Buffer, proofText: string, keyText = verifierKey) =>
      failedStep(() => verifyDocument(file, proofFromTlog(proofText), parseVerifierKey(keyText)));
    const [file, otherFile] = [files[1]!, files[2]!];

    expect(check(file, tlogFile(1))).toBe('passed');
    expect(check(otherFile, tlogFile(1))).toBe('bytes');
    expect(check(Buffer.concat([file, Buffer.of(0)]), tlogFile(1))).toBe('bytes');
    const otherNonce = Buffer.from(entries[1]!.toString().replace(/nonce 0f/, 'nonce 1f'));
    expect(check(file, tlogFile(1, otherNonce))).toBe('inclusion');
    expect(check(file, tlogFile(1).replace('index 1', 'index 2'))).toBe('inclusion');
    expect(check(file, tlogFile(1, entries[1]!, signedCheckpoint(5, merkleTreeHash(entries))))).toBe(
      'inclusion',
    );
    expect(check(file, tlogFile(1, Buffer.from('not an entry\n')))).toBe('entry');

    const [text, signatures] = checkpoint.split('\n\n') as [string, string];
    expect(check(file, tlogFile(1, entries[1]!, `${text.replace('\n4\n', '\n5\n')}\n\n${signatures}`))).toBe(
      'checkpoint',
    );
    const otherKey = generateKeyPairSync('ed25519');
    const forged = Buffer.concat([keyId, sign(null, Buffer.from(`${text}\n`), otherKey.privateKey)]);
    expect(
      check(file, tlogFile(1, entries[1]!, `${text}\n\n\u2014 ${ORIGIN} ${forged.toString('base64')}\n`)),
    ).toBe('checkpoint');
    const strangersOnly = signedCheckpoint(4, merkleTreeHash(entries), 'witness.example');
    expect(check(file, tlogFile(1, entries[1]!, strangersOnly))).toBe('checkpoint');
    expect(
      check(
        file,
        tlogFile(1, entries[1]!, signedCheckpoint(4, merkleTreeHash(entries), ORIGIN, Buffer.alloc(4))),
      ),
    ).toBe('checkpoint');

    const [name, id, base64Key] = verifierKey.split('+') as [string, string, string];
    expect(check(file, tlogFile(1), `${name}+00000000+${base64Key}`)).toBe('key');
    expect(check(file, tlogFile(1), `other.example/log+${id}+${base64Key}`)).toBe('key');
    expect(check(file, tlogFile(1), `${name}+${id}`)).toBe('key');
    expect(check(file, tlogFile(1).replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'))).toBe(
      'proof',
    );
  });

  it('ignores a witness signature beside the log’s own', () => {
    const witness = generateKeyPairSync('ed25519');
    const text = checkpoint.split('\n\n')[0]!;
    const cosigned = `${checkpoint}\u2014 witness.example ${Buffer.concat([Buffer.alloc(4, 9), sign(null, Buffer.from(`${text}\n`), witness.privateKey)]).toString('base64')}\n`;
    expect(openCheckpoint(cosigned, key).size).toBe(4);
  });
});
