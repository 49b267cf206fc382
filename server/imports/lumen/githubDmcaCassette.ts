// Reads the notices of github/dmca from a VCR cassette of GitHub's API (what Lumen's GitHub importer
// fetched: the commits adding `YYYY/MM/YYYY-MM-DD-name.md`, and each note's markdown). Each added note is a
// DMCA notice to GitHub on behalf of the name in its file name, its markdown the notice's text.
import { Readable } from 'node:stream';
import { parse, type Tags } from 'yaml';
import type { LumenUrl } from './lumenNotices.ts';
import { urlsIn } from './noticeSourceFile.ts';
import type { PreparedNotice, ReportedProblem } from './preparedNotice.ts';

interface Interaction {
  request?: { uri?: string };
  response?: { status?: { code?: number }; body?: { string?: string | Uint8Array } };
}

/** Ruby's YAML writes a body that is not valid UTF-8 as `!binary` base64. */
const RUBY_BINARY: Tags[number] = {
  tag: '!binary',
  resolve: (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64'),
};

const COMMIT = /^https:\/\/api\.github\.com\/repos\/github\/dmca\/commits\/([0-9a-f]{40})$/;
const NOTE = /(?:^|\/)(\d{4}-\d{2}-\d{2})-(.+?)\.md$/;
/**
 * A notice to GitHub can have GitHub remove only what GitHub hosts: a repository, a file, a gist, a Pages
 * site or an npm package. The rest (the work's own site, GitHub's help pages) is not a target.
 */
const ON_GITHUB =
  /^https?:\/\/(github\.com\/(?!github\/dmca\b)[^/\s]+\/|gist\.github\.com\/|[\w-]+\.github\.io\b|(www\.)?npmjs\.com\/)/i;

/** The cassette's notices, or undefined when the YAML is not a VCR cassette of github/dmca. */
export function readGithubDmcaCassette(
  text: string,
  name: string,
): { notices: PreparedNotice[]; problems: ReportedProblem[] } | undefined {
  let cassette: { http_interactions?: Interaction[] } | null;
  try {
    cassette = parse(text, { customTags: [RUBY_BINARY] }) as typeof cassette;
  } catch {
    return undefined;
  }
  const interactions = Array.isArray(cassette?.http_interactions) ? cassette.http_interactions : [];
  const bodyOf = (uri: string) => {
    const found = interactions.find(
      (i) => i.request?.uri && safeDecodeUri(i.request.uri) === uri && i.response?.status?.code === 200,
    )?.response?.body?.string;
    return found === undefined ? undefined : Buffer.from(found);
  };
  const commits = interactions.filter((i) => COMMIT.test(i.request?.uri ?? ''));
  if (commits.length === 0) return undefined;

  const notices: PreparedNotice[] = [];
  const problems: ReportedProblem[] = [];
  const seen = new Set<string>();
  for (const interaction of commits) {
    const sha = COMMIT.exec(interaction.request!.uri!)![1]!;
    const body = interaction.response?.body?.string;
    let files: { filename?: string; status?: string }[] = [];
    try {
      files = (JSON.parse(Buffer.from(body ?? '').toString('utf8')) as { files?: typeof files }).files ?? [];
    } catch {
      problems.push({ file: `${name}#${sha}`, reason: 'the commit recorded is not GitHub API JSON' });
      continue;
    }
    for (const { filename, status } of files) {
      const note = filename && NOTE.exec(filename);
      if (!filename || !note || status !== 'added' || seen.has(filename)) continue;
      seen.add(filename);
      const where = `${name}#${filename}`;
      const markdown = bodyOf(`https://raw.githubusercontent.com/github/dmca/${sha}/${filename}`);
      if (!markdown) {
        problems.push({ file: where, reason: 'the cassette recorded the commit but not the note itself' });
        continue;
      }
      const [, date, slug] = note;
      const text = markdown.toString('utf8');
      notices.push({
        file: where,
        format: 'github-dmca',
        reference: `github-dmca:${filename}`,
        sourceUrl: `https://github.com/github/dmca/blob/${sha}/${filename}`,
        type: 'dmca',
        notice: {
          title: `DMCA notice to GitHub: ${filename.split('/').at(-1)}`,
          // Lumen's mapping: GitHub submitted and received it, on behalf of the name in the file name.
          principal_name: titleized(slug!),
          recipient_name: 'GitHub',
          date_sent: date!,
          works: [worksOf(text)],
          jurisdictions: ['US'],
          language: 'en',
        },
        documents: [
          { filename: filename.split('/').at(-1)!, role: 'order', open: () => Readable.from(markdown) },
        ],
      });
    }
  }
  return { notices, problems };
}

/** Lumen's `tr('-', ' ').titleize`: `metaquotes` → Metaquotes, `stickman-hook` → Stickman Hook. */
function titleized(slug: string): string {
  return slug
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/** The form's answers where the note follows GitHub's form, else every address the note gives. */
function worksOf(markdown: string): { description: string | null; infringing_urls: LumenUrl[] } {
  const text = markdown.replace(/\*\*/g, '');
  const between = (start: string, end: string) => {
    const from = text.indexOf(start);
    const to = from < 0 ? -1 : text.indexOf(end, from + start.length);
    return to < 0 ? undefined : text.slice(from + start.length, to).trim();
  };
  const description = between(
    'If possible, include a URL to where it is posted online.',
    'What files should be taken down',
  );
  const listed = between('or if the entire repository, the repository’s URL.', 'Do you claim to have');
  const forks = between('wish to have it taken down.', 'Is the work licensed under an open source license');
  const urls = urlsIn(listed !== undefined ? `${listed}\n${forks ?? ''}` : text).filter(
    (url) => ON_GITHUB.test(url) && !(description && urlsIn(description).includes(url)),
  );
  return { description: description ?? null, infringing_urls: [...new Set(urls)].map((url) => ({ url })) };
}

function safeDecodeUri(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}
