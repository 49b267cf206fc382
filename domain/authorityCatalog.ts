// Bodies that issue or pass on takedown demands, every name people write them by, and a finder for them in text.
import { FOLDED_LETTERS, LETTER_FOLDS } from './letterFolding.ts';

/** The kinds of body the catalogue holds (the API adds 'other' for bodies users record). */
export const AUTHORITY_KINDS = [
  'regulator',
  'ministry',
  'agency',
  'prosecutor',
  'court',
  'police',
  'cert',
  'platform',
] as const;

export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

/** ISO 639-1 codes of the state languages we record names in besides Russian and English. */
export type StateLanguage = 'kk' | 'ky' | 'uz' | 'be' | 'tk';

export interface AuthorityEntry {
  /** Stable identifier: never renamed, because orders and URLs refer to it. */
  slug: string;
  /** ISO 3166-1 alpha-2; for a platform, the country of the company that acts. */
  country: string;
  kind: AuthorityKind;
  /** English name. */
  name: string;
  /** Official name in Russian (an official language in every country here but Turkmenistan). */
  localName: string;
  /** Official name in the state language, where it differs from Russian. */
  stateLanguageName?: { language: StateLanguage; name: string };
  /** Short names and spellings in every language people type; matched case-insensitively. */
  aliases: string[];
  /** Names that are ordinary words in lower case ("apple", "meta"), so matched only as written. */
  exactCaseAliases?: string[];
  parentSlug?: string;
  /** The body that took over this one's functions (ФСКН → МВД). */
  successorSlug?: string;
  /** First and last year the body existed under this name. */
  validFrom?: number;
  validTo?: number;
  /** Hosts the body publishes from: links to them in a demand are references, never targets. */
  websites?: string[];
  note?: string;
}

// Bare generic words ("суд", "прокуратура") are deliberately not aliases: every Roskomnadzor notice says
// a decision "может быть обжаловано в суд", and the words name a kind of body, not a body.
export const AUTHORITY_CATALOG: AuthorityEntry[] = [
  // --- Russia ---
  {
    slug: 'ru-roskomnadzor',
    country: 'RU',
    kind: 'regulator',
    name: 'Federal Service for Supervision of Communications, Information Technology and Mass Media',
    localName:
      'Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций',
    aliases: [
      'Роскомнадзор',
      'РКН',
      'Roskomnadzor',
      'Roscomnadzor',
      'RKN',
      'Federal Service for Supervision of Communications, Information Technology and Mass Media',
      // The English name Roskomnadzor itself signs its notices with.
      'Federal Service for Supervision in the Sphere of Telecom, Information Technologies and Mass Communications',
      'Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций',
    ],
    validFrom: 2008,
    websites: ['rkn.gov.ru'],
  },
  {
    slug: 'ru-prosecutor-general',
    country: 'RU',
    kind: 'prosecutor',
    name: "Prosecutor General's Office of the Russian Federation",
    localName: 'Генеральная прокуратура Российской Федерации',
    aliases: [
      'Генпрокуратура',
      'Генеральная прокуратура',
      'Генеральный прокурор',
      'Генпрокуратура России',
      'Генпрокуратура РФ',
      'Генеральная прокуратура Российской Федерации',
      'Генеральный прокурор Российской Федерации',
      "Prosecutor General's Office",
      "Russian Prosecutor General's Office",
      'Office of the Prosecutor General of the Russian Federation',
      'Office of the Russian Federation Prosecutor General',
    ],
    websites: ['genproc.gov.ru'],
    note: 'Issues the demands of art. 15.3 of 149-FZ, which Roskomnadzor then enforces.',
  },
  {
    slug: 'ru-fns',
    country: 'RU',
    kind: 'agency',
    name: 'Federal Tax Service',
    localName: 'Федеральная налоговая служба',
    aliases: ['ФНС', 'ФНС России', 'Federal Tax Service', 'Федеральная налоговая служба'],
    validFrom: 2004,
    websites: ['nalog.gov.ru', 'nalog.ru'],
    note: 'Decides on online gambling sites for the unified register.',
  },
  {
    slug: 'ru-rospotrebnadzor',
    country: 'RU',
    kind: 'agency',
    name: 'Federal Service for Surveillance on Consumer Rights Protection and Human Wellbeing',
    localName: 'Федеральная служба по надзору в сфере защиты прав потребителей и благополучия человека',
    aliases: [
      'Роспотребнадзор',
      'Rospotrebnadzor',
      'Federal Service for Surveillance on Consumer Rights Protection and Human Wellbeing',
      // Roskomnadzor's own translation in its notices.
      "Federal service on customers' rights protection and human well-being surveillance",
      'Федеральная служба по надзору в сфере защиты прав потребителей и благополучия человека',
    ],
    validFrom: 2004,
    websites: ['rospotrebnadzor.ru'],
    note: 'Decides on suicide-related content for the unified register.',
  },
  {
    slug: 'ru-mvd',
    country: 'RU',
    kind: 'police',
    name: 'Ministry of Internal Affairs of the Russian Federation',
    localName: 'Министерство внутренних дел Российской Федерации',
    aliases: [
      'МВД',
      'МВД России',
      'МВД РФ',
      'Interior Ministry',
      'Ministry of Internal Affairs',
      'Министерство внутренних дел',
      'Министерство внутренних дел Российской Федерации',
      'Russian Interior Ministry',
    ],
    websites: ['мвд.рф'],
    note: 'Took over drug-related decisions from ФСКН in 2016.',
  },
  {
    slug: 'ru-mvd-gunk',
    country: 'RU',
    kind: 'police',
    name: 'Main Directorate for Drug Control of the Ministry of Internal Affairs',
    localName: 'Главное управление по контролю за оборотом наркотиков МВД России',
    aliases: ['ГУНК МВД', 'ГУНК МВД России', 'ГУНК', 'Главное управление по контролю за оборотом наркотиков'],
    parentSlug: 'ru-mvd',
    validFrom: 2016,
  },
  {
    slug: 'ru-fskn',
    country: 'RU',
    kind: 'police',
    name: 'Federal Drug Control Service of the Russian Federation',
    localName: 'Федеральная служба Российской Федерации по контролю за оборотом наркотиков',
    aliases: [
      'ФСКН',
      'ФСКН России',
      'Госнаркоконтроль',
      'FSKN',
      'Federal Drug Control Service',
      'Федеральная служба по контролю за оборотом наркотиков',
      'Федеральная служба Российской Федерации по контролю за оборотом наркотиков',
    ],
    successorSlug: 'ru-mvd-gunk',
    validFrom: 2004,
    validTo: 2016,
    websites: ['fskn.gov.ru'],
    note: 'Abolished by presidential decree in April 2016; functions passed to the МВД.',
  },
  {
    slug: 'ru-rosalkogolregulirovanie',
    country: 'RU',
    kind: 'agency',
    name: 'Federal Service for Alcohol Market Regulation',
    localName: 'Федеральная служба по регулированию алкогольного рынка',
    aliases: [
      'Росалкогольрегулирование',
      'Rosalkogolregulirovanie',
      'Federal Service for Alcohol Market Regulation',
      'Федеральная служба по регулированию алкогольного рынка',
    ],
    successorSlug: 'ru-rosalkogoltabakkontrol',
    validFrom: 2009,
    validTo: 2023,
    websites: ['fsrar.gov.ru', 'fsrar.ru'],
  },
  {
    slug: 'ru-rosalkogoltabakkontrol',
    country: 'RU',
    kind: 'agency',
    name: 'Federal Service for Control over the Alcohol and Tobacco Markets',
    localName: 'Федеральная служба по контролю за алкогольным и табачным рынками',
    aliases: [
      'Росалкогольтабакконтроль',
      'Rosalkogoltabakkontrol',
      'Федеральная служба по контролю за алкогольным и табачным рынками',
    ],
    validFrom: 2023,
    websites: ['fsrar.gov.ru'],
    note: 'Росалкогольрегулирование renamed when it took over tobacco control.',
  },
  {
    slug: 'ru-courts',
    country: 'RU',
    kind: 'court',
    name: 'Courts of the Russian Federation',
    localName: 'Суды Российской Федерации',
    aliases: [
      'районный суд',
      'городской суд',
      'district court',
      'арбитражный суд',
      'Верховный суд Российской Федерации',
      'Верховный суд РФ',
      'Supreme Court of the Russian Federation',
    ],
    websites: ['sudrf.ru'],
  },
  {
    slug: 'ru-moscow-city-court',
    country: 'RU',
    kind: 'court',
    name: 'Moscow City Court',
    localName: 'Московский городской суд',
    aliases: ['Мосгорсуд', 'Московский городской суд', 'Moscow City Court'],
    parentSlug: 'ru-courts',
    websites: ['mos-gorsud.ru'],
    note: 'Orders the preliminary copyright measures behind art. 15.2 of 149-FZ.',
  },

  // --- Kazakhstan ---
  {
    slug: 'kz-mic',
    country: 'KZ',
    kind: 'ministry',
    name: 'Ministry of Information and Communications of the Republic of Kazakhstan',
    localName: 'Министерство информации и коммуникаций Республики Казахстан',
    stateLanguageName: {
      language: 'kk',
      name: 'Қазақстан Республикасының Ақпарат және коммуникациялар министрлігі',
    },
    aliases: [
      'МИК РК',
      'Ministry of Information and Communications',
      'Министерство информации и коммуникаций',
      'Ақпарат және коммуникациялар министрлігі',
    ],
    successorSlug: 'kz-mior',
    validFrom: 2016,
    validTo: 2019,
  },
  {
    slug: 'kz-mior',
    country: 'KZ',
    kind: 'ministry',
    name: 'Ministry of Information and Social Development of the Republic of Kazakhstan',
    localName: 'Министерство информации и общественного развития Республики Казахстан',
    stateLanguageName: {
      language: 'kk',
      name: 'Қазақстан Республикасының Ақпарат және қоғамдық даму министрлігі',
    },
    aliases: [
      'МИОР',
      'МИОР РК',
      'АҚДМ',
      'Ministry of Information and Social Development',
      'Министерство информации и общественного развития',
      'Ақпарат және қоғамдық даму министрлігі',
    ],
    successorSlug: 'kz-mci',
    validFrom: 2019,
    validTo: 2023,
  },
  {
    slug: 'kz-mci',
    country: 'KZ',
    kind: 'ministry',
    name: 'Ministry of Culture and Information of the Republic of Kazakhstan',
    localName: 'Министерство культуры и информации Республики Казахстан',
    stateLanguageName: {
      language: 'kk',
      name: 'Қазақстан Республикасының Мәдениет және ақпарат министрлігі',
    },
    aliases: [
      'МКИ РК',
      'ҚР МАМ',
      'Минкультуры и информации',
      'Ministry of Culture and Information',
      'Министерство культуры и информации',
      'Мәдениет және ақпарат министрлігі',
    ],
    validFrom: 2023,
    note: 'Formed on 1 September 2023 from the МИОР; an earlier ministry of the same name existed 2006–2014.',
  },
  {
    slug: 'kz-state-technical-service',
    country: 'KZ',
    kind: 'agency',
    name: 'State Technical Service',
    localName: 'АО «Государственная техническая служба»',
    stateLanguageName: { language: 'kk', name: '«Мемлекеттік техникалық қызмет» АҚ' },
    aliases: [
      'Государственная техническая служба',
      'Мемлекеттік техникалық қызмет',
      'State Technical Service',
    ],
    websites: ['sts.kz'],
  },
  {
    slug: 'kz-cert',
    country: 'KZ',
    kind: 'cert',
    name: 'Computer Emergency Response Team of Kazakhstan (KZ-CERT)',
    localName: 'Служба реагирования на компьютерные инциденты',
    stateLanguageName: { language: 'kk', name: 'Компьютерлік инциденттерге ден қою қызметі' },
    aliases: [
      'KZ-CERT',
      'CERT-KZ',
      'КазСЕРТ',
      'Служба реагирования на компьютерные инциденты',
      'Национальная служба реагирования на компьютерные инциденты',
      'Компьютерлік инциденттерге ден қою қызметі',
      'Computer Emergency Response Team',
    ],
    parentSlug: 'kz-state-technical-service',
    validFrom: 2011,
    websites: ['cert.gov.kz'],
    note: 'Created in 2011; run by the State Technical Service.',
  },
  {
    slug: 'kz-prosecutors',
    country: 'KZ',
    kind: 'prosecutor',
    name: "Prosecutor's offices of the Republic of Kazakhstan",
    localName: 'Органы прокуратуры Республики Казахстан',
    stateLanguageName: { language: 'kk', name: 'Қазақстан Республикасының прокуратура органдары' },
    aliases: [
      'Генпрокуратура',
      'Генеральная прокуратура',
      'Генеральный прокурор',
      'Генпрокуратура РК',
      'Генеральная прокуратура Республики Казахстан',
      'Бас прокуратура',
      'прокуратура Республики Казахстан',
      'прокуратура города Астаны',
      'прокуратура г. Астаны',
      'прокуратура города Алматы',
      'прокуратура г. Алматы',
      "Prosecutor General's Office",
      "Prosecutor General's Office of Kazakhstan",
    ],
    websites: ['prokuror.gov.kz'],
  },
  {
    slug: 'kz-courts',
    country: 'KZ',
    kind: 'court',
    name: 'Courts of the Republic of Kazakhstan',
    localName: 'Суды Республики Казахстан',
    stateLanguageName: { language: 'kk', name: 'Қазақстан Республикасының соттары' },
    aliases: [
      'районный суд',
      'district court',
      'межрайонный суд',
      'суд города Астаны',
      'суд г. Астаны',
      'суд города Алматы',
      'суд г. Алматы',
      'Сарыаркинский районный суд',
      'Есильский районный суд',
      'Алмалинский районный суд',
      'Медеуский районный суд',
      'Бостандыкский районный суд',
      'Верховный суд Республики Казахстан',
      'Жоғарғы Сот',
      'аудандық сот',
      'қалалық сот',
    ],
    websites: ['sud.gov.kz'],
    note: 'A district court of Astana ordered LiveJournal, LiveInternet and other sites blocked in 2011.',
  },
  {
    slug: 'kz-mfa',
    country: 'KZ',
    kind: 'ministry',
    name: 'Ministry of Foreign Affairs of the Republic of Kazakhstan',
    localName: 'Министерство иностранных дел Республики Казахстан',
    stateLanguageName: { language: 'kk', name: 'Қазақстан Республикасының Сыртқы істер министрлігі' },
    aliases: [
      'МИД',
      'МИД РК',
      'МИД Казахстана',
      'Министерство иностранных дел Республики Казахстан',
      'Сыртқы істер министрлігі',
      'Ministry of Foreign Affairs of Kazakhstan',
      'Kazakh Foreign Ministry',
    ],
    websites: ['mfa.gov.kz'],
    note: 'Accredits foreign correspondents; refused 36 Radio Azattyq accreditations.',
  },

  // --- Kyrgyzstan ---
  {
    slug: 'kg-ministry-of-culture',
    country: 'KG',
    kind: 'ministry',
    name: 'Ministry of Culture, Information, Sports and Youth Policy of the Kyrgyz Republic',
    localName: 'Министерство культуры, информации, спорта и молодежной политики Кыргызской Республики',
    stateLanguageName: {
      language: 'ky',
      name: 'Кыргыз Республикасынын Маданият, маалымат, спорт жана жаштар саясаты министрлиги',
    },
    aliases: [
      'Минкультуры',
      'Минкультуры КР',
      'Ministry of Culture',
      'Министерство культуры',
      'Министерство культуры, информации, спорта и молодежной политики',
      'Министерство культуры, информации и молодежной политики',
      'Ministry of Culture, Information, Sports and Youth Policy',
      'Ministry of Culture, Information and Youth Policy',
      'Маданият, маалымат, спорт жана жаштар саясаты министрлиги',
      'Маданият министрлиги',
    ],
    validFrom: 2021,
    websites: ['minculture.gov.kg'],
    note: 'Rules on complaints under the 2021 false-information law; sport was split off in 2025.',
  },
  {
    slug: 'kg-mvd',
    country: 'KG',
    kind: 'police',
    name: 'Ministry of Internal Affairs of the Kyrgyz Republic',
    localName: 'Министерство внутренних дел Кыргызской Республики',
    stateLanguageName: { language: 'ky', name: 'Кыргыз Республикасынын Ички иштер министрлиги' },
    aliases: [
      'МВД',
      'МВД КР',
      'МВД Кыргызстана',
      'ИИМ',
      'Interior Ministry',
      'Ministry of Internal Affairs',
      'Министерство внутренних дел',
      'Министерство внутренних дел Кыргызской Республики',
      'Ички иштер министрлиги',
      'Kyrgyz Interior Ministry',
    ],
    websites: ['mvd.gov.kg'],
  },

  // --- Uzbekistan, Turkmenistan, Belarus ---
  {
    slug: 'uz-aimc',
    country: 'UZ',
    kind: 'agency',
    name: 'Agency of Information and Mass Communications',
    localName: 'Агентство информации и массовых коммуникаций',
    stateLanguageName: { language: 'uz', name: 'Axborot va ommaviy kommunikatsiyalar agentligi' },
    aliases: [
      'АИМК',
      'AIMC',
      'AOKA',
      'Агентство информации и массовых коммуникаций',
      'Agency of Information and Mass Communications',
      'Axborot va ommaviy kommunikatsiyalar agentligi',
      'Ахборот ва оммавий коммуникациялар агентлиги',
    ],
    validFrom: 2019,
    websites: ['aoka.uz'],
  },
  {
    slug: 'tm-state-media',
    country: 'TM',
    // The state broadcaster is the issuer; the platform (a YouTube copyright claim) is the order's channel.
    kind: 'agency',
    name: 'Turkmen state media',
    localName: 'Государственные СМИ Туркменистана',
    aliases: ['Turkmen state media', 'государственные СМИ Туркменистана', 'туркменские государственные СМИ'],
    note: 'Acts through platform complaints, e.g. the 2021 copyright claims against EurasiaNet on YouTube.',
  },
  {
    slug: 'by-mininform',
    country: 'BY',
    kind: 'ministry',
    name: 'Ministry of Information of the Republic of Belarus',
    localName: 'Министерство информации Республики Беларусь',
    stateLanguageName: { language: 'be', name: 'Міністэрства інфармацыі Рэспублікі Беларусь' },
    aliases: [
      'Мининформ',
      'Мінінфарм',
      'Мининформации',
      'Ministry of Information of Belarus',
      'Министерство информации Республики Беларусь',
      'Міністэрства інфармацыі',
    ],
    websites: ['mininform.gov.by'],
  },

  // --- Platforms that pass demands on or act for governments (their sites are where targets live) ---
  {
    slug: 'platform-google',
    country: 'US',
    kind: 'platform',
    name: 'Google (including Google Play)',
    localName: 'Google LLC',
    aliases: ['Google', 'Гугл', 'Google LLC', 'Google Play', 'Гугл Плей'],
  },
  {
    slug: 'platform-youtube',
    country: 'US',
    kind: 'platform',
    name: 'YouTube',
    localName: 'YouTube LLC',
    aliases: ['YouTube', 'Ютуб', 'Ютьюб'],
    parentSlug: 'platform-google',
  },
  {
    slug: 'platform-meta',
    country: 'US',
    kind: 'platform',
    name: 'Meta (Facebook, Instagram)',
    localName: 'Meta Platforms, Inc.',
    aliases: ['Meta Platforms', 'Facebook', 'Фейсбук', 'Instagram', 'Инстаграм', 'Инстаграмм'],
    exactCaseAliases: ['Meta'],
  },
  {
    slug: 'platform-telegram',
    country: 'AE',
    kind: 'platform',
    name: 'Telegram',
    localName: 'Telegram FZ-LLC',
    aliases: ['Telegram', 'Телеграм', 'Телеграмм', 'Telegram Messenger'],
  },
  {
    slug: 'platform-apple',
    country: 'US',
    kind: 'platform',
    name: 'Apple (App Store)',
    localName: 'Apple Inc.',
    aliases: ['Apple Inc.', 'App Store', 'Эппл'],
    exactCaseAliases: ['Apple'],
  },
];

export interface AuthorityMention {
  slug: string;
  /** The text as written in the document. */
  matched: string;
  /** Offset of `matched` in the document (UTF-16 code units, as JS strings count). */
  index: number;
}

const AUTHORITY_BY_SLUG = new Map(AUTHORITY_CATALOG.map((entry) => [entry.slug, entry]));

export function findAuthorityBySlug(slug: string): AuthorityEntry | undefined {
  return AUTHORITY_BY_SLUG.get(slug);
}

/**
 * Every mention of a catalogued body in `text`, in order. Where two names overlap the longer wins
 * («Генеральной прокуратуры Республики Казахстан» is not also «Генеральной прокуратуры»); a name two
 * bodies share («МВД») is reported once for each, for the caller to weigh against the country.
 */
export function findAuthorityMentions(text: string): AuthorityMention[] {
  const folded = foldForMatching(text);
  const lowerCase = folded.toLowerCase();
  const candidates: { slug: string; index: number; end: number }[] = [];
  for (const { slug, pattern, literal, caseSensitive } of ALIAS_PATTERNS) {
    // A text without the name's first letters cannot match: most of the 200-odd names are skipped
    // without running their expression over the whole text.
    if (!(caseSensitive ? folded : lowerCase).includes(literal)) continue;
    for (const match of folded.matchAll(pattern)) {
      candidates.push({ slug, index: match.index, end: match.index + match[0].length });
    }
  }
  candidates.sort((a, b) => b.end - b.index - (a.end - a.index) || a.index - b.index);

  const accepted: typeof candidates = [];
  for (const candidate of candidates) {
    const clash = accepted.some((other) => {
      const overlaps = candidate.index < other.end && other.index < candidate.end;
      const sameSpan = candidate.index === other.index && candidate.end === other.end;
      return overlaps && !(sameSpan && candidate.slug !== other.slug);
    });
    if (!clash) accepted.push(candidate);
  }
  return accepted
    .sort((a, b) => a.index - b.index || a.slug.localeCompare(b.slug))
    .map(({ slug, index, end }) => ({ slug, matched: text.slice(index, end), index }));
}

// Letter folds (shared with search) plus the dashes, apostrophes and spaces documents vary in;
// one character for one character, so offsets stay valid.
const MATCHING_FOLDS: Record<string, string> = {
  ...LETTER_FOLDS,
  '‐': '-',
  '‑': '-',
  '–': '-',
  '—': '-',
  '’': "'",
  '\u00a0': ' ',
};
const MATCHING_FOLDABLE = new RegExp(`[${FOLDED_LETTERS}‐‑–—’\u00a0]`, 'g');

function foldForMatching(text: string): string {
  return text.replace(MATCHING_FOLDABLE, (letter) => MATCHING_FOLDS[letter] ?? letter);
}

// Endings stripped from a Russian or Kazakh word so that «Роскомнадзора», «Федеральной службы» and
// «министрлігінің» still match; longest first.
const INFLECTED_ENDINGS = [
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'ая',
  'яя',
  'ое',
  'ее',
  'ый',
  'ий',
  'ой',
  'ей',
  'ых',
  'их',
  'ую',
  'юю',
  'ия',
  'ие',
  'ии',
  'ию',
  'а',
  'я',
  'о',
  'е',
  'ы',
  'и',
  'у',
  'ю',
  'ь',
  'й',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isAbbreviation(word: string): boolean {
  return (word.match(/\p{Lu}/gu) ?? []).length >= 2;
}

/** The word's pattern, and the text every match of it starts with (its first part, or its stem). */
function wordPattern(word: string): { source: string; literal: string } {
  const parts = word.split('-').filter((part) => part !== '');
  const last = parts.pop() ?? '';
  const inflectable = /^\p{Script=Cyrillic}{3,}$/u.test(last) && !isAbbreviation(word);
  let stem = last;
  let tail = escapeRegExp(last);
  if (inflectable) {
    const lower = last.toLowerCase();
    const ending = INFLECTED_ENDINGS.find((end) => lower.endsWith(end) && lower.length - end.length >= 3);
    stem = ending ? last.slice(0, -ending.length) : last;
    tail = `${escapeRegExp(stem)}\\p{L}{0,4}`;
  }
  return {
    source: [...parts.map(escapeRegExp), tail].join('[-\\s]?'),
    literal: parts[0] ?? stem,
  };
}

interface AliasPattern {
  slug: string;
  pattern: RegExp;
  /** Text every match contains (lower case unless caseSensitive): a cheap test before the expression. */
  literal: string;
  caseSensitive: boolean;
}

function aliasPattern(slug: string, alias: string, caseSensitive: boolean): AliasPattern {
  const words = foldForMatching(alias)
    .split(/[\s,]+/)
    .filter((word) => word !== '')
    .map(wordPattern);
  const body = words.map((word) => word.source).join('[\\s,]+');
  const literal = words[0]?.literal ?? '';
  return {
    slug,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu'),
    literal: caseSensitive ? literal : literal.toLowerCase(),
    caseSensitive,
  };
}

const ALIAS_PATTERNS: AliasPattern[] = AUTHORITY_CATALOG.flatMap((entry) => [
  ...[entry.localName, ...entry.aliases].map((alias) => aliasPattern(entry.slug, alias, false)),
  ...(entry.exactCaseAliases ?? []).map((alias) => aliasPattern(entry.slug, alias, true)),
]);
