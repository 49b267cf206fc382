// Guesses what a demand asks for (remove, block, de-index ...) from its wording in Russian, Kazakh and English.
// The actions are the order's own words (domain/orderVocabulary.ts), so a guess can be sent as an order field.
import type { DemandedAction } from '../../domain/orderVocabulary.ts';

/** The actions whose wording is recognised (a subset of the order's demanded actions). */
export type GuessedAction = Extract<
  DemandedAction,
  | 'remove'
  | 'restrict_access'
  | 'block'
  | 'delete_account'
  | 'deindex'
  | 'correct'
  | 'disclose_data'
  | 'register_representative'
>;

export interface DemandedActionGuess {
  action: GuessedAction;
  /** How many times the wording for this action occurs. */
  mentions: number;
  /** The first wording found, as written. */
  evidence: string;
  index: number;
}

// Word stems, not whole words: «удалить», «удаления», «удалите» all share «удал».
const ACTION_WORDING: Record<GuessedAction, RegExp> = {
  delete_account:
    /(?:удал\p{L}*|блокир\p{L}*|заблокир\p{L}*)\s+(?:\p{L}+\s+){0,2}(?:аккаунт\p{L}*|учетн\p{L}*\s+запис\p{L}*|канал\p{L}*)|(?:delete|remove|suspend|terminate|block)\s+(?:\w+\s+){0,2}(?:accounts?|channels?|profiles?)|аккаунт\p{L}*\s+(?:жою|бұғаттау)/giu,
  deindex:
    /исключ\p{L}*\s+(?:\p{L}+\s+){0,2}из\s+(?:поисков\p{L}*|результатов\s+поиска)|деиндекс\p{L}*|de-?index\p{L}*|remov\p{L}*\s+(?:\w+\s+){0,3}from\s+search\s+results/giu,
  restrict_access:
    /огранич\p{L}*\s+(?:\p{L}+\s+){0,2}доступ\p{L}*|доступ\s+(?:[\p{L}()]+\s+){0,8}(?:должен\s+быть\s+|будет\s+)огранич\p{L}*|(?:restrict|limit)\p{L}*\s+(?:\w+\s+){0,2}access|access\s+(?:\w+\s+){0,8}(?:restricted|limited)|geo-?block\p{L}*|қолжетімділікті\s+шектеу\p{L}*|қол\s+жеткізуді\s+шектеу\p{L}*/giu,
  block:
    /(?<![\p{L}])(?:за)?блокир\p{L}*|блокировк\p{L}*|(?<![\p{L}])block(?:ed|ing|s)?(?![\p{L}])|бұғатта\p{L}*|бөгөт\p{L}*/giu,
  remove:
    /(?<![\p{L}])удал(?:ить|ите|ения|ению|ение|ении|ено|ена|ены)(?![\p{L}])|(?<![\p{L}])remov(?:e|al|ed|ing)(?![\p{L}])|take\s+down|takedown|delete\s+(?:the\s+|this\s+)?(?:content|material|article|information|publication|post)|жою\p{L}*|жойыл\p{L}*|алып\s+тастау\p{L}*|өшір\p{L}*/giu,
  correct:
    /опроверж\p{L}*|(?<![\p{L}])исправ\p{L}*|(?<![\p{L}])correction\p{L}*|retraction\p{L}*|refutation\p{L}*|теріске\s+шығар\p{L}*|түзету\p{L}*|төгүнд\p{L}*/giu,
  disclose_data:
    /(?:предостав|сообщ|раскры)\p{L}*\s+(?:\p{L}+\s+){0,3}(?:сведени\p{L}*|данн\p{L}*|информаци\p{L}*)\s+о[б]?\s+(?:пользовател\p{L}*|владельц\p{L}*|автор\p{L}*|источник\p{L}*)|раскры\p{L}*\s+источник\p{L}*|disclos\p{L}*\s+(?:\w+\s+){0,3}(?:user|subscriber|author|source|identity|personal\s+data)|provide\s+(?:\w+\s+){0,2}(?:user|subscriber)\s+(?:data|information)/giu,
  register_representative:
    /(?:назнач|регистр|зарегистр|открыт)\p{L}*\s+(?:\p{L}+\s+){0,3}(?:представител\p{L}*|филиал\p{L}*|представительств\p{L}*)|(?:local|legal)\s+representative|register\s+(?:a\s+)?(?:local\s+)?(?:entity|office|branch|representative)|өкіл\p{L}*\s+тағайында\p{L}*/giu,
};

// Wording for a more specific action also contains a general one («удалить аккаунт» contains «удал»);
// the general one is not counted inside the specific one's match.
const MORE_SPECIFIC_FIRST: GuessedAction[] = [
  'delete_account',
  'deindex',
  'disclose_data',
  'register_representative',
  'restrict_access',
  'correct',
  'block',
  'remove',
];

/** Actions the wording of `text` points to, most mentioned first; empty when nothing matches. */
export function guessDemandedAction(text: string): DemandedActionGuess[] {
  const taken: [number, number][] = [];
  const guesses: DemandedActionGuess[] = [];
  for (const action of MORE_SPECIFIC_FIRST) {
    const matches = [...text.matchAll(ACTION_WORDING[action])].filter(
      (match) => !taken.some(([from, to]) => match.index < to && from < match.index + match[0].length),
    );
    for (const match of matches) taken.push([match.index, match.index + match[0].length]);
    const first = matches[0];
    if (first) guesses.push({ action, mentions: matches.length, evidence: first[0], index: first.index });
  }
  return guesses.sort((a, b) => b.mentions - a.mentions || a.index - b.index);
}
