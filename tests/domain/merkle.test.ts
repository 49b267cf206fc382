// The transparency log's tree, notes and entries reproduce the published vectors (the CT project's RFC 6962
// trees, Go's sumdb/note example, the C2SP signed-note example) and reject every tampered proof.
import { describe, expect, it } from 'vitest';
import {
  appendSiblings,
  appendedSubtrees,
  consistencyProof,
  inclusionProof,
  leafHash,
  memoryReader,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type SubtreeReader,
} from '../../domain/transparencyLog/merkle.ts';
import {
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  signerFromSeed,
} from '../../domain/transparencyLog/note.ts';
import { formatDocumentEntry, parseDocumentEntry } from '../../domain/transparencyLog/entry.ts';

const hex = (value: string) => Buffer.from(value, 'hex');
const hexes = (hashes: readonly Uint8Array[]) => hashes.map((hash) => Buffer.from(hash).toString('hex'));

// The eight leaves of the CT project's reference tree (certificate-transparency, transparency-dev/merkle).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);

const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// (leaf index from 0, tree size, proof), as published with 1-based leaves.
const CT_INCLUSION: Array<[number, number, string[]]> = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

const CT_CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

const ctReader = memoryReader(CT_LEAVES.map(leafHash));

/** Flips one bit of one hash of a proof. */
const tamper = (proof: readonly Buffer[], at: number): Buffer[] =>
  proof.map((hash, i) => {
    if (i !== at) return hash;
    const copy = Buffer.from(hash);
    copy[7] = copy[7]! ^ 0x01;
    return copy;
  });

describe('the RFC 6962 reference tree', () => {
  it('has the published root at every size, ending in 5dc9da79…4328 for all eight leaves', async () => {
    for (let size = 1; size <= 8; size += 1) {
      expect((await treeRoot(size, ctReader)).toString('hex'), `size ${size}`).toBe(CT_ROOTS[size - 1]);
    }
    expect((await treeRoot(0, ctReader)).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('gives the published inclusion proofs, and they verify', async () => {
    for (const [index, size, expected] of CT_INCLUSION) {
      const proof = await inclusionProof(index, size, ctReader);
      expect(hexes(proof), `leaf ${index} of ${size}`).toEqual(expected);
      expect(verifyInclusion(index, size, leafHash(CT_LEAVES[index]!), proof, hex(CT_ROOTS[size - 1]!))).toBe(
        true,
      );
    }
  });

  it('gives the published consistency proofs, and they verify', async () => {
    for (const [from, to, expected] of CT_CONSISTENCY) {
      const proof = await consistencyProof(from, to, ctReader);
      expect(hexes(proof), `${from} → ${to}`).toEqual(expected);
      expect(verifyConsistency(from, to, hex(CT_ROOTS[from - 1]!), hex(CT_ROOTS[to - 1]!), proof)).toBe(true);
    }
  });
});

describe('every tree up to 64 leaves', () => {
  const leaves = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i}`));
  const hashes = leaves.map(leafHash);
  const reader = memoryReader(hashes);

  it('proves and verifies every leaf, and refuses tampered or misplaced proofs', async () => {
    for (let size = 1; size <= 64; size += 1) {
      const root = await treeRoot(size, reader);
      // A tree built only from its own leaves has the same root: no hash beyond `size` leaks in.
      expect(await treeRoot(size, memoryReader(hashes.slice(0, size)))).toEqual(root);
      for (let index = 0; index < size; index += 1) {
        const proof = await inclusionProof(index, size, reader);
        const leaf = hashes[index]!;
        expect(verifyInclusion(index, size, leaf, proof, root), `${index}/${size}`).toBe(true);
        for (let at = 0; at < proof.length; at += 1) {
          expect(verifyInclusion(index, size, leaf, tamper(proof, at), root)).toBe(false);
        }
        expect(verifyInclusion(index, size, hashes[(index + 1) % 64]!, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaf, proof, root)).toBe(false);
        if (size < 64)
          expect(verifyInclusion(index, size, leaf, proof, await treeRoot(size + 1, reader))).toBe(false);
        expect(verifyInclusion(index, size, leaf, [...proof, leaf], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(index, size, leaf, proof.slice(1), root)).toBe(false);
      }
    }
  });

  it('proves and verifies every pair of sizes, and refuses tampered proofs', async () => {
    const roots: Buffer[] = [Buffer.alloc(0)];
    for (let size = 1; size <= 64; size += 1) roots.push(await treeRoot(size, reader));
    for (let to = 1; to <= 64; to += 1) {
      for (let from = 1; from <= to; from += 1) {
        const proof = await consistencyProof(from, to, reader);
        expect(verifyConsistency(from, to, roots[from]!, roots[to]!, proof), `${from} → ${to}`).toBe(true);
        for (let at = 0; at < proof.length; at += 1) {
          expect(verifyConsistency(from, to, roots[from]!, roots[to]!, tamper(proof, at))).toBe(false);
        }
        if (from < to) {
          expect(verifyConsistency(from, to, roots[from]!, roots[to - 1]!, proof)).toBe(false);
          expect(verifyConsistency(from, to, tamper([roots[from]!], 0)[0]!, roots[to]!, proof)).toBe(false);
          expect(verifyConsistency(from, to, roots[from]!, roots[to]!, proof.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('keeps the perfect subtrees an append creates equal to the tree built at once', async () => {
    const stored = new Map<string, Buffer>();
    const storedReader: SubtreeReader = async (positions) =>
      positions.map(({ level, index }) => stored.get(`${level}/${index}`)!);
    for (let index = 0; index < 64; index += 1) {
      const siblings = await storedReader(appendSiblings(index));
      for (const node of appendedSubtrees(index, hashes[index]!, siblings)) {
        stored.set(`${node.level}/${node.index}`, node.hash);
      }
      expect(await treeRoot(index + 1, storedReader)).toEqual(await treeRoot(index + 1, reader));
    }
  });
});

describe('signed notes', () => {
  const goSigner = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const goVerifier = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const goText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const goNote = `${goText}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it("reproduces Go's sumdb/note example byte for byte", () => {
    const signer = parseSignerKey(goSigner);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(signer)).toBe(goVerifier);
    expect(signNote(goText, signer)).toBe(goNote);
    expect(openNote(goNote, parseVerifierKey(goVerifier))).toBe(goText);
  });

  it('opens the C2SP signed-note example', () => {
    const key = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note =
      'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect(openNote(note, key)).toBe('This is an example message.\n');
  });

  it('refuses a changed text, a changed signature, another key, and a key whose id lies', () => {
    const key = parseVerifierKey(goVerifier);
    expect(openNote(goNote.replace('answer', 'Answer'), key)).toBeNull();
    expect(openNote(goNote.replace('x08go', 'x08gp'), key)).toBeNull();
    const other = signerFromSeed('PeterNeumann', Buffer.alloc(32, 7));
    expect(openNote(signNote(goText, other), key)).toBeNull();
    expect(() => parseVerifierKey(goVerifier.replace('c74f20a3', 'c74f20a4'))).toThrow();
    expect(() => parseSignerKey(goSigner.replace('c74f20a3', 'c74f20a4'))).toThrow();
  });

  it('round-trips a generated signer key and a checkpoint', () => {
    const seed = Buffer.alloc(32, 3);
    const text = formatSignerKey('archive.example/log', seed);
    const signer = parseSignerKey(text);
    const root = leafHash(Buffer.from('x'));
    const body = formatCheckpoint({ origin: 'archive.example/log', size: 17, root });
    expect(body).toBe(`archive.example/log\n17\n${root.toString('base64')}\n`);
    const note = signNote(body, signer);
    const opened = openNote(note, parseVerifierKey(formatVerifierKey(signer)));
    expect(opened && parseCheckpoint(opened)).toEqual({ origin: 'archive.example/log', size: 17, root });
    expect(parseCheckpoint('archive.example/log\n017\nAAAA\n')).toBeNull();
  });
});

describe('document entries', () => {
  const entry = {
    orderPublicId: 'TD-2026-00001',
    documentId: 17,
    sha256: 'a'.repeat(64),
    size: 1234,
    received: new Date('2026-12-04T19:08:41.512Z'),
    nonce: '0123456789abcdef0123456789abcdef',
  };

  it('is the issue’s seven lines, in order, each ending in a newline', () => {
    expect(formatDocumentEntry(entry)).toBe(
      'takedown-archive/document/v1\norder TD-2026-00001\ndocument 17\n' +
        `sha256 ${'a'.repeat(64)}\nsize 1234\nreceived 2026-12-04T19:08:41Z\n` +
        'nonce 0123456789abcdef0123456789abcdef\n',
    );
  });

  it('parses back only what it formats', () => {
    const text = formatDocumentEntry(entry);
    expect(parseDocumentEntry(text)).toEqual({ ...entry, received: new Date('2026-12-04T19:08:41Z') });
    expect(parseDocumentEntry(text.replace('size 1234', 'size 01234'))).toBeNull();
    expect(parseDocumentEntry(text.trimEnd())).toBeNull();
    expect(() => formatDocumentEntry({ ...entry, sha256: 'A'.repeat(64) })).toThrow();
  });
});
