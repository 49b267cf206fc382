// The laws takedown demands cite, their normalised codes (`RU/149-FZ/15.3`), and a finder for citations in text.

export interface LegalAct {
  /** `CC/ACT`: ISO country and a Latin act code (the law's number, or a readable name for unnumbered ones). */
  code: string;
  country: string;
  /** Official title in the language it is cited in. */
  title: string;
  englishTitle: string;
  /** Date of adoption (ISO), or the year alone where we could not confirm the day. */
  adopted: string;
  /** The official number as printed (`149-ФЗ`, `567-II`). */
  number?: string;
  /** The articles demands cite most, with what each is about. */
  articles?: Record<string, string>;
  /** What replaced it. */
  replacedBy?: string;
}

export const LEGAL_ACTS: LegalAct[] = [
  {
    code: 'RU/149-FZ',
    country: 'RU',
    title: 'Об информации, информационных технологиях и о защите информации',
    englishTitle: 'On Information, Information Technologies and Protection of Information',
    adopted: '2006-07-27',
    number: '149-ФЗ',
    articles: {
      '15.1': 'the unified register of prohibited information (Единый реестр)',
      '15.1-1': 'disrespect to society, the state and its symbols',
      '15.2': 'copyright and related rights (films, then all works)',
      '15.3':
        'demands of the Prosecutor General: calls to riots, extremism, unreliable socially significant information',
      '15.4': 'organisers of information dissemination who fail their duties',
      '15.5': 'personal data processed in breach of the law',
      '15.6': 'permanent blocking for repeated copyright infringement',
      '15.6-1': 'mirrors of permanently blocked sites',
      '15.8': 'VPNs and anonymisers giving access to blocked sites',
    },
  },
  {
    code: 'RU/2124-1',
    country: 'RU',
    title: 'О средствах массовой информации',
    englishTitle: 'On Mass Media',
    adopted: '1991-12-27',
    number: '2124-1',
  },
  {
    code: 'RU/114-FZ',
    country: 'RU',
    title: 'О противодействии экстремистской деятельности',
    englishTitle: 'On Countering Extremist Activity',
    adopted: '2002-07-25',
    number: '114-ФЗ',
  },
  {
    code: 'RU/436-FZ',
    country: 'RU',
    title: 'О защите детей от информации, причиняющей вред их здоровью и развитию',
    englishTitle: 'On Protection of Children from Information Harmful to Their Health and Development',
    adopted: '2010-12-29',
    number: '436-ФЗ',
  },
  {
    code: 'RU/126-FZ',
    country: 'RU',
    title: 'О связи',
    englishTitle: 'On Communications',
    adopted: '2003-07-07',
    number: '126-ФЗ',
  },
  {
    code: 'RU/35-FZ',
    country: 'RU',
    title: 'О противодействии терроризму',
    englishTitle: 'On Countering Terrorism',
    adopted: '2006-03-06',
    number: '35-ФЗ',
  },
  {
    code: 'RU/152-FZ',
    country: 'RU',
    title: 'О персональных данных',
    englishTitle: 'On Personal Data',
    adopted: '2006-07-27',
    number: '152-ФЗ',
  },
  {
    code: 'RU/244-FZ',
    country: 'RU',
    title:
      'О государственном регулировании деятельности по организации и проведению азартных игр и о внесении изменений в некоторые законодательные акты Российской Федерации',
    englishTitle: 'On State Regulation of Organising and Conducting Gambling',
    adopted: '2006-12-29',
    number: '244-ФЗ',
  },
  {
    code: 'RU/398-FZ',
    country: 'RU',
    title:
      'О внесении изменений в Федеральный закон «Об информации, информационных технологиях и о защите информации»',
    englishTitle: 'The amendment that added article 15.3 to 149-FZ',
    adopted: '2013-12-28',
    number: '398-ФЗ',
  },
  {
    code: 'RU/CRIMINAL-CODE',
    country: 'RU',
    title: 'Уголовный кодекс Российской Федерации',
    englishTitle: 'Criminal Code of the Russian Federation',
    adopted: '1996-06-13',
    number: '63-ФЗ',
    articles: {
      '207.3': 'public dissemination of knowingly false information about the armed forces (2022)',
      '280.3': 'repeated discrediting of the armed forces (2022)',
    },
  },
  {
    code: 'RU/ADMIN-CODE',
    country: 'RU',
    title: 'Кодекс Российской Федерации об административных правонарушениях',
    englishTitle: 'Code of Administrative Offences of the Russian Federation',
    adopted: '2001-12-30',
    number: '195-ФЗ',
    articles: { '20.3.3': 'discrediting the armed forces (administrative)' },
  },
  {
    code: 'KZ/COMMUNICATIONS-2004',
    country: 'KZ',
    title: 'О связи',
    englishTitle: 'On Communications',
    adopted: '2004-07-05',
    number: '567-II',
    articles: {
      '41-1': 'suspending networks and means of communication, restricting access to internet resources',
    },
  },
  {
    code: 'KZ/MASS-MEDIA-1999',
    country: 'KZ',
    title: 'О средствах массовой информации',
    englishTitle: 'On Mass Media',
    adopted: '1999-07-23',
    number: '451-I',
    replacedBy: 'KZ/MASS-MEDIA-2024',
  },
  {
    code: 'KZ/MASS-MEDIA-2024',
    country: 'KZ',
    title: 'О масс-медиа',
    englishTitle: 'On Mass Media',
    adopted: '2024-06-19',
    number: '93-VIII',
  },
  {
    code: 'KZ/ONLINE-PLATFORMS-2023',
    country: 'KZ',
    title: 'Об онлайн-платформах и онлайн-рекламе',
    englishTitle: 'On Online Platforms and Online Advertising',
    adopted: '2023-07-10',
    number: '18-VIII',
  },
  {
    code: 'KZ/EXTREMISM-2005',
    country: 'KZ',
    title: 'О противодействии экстремизму',
    englishTitle: 'On Countering Extremism',
    adopted: '2005-02-18',
    number: '31-III',
  },
  {
    code: 'KZ/TERRORISM-1999',
    country: 'KZ',
    title: 'О противодействии терроризму',
    englishTitle: 'On Countering Terrorism',
    adopted: '1999-07-13',
    number: '416-I',
  },
  {
    code: 'KZ/PERSONAL-DATA-2013',
    country: 'KZ',
    title: 'О персональных данных и их защите',
    englishTitle: 'On Personal Data and Their Protection',
    adopted: '2013-05-21',
    number: '94-V',
  },
  {
    code: 'KZ/CRIMINAL-CODE',
    country: 'KZ',
    title: 'Уголовный кодекс Республики Казахстан',
    englishTitle: 'Criminal Code of the Republic of Kazakhstan',
    adopted: '2014-07-03',
    number: '226-V',
    articles: { '274': 'dissemination of knowingly false information' },
  },
  {
    code: 'KG/FALSE-INFORMATION-2021',
    country: 'KG',
    title: 'О защите от недостоверной (ложной) информации',
    englishTitle: 'On Protection from Unreliable (False) Information',
    adopted: '2021',
  },
  {
    code: 'KG/MASS-MEDIA-1992',
    country: 'KG',
    title: 'О средствах массовой информации',
    englishTitle: 'On Mass Media',
    adopted: '1992-07-02',
  },
];

const ACT_BY_CODE = new Map(LEGAL_ACTS.map((act) => [act.code, act]));

export function findLegalAct(actCode: string): LegalAct | undefined {
  return ACT_BY_CODE.get(actCode);
}

// ---------------------------------------------------------------------------------------------------
// Citation codes

/** A rejection of a malformed citation code, worded for the person who typed it. */
export class InvalidCitationCodeError extends Error {
  override readonly name = 'InvalidCitationCodeError';
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

export interface ParsedCitationCode {
  /** The normalised code, e.g. `RU/149-FZ/15.3`. */
  code: string;
  country: string;
  /** The act's code, e.g. `RU/149-FZ`. */
  act: string;
  article?: string;
  /** Whether the act is in {@link LEGAL_ACTS}; unknown acts are valid, just not described. */
  known: boolean;
}

// The one rule for a citation code, as a JSON Schema pattern (the API's schema uses it as it is) and as
// the parser's regular expression: COUNTRY/ACT[/ARTICLE], Latin capitals, an article of numbers
// ("15.3", "15.1-1", "20.3.3", "41-1"). Written with [0-9], not \d, so any JSON Schema validator reads it alike.
const ARTICLE_SHAPE = '[0-9]{1,3}(?:\\.[0-9]{1,2}){0,2}(?:-[0-9]{1,2})?';
export const CITATION_CODE_PATTERN = `^([A-Z]{2})/([A-Z0-9]+(?:-[A-Z0-9]+)*)(?:/(${ARTICLE_SHAPE}))?$`;
export const CITATION_CODE_MAX_LENGTH = 100;
const CODE_SHAPE = new RegExp(CITATION_CODE_PATTERN, 'u');
const CODE_EXAMPLE = 'RU/149-FZ/15.3 or KZ/COMMUNICATIONS-2004/41-1';

/** A code as a person may type it (` ru/149-fz/15.1–1 `) in the form the rule accepts (`RU/149-FZ/15.1-1`). */
export function normalizeCitationCode(typed: string): string {
  return typed
    .trim()
    .toUpperCase()
    .replace(/[‐‑–—]/g, '-');
}

/**
 * Validates a citation code by the one rule the API's schema also applies ({@link CITATION_CODE_PATTERN}):
 * what one accepts, the other accepts. Typed input goes through {@link normalizeCitationCode} first.
 */
export function parseCitationCode(input: string): ParsedCitationCode {
  const code = input;
  if (code.trim() === '') throw new InvalidCitationCodeError('The legal citation code is empty.', input);
  if (/\p{Script=Cyrillic}/u.test(code)) {
    throw new InvalidCitationCodeError(
      `"${input.trim()}" contains Cyrillic letters: write the act in Latin letters (149-ФЗ → 149-FZ), e.g. ${CODE_EXAMPLE}.`,
      input,
    );
  }
  const match = code.length <= CITATION_CODE_MAX_LENGTH ? CODE_SHAPE.exec(code) : null;
  if (!match) {
    const normalized = normalizeCitationCode(code);
    const hint =
      normalized !== code && CODE_SHAPE.test(normalized)
        ? `write it as ${normalized}`
        : `expected COUNTRY/ACT or COUNTRY/ACT/ARTICLE, e.g. ${CODE_EXAMPLE}`;
    throw new InvalidCitationCodeError(`"${input.trim()}" is not a citation code: ${hint}.`, input);
  }
  const [, country, actName, article] = match;
  const act = `${country}/${actName}`;
  return { code, country: country!, act, ...(article ? { article } : {}), known: ACT_BY_CODE.has(act) };
}

export function formatCitationCode(act: string, article?: string): string {
  return article ? `${act}/${article}` : act;
}

// ---------------------------------------------------------------------------------------------------
// Finding citations in text

export interface LegalCitation {
  /** `RU/149-FZ/15.3`, or the act's code alone when no article is named. */
  code: string;
  /** The act's code, e.g. `RU/149-FZ`. */
  act: string;
  article?: string;
  /** The citation as written, from the article to the act. */
  raw: string;
  index: number;
}

type Country = 'RU' | 'KZ' | 'KG';

/** A law's title; several countries share some titles («О связи»), so the context picks the country. */
interface TitlePattern {
  pattern: RegExp;
  acts: Partial<Record<Country, string>>;
}

// Titles that are ordinary phrases («о связи») only count inside quotes.
const QUOTED = (body: string) => String.raw`[«"“„]\s*${body}\s*[»"”“]`;
const titlePattern = (body: string, acts: Partial<Record<Country, string>>): TitlePattern => ({
  pattern: new RegExp(body, 'giu'),
  acts,
});

const TITLE_PATTERNS: TitlePattern[] = [
  titlePattern(
    String.raw`об\s+информации,?\s+информационных\s+технологиях\s+и\s+(?:о\s+)?защите\s+информации`,
    { RU: 'RU/149-FZ' },
  ),
  titlePattern(
    String.raw`(?:on|about)\s+information,?\s+information\s+technolog(?:y|ies),?\s+and\s+(?:on\s+)?(?:the\s+)?(?:protection\s+of\s+information|information\s+(?:protection|security))`,
    { RU: 'RU/149-FZ' },
  ),
  titlePattern(QUOTED(String.raw`о\s+средствах\s+массовой\s+информации`), {
    RU: 'RU/2124-1',
    KZ: 'KZ/MASS-MEDIA-1999',
    KG: 'KG/MASS-MEDIA-1992',
  }),
  titlePattern(String.raw`б[ұу]қаралық\s+а[қк]парат\s+[қк][ұу]ралдары\s+туралы`, {
    KZ: 'KZ/MASS-MEDIA-1999',
  }),
  titlePattern(QUOTED(String.raw`о\s+масс-медиа`), { KZ: 'KZ/MASS-MEDIA-2024' }),
  titlePattern(String.raw`масс-медиа\s+туралы`, { KZ: 'KZ/MASS-MEDIA-2024' }),
  titlePattern(QUOTED(String.raw`о\s+связи`), { RU: 'RU/126-FZ', KZ: 'KZ/COMMUNICATIONS-2004' }),
  titlePattern(String.raw`байланыс\s+туралы`, { KZ: 'KZ/COMMUNICATIONS-2004' }),
  titlePattern(String.raw`law\s+(?:of\s+the\s+republic\s+of\s+kazakhstan\s+)?["“«]?on\s+communications?`, {
    RU: 'RU/126-FZ',
    KZ: 'KZ/COMMUNICATIONS-2004',
  }),
  titlePattern(String.raw`об\s+онлайн-платформах\s+и\s+онлайн-рекламе`, { KZ: 'KZ/ONLINE-PLATFORMS-2023' }),
  titlePattern(String.raw`онлайн-платформалар\s+ж[әа]не\s+онлайн-жарнама\s+туралы`, {
    KZ: 'KZ/ONLINE-PLATFORMS-2023',
  }),
  titlePattern(String.raw`on\s+online\s+platforms\s+and\s+online\s+advertising`, {
    KZ: 'KZ/ONLINE-PLATFORMS-2023',
  }),
  titlePattern(String.raw`о\s+противодействии\s+экстремистской\s+деятельности`, { RU: 'RU/114-FZ' }),
  titlePattern(String.raw`on\s+(?:countering|counteracting|combating)\s+extremist\s+activit(?:y|ies)`, {
    RU: 'RU/114-FZ',
  }),
  titlePattern(String.raw`о\s+противодействии\s+экстремизму`, { KZ: 'KZ/EXTREMISM-2005' }),
  titlePattern(String.raw`экстремизмге\s+[қк]арсы\s+[іи]с-[қк]имыл\s+туралы`, { KZ: 'KZ/EXTREMISM-2005' }),
  titlePattern(String.raw`on\s+countering\s+extremism`, { KZ: 'KZ/EXTREMISM-2005' }),
  titlePattern(String.raw`о\s+противодействии\s+терроризму`, { RU: 'RU/35-FZ', KZ: 'KZ/TERRORISM-1999' }),
  titlePattern(String.raw`терроризмге\s+[қк]арсы\s+[іи]с-[қк]имыл\s+туралы`, { KZ: 'KZ/TERRORISM-1999' }),
  titlePattern(String.raw`on\s+(?:countering|counteracting|combating)\s+terrorism`, {
    RU: 'RU/35-FZ',
    KZ: 'KZ/TERRORISM-1999',
  }),
  titlePattern(
    String.raw`о\s+защите\s+детей\s+от\s+информации,?\s+причиняющей\s+вред\s+их\s+здоровью\s+и\s+развитию`,
    { RU: 'RU/436-FZ' },
  ),
  titlePattern(
    String.raw`on\s+(?:the\s+)?protection\s+of\s+children\s+from\s+information\s+harmful\s+to\s+their\s+health\s+and\s+development`,
    { RU: 'RU/436-FZ' },
  ),
  titlePattern(String.raw`о\s+персональных\s+данных\s+и\s+их\s+защите`, { KZ: 'KZ/PERSONAL-DATA-2013' }),
  titlePattern(QUOTED(String.raw`о\s+персональных\s+данных`), { RU: 'RU/152-FZ' }),
  titlePattern(
    String.raw`о\s+государственном\s+регулировании\s+деятельности\s+по\s+организации\s+и\s+проведению\s+азартных\s+игр`,
    { RU: 'RU/244-FZ' },
  ),
  titlePattern(String.raw`о\s+защите\s+от\s+недостоверной\s*\(ложной\)\s*информации`, {
    KG: 'KG/FALSE-INFORMATION-2021',
  }),
  titlePattern(
    String.raw`protection\s+(?:against|from)\s+(?:unreliable\s*\(false\)|false(?:\s+and\s+(?:unreliable|inaccurate))?)\s+information`,
    { KG: 'KG/FALSE-INFORMATION-2021' },
  ),
  titlePattern(
    String.raw`(?<![\p{L}\p{N}])(?:УК\s+РФ|уголовн\p{L}*\s+кодекс\p{L}*\s+(?:Российской\s+Федерации|РФ)|criminal\s+code\s+of\s+the\s+russian\s+federation|russian\s+criminal\s+code)`,
    { RU: 'RU/CRIMINAL-CODE' },
  ),
  titlePattern(
    String.raw`(?<![\p{L}\p{N}])(?:КоАП\s+РФ|кодекс\p{L}*\s+(?:Российской\s+Федерации\s+)?об\s+административных\s+правонарушениях)`,
    { RU: 'RU/ADMIN-CODE' },
  ),
  titlePattern(
    String.raw`(?<![\p{L}\p{N}])(?:УК\s+РК|уголовн\p{L}*\s+кодекс\p{L}*\s+Республики\s+Казахстан|criminal\s+code\s+of\s+(?:the\s+republic\s+of\s+)?kazakhstan|[ҚК]ылмыстық\s+кодекс\p{L}*)`,
    { KZ: 'KZ/CRIMINAL-CODE' },
  ),
];

// `149-ФЗ`, `149-FZ`, `№ 149 -ФЗ`; federal constitutional laws are `N-ФКЗ`.
const RUSSIAN_FEDERAL_LAW_NUMBER = /(?<![\p{L}\p{N}])(\d{1,4})\s*-\s*(ФКЗ|FKZ|ФЗ|FZ)(?![\p{L}\p{N}])/giu;
// "Federal Law №398 dated 28.12.2013": the number without its suffix, right after the words.
const RUSSIAN_FEDERAL_LAW_BARE_NUMBER =
  /(?:Federal\s+Law|Федеральн\p{L}*\s+закон\p{L}*)(?:\s+(?:of|from|dated|от)\s+[\d./]{8,10}\s*(?:г\.?|года)?)?\s*(?:№|No\.?|N)\s*(\d{1,4})(?!\s*-?\s*(?:ФКЗ|FKZ|ФЗ|FZ|\d))/giu;
const RUSSIAN_MEDIA_LAW_NUMBER = /(?<![\d-])2124-1(?![\d-])/gu;
// Kazakh and Kyrgyz laws are numbered with the convocation of parliament: `№ 567-II`.
const CONVOCATION_LAW_NUMBER = /(?<![\p{L}\p{N}])(\d{1,4}-(?:VIII|VII|VI|V|IV|III|II|I))(?![\p{L}\p{N}])/gu;

const COUNTRY_MARKERS: { country: Country; pattern: RegExp }[] = [
  {
    country: 'RU',
    pattern: /Российской\s+Федерации|(?<![\p{L}])РФ(?![\p{L}])|Федеральн\p{L}*|Federal\s+Law|Russian/gu,
  },
  {
    country: 'KZ',
    pattern:
      /Республики\s+Казахстан|(?<![\p{L}])(?:РК|ҚР)(?![\p{L}])|Казахстан\p{L}*|Kazakh\p{L}*|Қазақстан\p{L}*/gu,
  },
  {
    country: 'KG',
    pattern: /Кыргызской\s+Республики|(?<![\p{L}])КР(?![\p{L}])|Кыргыз\p{L}*|Kyrgyz\p{L}*/gu,
  },
];

// "15.3", "15.1-1", "41-1", "20.3.3"; a hyphen followed by "15.3" starts a range instead ("15.1-15.3").
const ARTICLE_NUMBER = String.raw`\d{1,3}(?:\s?\.\s?\d{1,2}){0,2}(?:\s?[-‐‑–]\s?\d{1,2}(?!\.\d))?`;
const ARTICLE_LIST = String.raw`${ARTICLE_NUMBER}(?:\s*(?:,|и|and|&|[-‐‑–])\s*${ARTICLE_NUMBER})*`;
// "ст. 15.3", "статьей 15.1", "статей 15.1, 15.3", "Article 15.3", "articles 15.1, 15.3"; the article before the act.
const ARTICLE_BEFORE_ACT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:ст\.|ст(?=\s)|стать\p{L}{0,3}|статей|art\.|articles?)\s*(${ARTICLE_LIST})(?![\p{N}])`,
  'giu',
);
// Kazakh "Заңының 41-1-бабы", Kyrgyz "5-беренеси": the article after the act.
const ARTICLE_AFTER_ACT = new RegExp(
  String.raw`^[^.;]{0,60}?(${ARTICLE_NUMBER})\s*-?\s*(?:бап|баб|берене)\p{L}*`,
  'iu',
);

const ARTICLE_KEYWORD = /(?<![\p{L}])(?:ст\.|стать|статей|art\.|article)/iu;

const MAX_GAP_ARTICLE_TO_ACT = 120;
const MAX_GAP_MERGING_SAME_ACT = 40;
const COUNTRY_LOOKBEHIND = 120;

interface ActMention {
  act: string;
  index: number;
  end: number;
}

/**
 * Citations of laws in `text` in Russian, Kazakh and English phrasings, in order. An article is tied to
 * the act named right after it (Russian, English) or right before it (Kazakh); a title several countries
 * share («О связи») is attributed by the nearest country named before it, else by the document's.
 */
export function findLegalCitations(text: string): LegalCitation[] {
  const normalized = text.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
  const mentions = mergeAdjacent(findActMentions(normalized), normalized);
  const citations: LegalCitation[] = [];
  const citedMentions = new Set<ActMention>();

  for (const match of normalized.matchAll(ARTICLE_BEFORE_ACT)) {
    const articlesEnd = match.index + match[0].length;
    const mention = mentions.find(
      (candidate) =>
        candidate.index >= articlesEnd && candidate.index - articlesEnd <= MAX_GAP_ARTICLE_TO_ACT,
    );
    if (!mention || containsSentenceEnd(normalized.slice(articlesEnd, mention.index))) continue;
    citedMentions.add(mention);
    for (const article of splitArticles(match[1]!)) {
      citations.push(citationOf(mention.act, article, text.slice(match.index, mention.end), match.index));
    }
  }

  for (const mention of mentions) {
    const after = ARTICLE_AFTER_ACT.exec(normalized.slice(mention.end));
    if (after) {
      citedMentions.add(mention);
      const end = mention.end + after[0].length;
      citations.push(
        citationOf(mention.act, normalizeArticle(after[1]!), text.slice(mention.index, end), mention.index),
      );
    } else if (!citedMentions.has(mention)) {
      citations.push(
        citationOf(mention.act, undefined, text.slice(mention.index, mention.end), mention.index),
      );
    }
  }
  return citations.sort((a, b) => a.index - b.index);
}

function citationOf(act: string, article: string | undefined, raw: string, index: number): LegalCitation {
  return {
    code: formatCitationCode(act, article),
    act,
    ...(article ? { article } : {}),
    raw: raw.replace(/\s+/g, ' ').trim(),
    index,
  };
}

function findActMentions(text: string): ActMention[] {
  const mentions: ActMention[] = [];
  const push = (act: string | undefined, index: number, length: number) => {
    if (act) mentions.push({ act, index, end: index + length });
  };
  for (const match of text.matchAll(RUSSIAN_FEDERAL_LAW_NUMBER)) {
    const suffix = match[2]!.toUpperCase();
    push(
      `RU/${match[1]}-${suffix === 'ФКЗ' || suffix === 'FKZ' ? 'FKZ' : 'FZ'}`,
      match.index,
      match[0].length,
    );
  }
  for (const match of text.matchAll(RUSSIAN_FEDERAL_LAW_BARE_NUMBER)) {
    push(`RU/${match[1]}-FZ`, match.index, match[0].length);
  }
  for (const match of text.matchAll(RUSSIAN_MEDIA_LAW_NUMBER))
    push('RU/2124-1', match.index, match[0].length);
  for (const match of text.matchAll(CONVOCATION_LAW_NUMBER)) {
    const act = LEGAL_ACTS.find((candidate) => candidate.number === match[1] && candidate.country !== 'RU');
    push(act?.code, match.index, match[0].length);
  }
  for (const { pattern, acts } of TITLE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const { index, end } = widenToQuotes(text, match.index, match.index + match[0].length);
      push(pickByCountry(acts, text, match.index), index, end - index);
    }
  }
  return dropContained(mentions.sort((a, b) => a.index - b.index || b.end - a.end));
}

/** A title is quoted («…», "…"): keep the quotes in the raw citation. */
function widenToQuotes(text: string, index: number, end: number): { index: number; end: number } {
  const opens = index > 0 && /[«"“„]/.test(text[index - 1]!);
  const closes = end < text.length && /[»"”“]/.test(text[end]!);
  return { index: opens && closes ? index - 1 : index, end: opens && closes ? end + 1 : end };
}

function pickByCountry(
  acts: Partial<Record<Country, string>>,
  text: string,
  index: number,
): string | undefined {
  const countries = Object.keys(acts) as Country[];
  if (countries.length === 1) return acts[countries[0]!];
  const nearby = nearestCountryBefore(text, index);
  if (nearby && acts[nearby]) return acts[nearby];
  const dominant = dominantCountry(text);
  return dominant ? acts[dominant] : undefined;
}

function nearestCountryBefore(text: string, index: number): Country | undefined {
  const window = text.slice(Math.max(0, index - COUNTRY_LOOKBEHIND), index);
  let best: { country: Country; at: number } | undefined;
  for (const { country, pattern } of COUNTRY_MARKERS) {
    for (const match of window.matchAll(pattern)) {
      if (!best || match.index > best.at) best = { country, at: match.index };
    }
  }
  return best?.country;
}

function dominantCountry(text: string): Country | undefined {
  const counts = COUNTRY_MARKERS.map(({ country, pattern }) => ({
    country,
    count: [...text.matchAll(pattern)].length,
  })).sort((a, b) => b.count - a.count);
  const [first, second] = counts;
  return first && first.count > 0 && first.count > (second?.count ?? 0) ? first.country : undefined;
}

/** A shorter mention inside a longer one (`149-ФЗ` inside a bare-number match) is the same mention. */
function dropContained(sorted: ActMention[]): ActMention[] {
  return sorted.filter(
    (mention) =>
      !sorted.some(
        (other) =>
          other !== mention &&
          other.index <= mention.index &&
          other.end >= mention.end &&
          other.end - other.index > mention.end - mention.index,
      ),
  );
}

/** `№ 149-ФЗ «Об информации…»` names one act twice: one mention (unless an article sits between). */
function mergeAdjacent(sorted: ActMention[], text: string): ActMention[] {
  const merged: ActMention[] = [];
  for (const mention of sorted) {
    const previous = merged.at(-1);
    const gap = previous ? text.slice(previous.end, mention.index) : '';
    if (
      previous &&
      previous.act === mention.act &&
      gap.length <= MAX_GAP_MERGING_SAME_ACT &&
      !ARTICLE_KEYWORD.test(gap)
    ) {
      previous.end = Math.max(previous.end, mention.end);
    } else {
      merged.push({ ...mention });
    }
  }
  return merged;
}

function containsSentenceEnd(gap: string): boolean {
  return /[.;!?]\s+\p{Lu}\p{Ll}/u.test(gap);
}

function splitArticles(list: string): string[] {
  return list
    .split(/\s*(?:,|\sи\s|\sand\s|&)\s*/iu)
    .flatMap(expandRange)
    .map(normalizeArticle)
    .filter((article) => article !== '');
}

/** «статей 15.1-15.3» cites 15.1, 15.2 and 15.3. */
function expandRange(piece: string): string[] {
  const range = /^(\d+)\.(\d+)\s*[-‐‑–]\s*(\d+)\.(\d+)$/.exec(piece.replace(/\s*\.\s*/g, '.'));
  if (!range || range[1] !== range[3]) return [piece];
  const [from, to] = [Number(range[2]), Number(range[4])];
  if (to <= from || to - from > 20) return [piece];
  return Array.from({ length: to - from + 1 }, (_, i) => `${range[1]}.${from + i}`);
}

function normalizeArticle(article: string): string {
  return article.replace(/\s+/g, '').replace(/[‐‑–]/g, '-');
}
