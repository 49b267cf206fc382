// The demanded action is guessed from wording in Russian, Kazakh and English, the most specific reading winning.
import { describe, expect, it } from 'vitest';
import { guessDemandedAction } from '../../ingest/suggestions/guessDemandedAction.ts';

const actionsIn = (text: string) => guessDemandedAction(text).map((guess) => guess.action);

describe('guessDemandedAction', () => {
  it.each([
    ['Просим удалить материал с сайта', 'remove'],
    ['Please remove the article', 'remove'],
    ['материалды жою талап етіледі', 'remove'],
    ['будут приняты меры по ограничению доступа к ресурсу', 'restrict_access'],
    ['access to the site will be restricted for Russian users', 'restrict_access'],
    ['сайт будет заблокирован', 'block'],
    ['сайт бұғатталады', 'block'],
    ['удалить аккаунт пользователя', 'delete_account'],
    ['we ask you to suspend the channel', 'delete_account'],
    ['исключить ссылку из поисковой выдачи', 'deindex'],
    ['опубликовать опровержение', 'correct'],
    ['publish a correction', 'correct'],
    ['предоставить сведения о владельце страницы', 'disclose_data'],
    ['назначить представителя в Республике Казахстан', 'register_representative'],
    ['name a local representative', 'register_representative'],
  ])('reads %j as %s', (text, action) => {
    expect(actionsIn(text)[0]).toBe(action);
  });

  it('ranks by how often each action is asked for and keeps the evidence', () => {
    const [first, second] = guessDemandedAction(
      'Удалите статью. Иначе сайт будет заблокирован. Просим удалить её немедленно.',
    );
    expect(first).toMatchObject({ action: 'remove', mentions: 2, evidence: 'Удалите', index: 0 });
    expect(second).toMatchObject({ action: 'block', mentions: 1 });
  });

  it('does not count «удалить аккаунт» as a plain removal too', () => {
    expect(actionsIn('удалить аккаунт')).toEqual(['delete_account']);
  });

  it('returns nothing for text without a demand', () => {
    expect(guessDemandedAction('Добрый день, сообщаем о получении письма.')).toEqual([]);
  });
});
