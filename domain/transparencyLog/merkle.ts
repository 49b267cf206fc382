// The RFC 9162 Merkle tree of the transparency log: hashes, roots, and inclusion and consistency proofs
// built from the hashes of perfect subtrees, so a server answers a proof with one batch of O(log n) reads.
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

/** A perfect subtree: the 2^level leaves starting at leaf index × 2^level. */
export interface SubtreePosition {
  readonly level: number;
  readonly index: number;
}

/** Reads the hashes of perfect subtrees, in the order asked, all at once (one query in PostgreSQL). */
export type SubtreeReader = (positions: readonly SubtreePosition[]) => Promise<readonly Uint8Array[]>;

/** SHA-256(0x00 ‖ entry), RFC 9162 2.1.1. */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0x00)).update(entry).digest();
}

/** SHA-256(0x01 ‖ left ‖ right), RFC 9162 2.1.1. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** The hash of the empty tree: SHA-256 of nothing. */
export const EMPTY_TREE_HASH: Buffer = createHash('sha256').digest();

// Sizes and indexes are JavaScript numbers, exact below 2^53; arithmetic rather than bit operators keeps
// them right above 2^31.
const pow2 = (level: number): number => 2 ** level;

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`);
}

/**
 * The perfect subtrees whose hashes, folded right to left, give the hash of leaves [start, end) of a
 * left-balanced tree. Every range a proof needs starts at a multiple of a power of two at least as large
 * as its first piece, so the greedy split from the largest piece is aligned.
 */
export function rangePositions(start: number, end: number): SubtreePosition[] {
  const positions: SubtreePosition[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (pow2(level + 1) <= end - at && at % pow2(level + 1) === 0) level += 1;
    positions.push({ level, index: at / pow2(level) });
    at += pow2(level);
  }
  return positions;
}

/** Folds the hashes of a range's perfect subtrees (from rangePositions) into the range's hash. */
export function foldRange(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_TREE_HASH;
  let hash: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i -= 1) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

interface Range {
  readonly start: number;
  readonly end: number;
}

/** PATH(m, D[start:end]) of RFC 9162 2.1.3.1, as the ranges whose hashes form the proof, leaf side first. */
function inclusionRanges(m: number, start: number, end: number): Range[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...inclusionRanges(m, start, start + k), { start: start + k, end }];
  return [...inclusionRanges(m - k, start + k, end), { start, end: start + k }];
}

/** SUBPROOF(m, D[start:end], b) of RFC 9162 2.1.4.1. */
function consistencyRanges(m: number, start: number, end: number, complete: boolean): Range[] {
  const n = end - start;
  if (m === n) return complete ? [] : [{ start, end }];
  const k = splitPoint(n);
  if (m <= k) return [...consistencyRanges(m, start, start + k, complete), { start: start + k, end }];
  return [...consistencyRanges(m - k, start + k, end, false), { start, end: start + k }];
}

async function hashesOfRanges(ranges: readonly Range[], read: SubtreeReader): Promise<Buffer[]> {
  const perRange = ranges.map((range) => rangePositions(range.start, range.end));
  const positions = perRange.flat();
  const hashes = positions.length === 0 ? [] : await read(positions);
  if (hashes.length !== positions.length)
    throw new Error('the subtree reader answered the wrong number of hashes');
  let offset = 0;
  return perRange.map((pieces) => {
    const folded = foldRange(hashes.slice(offset, offset + pieces.length));
    offset += pieces.length;
    return folded;
  });
}

/** The root hash (MTH) of the first `size` leaves. */
export async function treeRoot(size: number, read: SubtreeReader): Promise<Buffer> {
  checkSize('size', size);
  const [root] = await hashesOfRanges([{ start: 0, end: size }], read);
  return root!;
}

/** The inclusion proof (RFC 9162 2.1.3.1) of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(index: number, size: number, read: SubtreeReader): Promise<Buffer[]> {
  checkSize('index', index);
  checkSize('size', size);
  if (index >= size) throw new RangeError('the leaf index must be below the tree size');
  return hashesOfRanges(inclusionRanges(index, 0, size), read);
}

/** The consistency proof (RFC 9162 2.1.4.1) that the tree of `from` leaves is a prefix of `to` (empty from 0). */
export async function consistencyProof(from: number, to: number, read: SubtreeReader): Promise<Buffer[]> {
  checkSize('from', from);
  checkSize('to', to);
  if (from > to) throw new RangeError('a consistency proof needs from ≤ to');
  // Every tree extends the empty one: nothing to prove.
  if (from === 0) return [];
  return hashesOfRanges(consistencyRanges(from, 0, to, true), read);
}

const sameHash = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === HASH_SIZE && b.length === HASH_SIZE && Buffer.compare(a, b) === 0;

/** RFC 9162 2.1.3.2: does `proof` lead from the leaf hash at `index` to `root` in a tree of `size`? */
export function verifyInclusion(
  index: number,
  size: number,
  hash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(hash);
  for (const p of proof) {
    if (p.length !== HASH_SIZE) return false;
    if (sn === 0) return false;
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
  return sn === 0 && sameHash(r, root);
}

/** RFC 9162 2.1.4.2: does `proof` show the tree of `from` leaves (`fromRoot`) is a prefix of `to` (`toRoot`)? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (from === 0) return proof.length === 0;
  if (from === to) return proof.length === 0 && sameHash(fromRoot, toRoot);
  if (proof.length === 0) return false;
  const path = Number.isInteger(Math.log2(from)) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
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
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, fromRoot) && sameHash(sr, toRoot);
}

/** The left siblings an append of leaf `index` folds with: one per perfect subtree the new leaf completes. */
export function appendSiblings(index: number): SubtreePosition[] {
  checkSize('index', index);
  const siblings: SubtreePosition[] = [];
  let at = index;
  for (let level = 0; at % 2 === 1; level += 1) {
    siblings.push({ level, index: at - 1 });
    at = Math.floor(at / 2);
  }
  return siblings;
}

/**
 * The perfect-subtree hashes that appending the leaf at `index` creates (the leaf itself, then each subtree
 * it completes), given the hashes of `appendSiblings(index)` in that order.
 */
export function appendedSubtrees(
  index: number,
  hash: Uint8Array,
  siblings: readonly Uint8Array[],
): Array<SubtreePosition & { hash: Buffer }> {
  const positions = appendSiblings(index);
  if (siblings.length !== positions.length) throw new Error('appendedSubtrees needs one hash per sibling');
  const created: Array<SubtreePosition & { hash: Buffer }> = [{ level: 0, index, hash: Buffer.from(hash) }];
  let current: Buffer = Buffer.from(hash);
  let at = index;
  positions.forEach((_, level) => {
    current = nodeHash(siblings[level]!, current);
    at = Math.floor(at / 2);
    created.push({ level: level + 1, index: at, hash: current });
  });
  return created;
}

/** A reader over an in-memory list of leaf hashes, for tests, tools and checks of a whole tree. */
export function memoryReader(leafHashes: readonly Uint8Array[]): SubtreeReader {
  const levels: Buffer[][] = [leafHashes.map((hash) => Buffer.from(hash))];
  for (let level = 0; levels[level]!.length >= 2; level += 1) {
    const below = levels[level]!;
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(above);
  }
  return async (positions) =>
    positions.map(({ level, index }) => {
      const hash = levels[level]?.[index];
      if (!hash) throw new RangeError(`no perfect subtree at level ${level}, index ${index}`);
      return hash;
    });
}
