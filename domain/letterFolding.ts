// The letters people type interchangeably, folded one character for one character (so offsets stay
// valid): ё is written as е half the time, and Kazakh and Kyrgyz are often typed on a Russian keyboard
// (қ → к, ә → а …). Authority matching and search folding both use this one table.
export const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ё: 'е',
  Ё: 'Е',
  ә: 'а',
  Ә: 'А',
  ғ: 'г',
  Ғ: 'Г',
  қ: 'к',
  Қ: 'К',
  ң: 'н',
  Ң: 'Н',
  ө: 'о',
  Ө: 'О',
  ұ: 'у',
  Ұ: 'У',
  ү: 'у',
  Ү: 'У',
  һ: 'х',
  Һ: 'Х',
  і: 'и',
  І: 'И',
};

/** The characters LETTER_FOLDS changes, for a regular-expression character class. */
export const FOLDED_LETTERS = Object.keys(LETTER_FOLDS).join('');
