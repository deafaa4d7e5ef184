import { describe, expect, it } from 'vitest';
import { mergeDossier, type DossierValues } from '../../src/import/merge.ts';

const base: DossierValues = {
  code: 'M-1', unit_code: 'XA01', receiving_unit: null, procedure_code: null, procedure_name: 'Khai sinh', field: 'Hộ tịch',
  channel: 'truc_tiep', received_at: '2021-03-25 08:00:00', due_at: '2021-04-02 00:00:00',
  ended_at: null, end_from_returned: 0, returned_at: null, status: 'processing', due_computed: 0,
};
const finished: DossierValues = { ...base, channel: null, due_at: null, ended_at: '2021-04-01 09:00:00', status: 'finished' };

describe('mergeDossier', () => {
  it('moves forward and never back', () => {
    const forward = mergeDossier(base, finished);
    expect(forward.status).toBe('finished');
    expect(forward.ended_at).toBe('2021-04-01 09:00:00');
    expect(forward.channel).toBe('truc_tiep');
    expect(forward.due_at).toBe('2021-04-02 00:00:00');
    expect(mergeDossier(forward, base)).toBe(forward);
  });
  it('gives the same result in any order', () => {
    const supplement: DossierValues = { ...base, status: 'supplement_requested', due_at: '2021-04-06 00:00:00' };
    const snapshots = [base, supplement, finished];
    const orders = [[0, 1, 2], [2, 1, 0], [1, 0, 2], [2, 0, 1]];
    const results = orders.map((o) => o.map((i) => snapshots[i]).reduce((a, b) => mergeDossier(a, b)));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0].due_at).toBe('2021-04-06 00:00:00');
  });
  it('keeps the worse of two ratings, over none and over "not rated", in all six orders of three snapshots', () => {
    const a: DossierValues = { ...finished, satisfaction: 'satisfied' };
    const b: DossierValues = { ...finished, status: 'returned', returned_at: '2021-04-02 09:00:00', satisfaction: 'not_rated' };
    const c: DossierValues = { ...finished, satisfaction: 'dissatisfied' };
    const orders = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]];
    expect(orders.map((o) => o.reduce((x, y) => mergeDossier(x, y)).satisfaction)).toEqual(orders.map(() => 'dissatisfied'));
    expect(mergeDossier(b, { ...finished }).satisfaction).toBe('not_rated');
  });
  it('settles a disagreement between equally advanced snapshots the same way in either order', () => {
    const a: DossierValues = { ...base, channel: 'truc_tuyen', field: 'Chứng thực' };
    const b: DossierValues = { ...base, channel: 'truc_tiep', field: 'Hộ tịch' };
    expect(mergeDossier(a, b)).toEqual(mergeDossier(b, a));
    expect(mergeDossier(a, b).channel).toBe('truc_tuyen');
  });
  it('keeps an end date the export gave over a returned date standing in for it, in either order', () => {
    const finishedOnDueDay: DossierValues = { ...base, ended_at: '2021-04-02 09:00:00', status: 'finished' };
    const handedOverLater: DossierValues = {
      ...base, ended_at: '2021-04-09 10:00:00', end_from_returned: 1, returned_at: '2021-04-09 10:00:00', status: 'returned',
    };
    for (const merged of [mergeDossier(finishedOnDueDay, handedOverLater), mergeDossier(handedOverLater, finishedOnDueDay)]) {
      expect([merged.status, merged.ended_at, merged.end_from_returned, merged.returned_at]).toEqual([
        'returned', '2021-04-02 09:00:00', 0, '2021-04-09 10:00:00',
      ]);
    }
  });
  it('returns the stored value itself when nothing changes', () => {
    expect(mergeDossier(base, { ...base })).toBe(base);
  });
});
