// Finds names of private persons where the text itself says who they are: beside a role such as
// «журналист», «корреспондент», «редактор» (journalist, correspondent, editor, reporter, тілші), or in a
// signature block («С уважением,», «Исполнитель:», «Контактное лицо:», «Sincerely,»). A name alone is never
// proposed: officials and public figures are named in demands on purpose, and only context tells them apart.

export interface FoundName {
  value: string;
  start: number;
  end: number;
}

const UPPER = 'A-ZА-ЯЁӘҒҚҢӨҰҮҺІ';
const LOWER = 'a-zа-яёәғқңөұүһі';
// A name word: capitalised, then lower case (Иванова, Нұрлан, O'Brien, Анна-Мария); or an initial (А.).
const WORD = `[${UPPER}][${LOWER}]+(?:['’-][${UPPER}]?[${LOWER}]+)?`;
const INITIAL = `[${UPPER}]\\.`;
// «Анна Иванова», «Иванова Анна Сергеевна», «А. С. Иванова», «Иванова А.С.», «Anna Ivanova».
const NAME = `(?:${INITIAL}\\s?(?:${INITIAL}\\s?)?${WORD}|${WORD}\\s${INITIAL}\\s?(?:${INITIAL})?|${WORD}(?:\\s${WORD}){1,2})`;

const ROLES = [
  'журналист\\p{L}*',
  'корреспондент\\p{L}*',
  'спецкор\\p{L}*',
  'фотокорреспондент\\p{L}*',
  'редактор\\p{L}*',
  'шеф-редактор\\p{L}*',
  'обозревател\\p{L}*',
  'репортер\\p{L}*',
  'репортёр\\p{L}*',
  'фотограф\\p{L}*',
  'автор\\p{L}{0,2} (?:статьи|материала|публикации)',
  'тілші\\p{L}*',
  'journalist',
  'correspondent',
  'reporter',
  'editor(?:-in-chief)?',
  'photographer',
];
const ROLE = `(?:${ROLES.join('|')})`;
// What may stand between a role and the name: punctuation, an outlet's name in quotes or as a domain.
const BETWEEN = `(?:\\s*[,:—–-]?\\s*(?:(?:издания|газеты|агентства|сайта|портала|of|at)\\s+)?(?:«[^»\\n]{1,40}»|"[^"\\n]{1,40}"|[\\p{L}\\p{N}-]+\\.(?:kz|kg|ru|uz|com|org|net|media)|[\\p{Lu}\\p{N}]{2,12})?\\s*[,:—–-]?\\s*)`;
const SIGN_OFF =
  '(?:С уважением|Искренне ваш\\p{L}*|Исполнитель|Исп\\.|Контактное лицо|Подпись|Құрметпен|Орындаған|Sincerely|Best regards|Kind regards|Regards|Contact person)';

const ROLE_THEN_NAME = new RegExp(`(?<![\\p{L}])${ROLE}${BETWEEN}(?<name>${NAME})(?![\\p{L}])`, 'dgu');
const NAME_THEN_ROLE = new RegExp(
  `(?<![\\p{L}.])(?<name>${NAME})\\s*(?:,|—|–|-|\\()\\s*(?:\\p{Ll}+\\s){0,2}${ROLE}(?![\\p{L}])`,
  'dgu',
);
// The name on one of the two lines after a sign-off (a line of its own, or after a role or a position).
const SIGNATURE = new RegExp(
  `${SIGN_OFF}\\s*[,:]?[ \\t]*(?:\\n[^\\n]{0,80}?)?[ \\t]*(?<![\\p{L}])(?<name>${NAME})[ \\t]*(?:,[^\\n]*)?(?=\\n|$|\\s*(?:тел|Тел|tel|Tel|e-mail|E-mail|\\+|8\\s?\\())`,
  'dgu',
);

// Capitalised words that begin bodies, places and titles, not names.
const NOT_NAMES = new Set(
  (
    'Федеральная Федеральной Служба Службы Министерство Министерства Управление Управления Департамент ' +
    'Прокуратура Прокуратуры Суд Суда Республика Республики Российской Российская Федерации Казахстан ' +
    'Казахстана Кыргызской Главный Главного Заместитель Начальник Руководитель Уважаемый Уважаемая Редакция ' +
    'Радио Газета Агентство Издание Информационное Общество Компания Центр Комитет Министр Генеральная ' +
    'Генерального Государственный Государственная Роскомнадзор Верховный Верховного Приложение Министерстве ' +
    'The Federal Service Ministry Office Department Agency Radio Company Court Dear Republic Prosecutor ' +
    'General Committee Regards Sincerely Best Kind Telegram Google Facebook Twitter YouTube Instagram ' +
    'Yandex Mail Москва Астана Алматы Бишкек Ташкент Россия Moscow Astana Almaty Bishkek'
  ).split(' '),
);

function plausible(name: string): boolean {
  const words = name.split(/\s+/);
  return !words.some((word) => NOT_NAMES.has(word.replace(/[.,]/g, '')));
}

/** Names of persons the text marks as private, with their exact places; in text order, without overlaps. */
export function findPersonNames(text: string): FoundName[] {
  const found: FoundName[] = [];
  for (const pattern of [ROLE_THEN_NAME, NAME_THEN_ROLE, SIGNATURE]) {
    for (const match of text.matchAll(pattern)) {
      const name = match.groups!.name!;
      if (!plausible(name)) continue;
      const [start, end] = match.indices!.groups!.name!;
      found.push({ value: name, start, end });
    }
  }
  found.sort((a, b) => a.start - b.start);
  return found.filter(
    (item, index) => found.findIndex((other) => other.start < item.end && item.start < other.end) === index,
  );
}
