// Names the body that sent a gov-takedowns notice twice over, from its file name and from its text, and
// says whether the two agree (an order whose sender was only read one way is imported unreviewed).
import { AUTHORITY_CATALOG, findAuthorityBySlug } from '../../../domain/authorityCatalog.ts';
import { rankAuthorities } from '../../../ingest/suggestions/rankAuthorities.ts';
import type { AuthorityInput } from '../../schemas/references.ts';

export type NewBody = Omit<AuthorityInput, 'slug'>;

/**
 * Bodies that post to gov-takedowns but issue no demands where the catalogue looks (Russia and Central
 * Asia): created in the archive the first time a notice of theirs is imported, and reported.
 */
const NEW_BODIES: ({ slug: string } & NewBody)[] = [
  {
    slug: 'cn-mps',
    country: 'CN',
    kind: 'police',
    name: "Ministry of Public Security of the People's Republic of China",
    local_name: '中华人民共和国公安部',
    aliases: [
      'MPS',
      'Ministry of Public Security',
      'Cyber Security Department of the Ministry of Public Security',
    ],
  },
  {
    slug: 'cn-bnia',
    country: 'CN',
    kind: 'other',
    name: 'Beijing Network Industry Association',
    local_name: '北京网络行业协会',
    aliases: ['BNIA', 'Beijing Network Industry Association'],
  },
  {
    slug: 'cn-cybersecurity-association',
    country: 'CN',
    kind: 'other',
    name: 'Cyber Security Association of China',
    local_name: '中国网络空间安全协会',
    aliases: ['CSAC', 'Cyber Security Association of China'],
  },
  {
    slug: 'hk-cstcb',
    country: 'HK',
    kind: 'police',
    name: 'Cyber Security and Technology Crime Bureau, Hong Kong Police Force',
    local_name: '香港警務處網絡安全及科技罪案調查科',
    aliases: ['CSTCB', 'Cyber Security and Technology Crime Bureau'],
  },
  {
    slug: 'sg-singcert',
    country: 'SG',
    kind: 'cert',
    name: 'Singapore Computer Emergency Response Team',
    aliases: ['SingCERT', 'Singapore Computer Emergency Response Team'],
  },
  {
    slug: 'es-guardia-civil',
    country: 'ES',
    kind: 'police',
    name: 'Guardia Civil',
    local_name: 'Guardia Civil',
    aliases: ['Guardia Civil', 'GuardiaCivil'],
  },
];

export interface BodyRef {
  slug: string;
  /** Set when the body is not in the catalogue: what to create. */
  newBody?: NewBody;
}

export interface NoticeAuthority {
  fromName: BodyRef | undefined;
  fromText: BodyRef | undefined;
  /** The name's reading where there is one (GitHub names the sender), else the text's. */
  chosen: BodyRef | undefined;
  agreed: boolean;
}

interface Candidate extends BodyRef {
  country: string;
  names: string[];
}

const CANDIDATES: Candidate[] = [
  ...AUTHORITY_CATALOG.map((entry) => ({
    slug: entry.slug,
    country: entry.country,
    names: [...entry.aliases, ...(entry.exactCaseAliases ?? [])],
  })),
  ...NEW_BODIES.map(({ slug, ...newBody }) => ({
    slug,
    newBody,
    country: newBody.country,
    names: newBody.aliases ?? [],
  })),
];

export function readNoticeAuthority(notice: {
  country: string;
  agency: string;
  text: string;
}): NoticeAuthority {
  const fromName = bodyInName(notice.country, notice.agency);
  const fromText = bodyInText(notice.country, notice.text);
  return {
    fromName,
    fromText,
    chosen: fromName ?? fromText,
    agreed: fromName !== undefined && fromText?.slug === fromName.slug,
  };
}

/** The body a file name's agency part spells, allowing the typos the collection has («Rozkomnadzor»). */
function bodyInName(country: string, agency: string): BodyRef | undefined {
  const spelled = lettersOf(agency);
  let best: { candidate: Candidate; distance: number } | undefined;
  for (const candidate of CANDIDATES) {
    if (candidate.country !== country) continue;
    for (const name of candidate.names) {
      const letters = lettersOf(name);
      if (!/^[a-z]+$/.test(letters)) continue;
      // Short names (MPS, BNIA) must be exact; a long one may be off by a letter or two.
      const allowed = letters.length >= 8 ? 2 : 0;
      const distance = editDistance(spelled, letters, allowed);
      if (distance <= allowed && (!best || distance < best.distance)) best = { candidate, distance };
    }
  }
  return best && refOf(best.candidate);
}

/** The likeliest sender the text names, among the bodies of the notice's country. */
function bodyInText(country: string, text: string): BodyRef | undefined {
  const catalogued = rankAuthorities(text).find(
    (suggestion) => findAuthorityBySlug(suggestion.slug)?.country === country,
  );
  if (catalogued) return { slug: catalogued.slug };
  // Latest mention wins: a notice signs off with its sender.
  let latest: { candidate: Candidate; index: number } | undefined;
  for (const candidate of CANDIDATES) {
    if (!candidate.newBody || candidate.country !== country) continue;
    for (const name of candidate.names) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu');
      for (const match of text.matchAll(pattern)) {
        if (!latest || match.index > latest.index) latest = { candidate, index: match.index };
      }
    }
  }
  return latest && refOf(latest.candidate);
}

function refOf(candidate: Candidate): BodyRef {
  return candidate.newBody ? { slug: candidate.slug, newBody: candidate.newBody } : { slug: candidate.slug };
}

const lettersOf = (text: string) => text.toLowerCase().replace(/[^\p{L}]/gu, '');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Levenshtein distance, giving up (answering limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
