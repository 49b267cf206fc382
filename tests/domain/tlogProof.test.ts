// The .tlog proof file follows c2sp.org/tlog-proof@v1 to the byte: the spec's own example reads, what we
// write reads back the same, and a file that strays from the format is refused with the line named.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatTlogProof,
  parseTlogProof,
  TlogProofFormatError,
  type TlogProof,
} from '../../domain/transparencyLog/tlogProof.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

// The example in c2sp.org/tlog-proof, as published (its signatures are abridged there, hence "[...]").
const SPEC_EXAMPLE = `c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

— example.com/fancylog hI2DJw[...]1roloI=
— witness1.example mJirIklj[...]qY9v2B/5bg==
`;

const CHECKPOINT = `archive.example/log
3
${sha256('root').toString('base64')}

— archive.example/log ${Buffer.alloc(68, 7).toString('base64')}
`;

const entry = Buffer.from(
  'takedown-archive/document/v1\norder TD-2026-00001\ndocument 17\nsha256 ' +
    'ab'.repeat(32) +
    '\nsize 5\nreceived 2026-12-04T19:08:41Z\nnonce ' +
    'cd'.repeat(16) +
    '\n',
);

const proof: TlogProof = {
  extra: entry,
  index: 2,
  inclusion: [sha256('sibling'), sha256('uncle')],
  checkpoint: CHECKPOINT,
};

describe('tlog-proof text', () => {
  it('reads the example of the specification', () => {
    const parsed = parseTlogProof(SPEC_EXAMPLE);
    expect(parsed.index).toBe(73894);
    expect(Buffer.from(parsed.extra!).toString()).toMatch(/^age-v1\.2\.1-darwin-arm64\.tar\.gz/);
    expect(parsed.inclusion.map((hash) => Buffer.from(hash).toString('base64'))).toEqual([
      'gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=',
      'B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=',
      'EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=',
      'RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=',
      'AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=',
    ]);
    expect(parsed.checkpoint.split('\n').slice(0, 3)).toEqual([
      'example.com/fancylog',
      '109482',
      'sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=',
    ]);
    expect(formatTlogProof(parsed)).toBe(SPEC_EXAMPLE);
  });

  it('writes header, extra, index, one hash a line, a blank line and the checkpoint verbatim', () => {
    expect(formatTlogProof(proof)).toBe(
      [
        'c2sp.org/tlog-proof@v1',
        `extra ${entry.toString('base64')}`,
        'index 2',
        sha256('sibling').toString('base64'),
        sha256('uncle').toString('base64'),
        '',
        CHECKPOINT,
      ].join('\n'),
    );
  });

  it('reads back what it writes, with or without extra data and hashes', () => {
    for (const variant of [proof, { ...proof, extra: null }, { ...proof, index: 0, inclusion: [] }]) {
      const parsed = parseTlogProof(formatTlogProof(variant));
      expect({
        ...parsed,
        extra: parsed.extra && Buffer.from(parsed.extra),
        inclusion: parsed.inclusion.map((hash) => Buffer.from(hash)),
      }).toEqual({ ...variant, extra: variant.extra && Buffer.from(variant.extra) });
    }
    expect(formatTlogProof({ ...proof, extra: null, index: 0, inclusion: [] })).toBe(
      `c2sp.org/tlog-proof@v1\nindex 0\n\n${CHECKPOINT}`,
    );
  });

  it('refuses to write what it could not read back', () => {
    expect(() => formatTlogProof({ ...proof, index: -1 })).toThrow(TlogProofFormatError);
    expect(() => formatTlogProof({ ...proof, index: 1.5 })).toThrow(TlogProofFormatError);
    expect(() => formatTlogProof({ ...proof, inclusion: [Buffer.alloc(31)] })).toThrow(/31 bytes/);
    expect(() => formatTlogProof({ ...proof, checkpoint: CHECKPOINT.trimEnd() })).toThrow(/newline/);
    expect(() => formatTlogProof({ ...proof, checkpoint: 'archive.example/log\n3\n' })).toThrow(/blank line/);
  });

  it.each([
    ['another version', (text: string) => text.replace('@v1', '@v2'), /line 1/],
    ['a missing index', (text: string) => text.replace('index 2\n', ''), /line 3 must be "index"/],
    ['a leading zero', (text: string) => text.replace('index 2', 'index 02'), /line 3 must be "index"/],
    ['a negative index', (text: string) => text.replace('index 2', 'index -2'), /line 3/],
    ['an index beyond 2^53', (text: string) => text.replace('index 2', 'index 9007199254740993'), /line 3/],
    ['a short hash', (text: string) => text.replace(/\n[A-Za-z0-9+/]{43}=\n/, '\nAAAA\n'), /line 4/],
    [
      'base64url',
      (text: string) => text.replace('index 2\n', 'index 2\n-_' + 'A'.repeat(41) + '=\n'),
      /line 4/,
    ],
    ['bad extra', (text: string) => text.replace(/^extra .*$/m, 'extra not*base64'), /line 2/],
    ['CRLF line ends', (text: string) => text.replaceAll('\n', '\r\n'), /\\r\\n/],
    ['no checkpoint', (text: string) => text.slice(0, text.indexOf('\n\n') + 2), /newline/],
    ['no blank line', (text: string) => text.replace('\n\n', '\n'), /line 6 is not a base64/],
  ])('refuses %s', (_name, spoil, message) => {
    const text = formatTlogProof(proof);
    expect(() => parseTlogProof(spoil(text))).toThrow(TlogProofFormatError);
    expect(() => parseTlogProof(spoil(text))).toThrow(message);
  });
});
