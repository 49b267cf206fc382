// The order form's rules without a server: a deadline counted from the date received, which suggestions
// still await confirmation, and the posted form as the API's change (codes normalised, days as instants).
import { describe, expect, it } from 'vitest';
import {
  changesFromForm,
  deadlineFrom,
  formFromBody,
  type OrderFormValues,
} from '../../server/web/orderForm.ts';

const values = (changes: Partial<OrderFormValues> = {}): OrderFormValues => ({
  authority: 'ru-roskomnadzor',
  reference_number: '',
  issued_on: '',
  received_on: '',
  deadline_on: '',
  legal_basis: '',
  demanded_actions: [],
  targets: '',
  visibility: 'private',
  embargo_on: '',
  summary: '',
  ...changes,
});

describe('the order form', () => {
  it('counts a deadline in days, working days (over a weekend), hours and months', () => {
    expect(deadlineFrom('2026-03-12', 3, 'days')).toBe('2026-03-15');
    // Thursday + 3 working days: Friday, Monday, Tuesday.
    expect(deadlineFrom('2026-03-12', 3, 'working-days')).toBe('2026-03-17');
    expect(deadlineFrom('2026-03-12', 24, 'hours')).toBe('2026-03-13');
    expect(deadlineFrom('2026-01-31', 1, 'months')).toBe('2026-02-28');
    expect(deadlineFrom('2026-03-12', 2, 'months')).toBe('2026-05-12');
  });

  it('keeps a suggestion unconfirmed until it is ticked or changed', () => {
    const suggested = { authority: 'ru-roskomnadzor', targets: 'https://vlast.kz/a\nhttps://vlast.kz/b' };
    const untouched = formFromBody(
      { authority: 'ru-roskomnadzor', targets: 'https://vlast.kz/a\r\nhttps://vlast.kz/b\r\n' },
      suggested,
    );
    expect(Object.keys(untouched.suggested).sort()).toEqual(['authority', 'targets']);
    const ticked = formFromBody(
      { authority: 'ru-roskomnadzor', targets: 'https://vlast.kz/a\nhttps://vlast.kz/b', confirm: 'targets' },
      suggested,
    );
    expect(Object.keys(ticked.suggested)).toEqual(['authority']);
    const changed = formFromBody(
      { authority: 'kz-cert', targets: 'https://vlast.kz/a', confirm: [] },
      suggested,
    );
    expect(changed.suggested).toEqual({});
  });

  it('turns the form into the API’s change: citation codes normalised, days as instants, embargo only when chosen', () => {
    const noRefusal = () => [];
    const { changes, invalid, targets } = changesFromForm(
      values({
        legal_basis: 'ru/149-fz/15.3\nRU/149-FZ/15.3',
        visibility: 'embargoed',
        embargo_on: '2099-01-01',
        deadline_on: '2026-03-15',
        targets: 'https://vlast.kz/a,b\n\n https://vlast.kz/c ',
      }),
      noRefusal,
    );
    expect(invalid).toEqual([]);
    expect(changes).toMatchObject({
      authority: 'ru-roskomnadzor',
      legal_basis: ['RU/149-FZ/15.3'],
      embargo_until: '2099-01-01T00:00:00Z',
      deadline_at: '2026-03-15T00:00:00Z',
      reference_number: null,
    });
    expect(targets).toEqual(['https://vlast.kz/a,b', 'https://vlast.kz/c']);
    expect(
      changesFromForm(values({ visibility: 'public', embargo_on: '2099-01-01' }), noRefusal).changes
        .embargo_until,
    ).toBeNull();
    // What the validator refuses, and what the form itself needs, come back by field.
    expect(
      changesFromForm(values({ authority: '', visibility: 'embargoed' }), () => [
        '/issued_on',
      ]).invalid.sort(),
    ).toEqual(['authority', 'embargo_on', 'issued_on']);
  });
});
