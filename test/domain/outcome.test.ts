import { describe, expect, it } from 'vitest';
import { classifyDossier, overdueFrom, UnclassifiableDossierError } from '../../src/domain/outcome.ts';

// The classification of one dossier, against values known by hand from docs/rules.md.

describe('classifyDossier', () => {
  it('compares the end day with the due day, not the times', () => {
    const finished = (ended_at: string, due_at: string | null) => classifyDossier({ status: 'finished', ended_at, due_at }).outcome;
    expect(finished('2022-05-20 23:59:00', '2022-05-20 08:00:00')).toBe('on_time');
    expect(finished('2022-05-19 23:59:59', '2022-05-20 00:00:00')).toBe('early');
    expect(finished('2022-05-21 00:00:00', '2022-05-20 23:59:59')).toBe('late');
    expect(finished('2022-05-21 00:00:00', null)).toBe('on_time');
    expect(classifyDossier({ status: 'returned', ended_at: '2022-06-01 08:00:00', due_at: '2022-05-31 17:00:00' }).outcome).toBe('late');
  });

  it('gives rejected, withdrawn and open whatever the dates', () => {
    expect(classifyDossier({ status: 'rejected', ended_at: '2022-06-01 08:00:00', due_at: '2022-05-01 00:00:00' }).outcome).toBe('rejected');
    expect(classifyDossier({ status: 'withdrawn', ended_at: '2022-06-01 08:00:00', due_at: null }).outcome).toBe('withdrawn');
    expect(classifyDossier({ status: 'processing', ended_at: null, due_at: '2022-05-01 00:00:00' }).outcome).toBe('open');
    expect(classifyDossier({ status: 'supplement_requested', ended_at: null, due_at: null }).outcome).toBe('open');
  });

  it('refuses a result without an end time when there is a due day to compare with', () => {
    expect(() => classifyDossier({ status: 'finished', ended_at: null, due_at: '2022-05-01 00:00:00' })).toThrow(UnclassifiableDossierError);
  });

  it('is overdue from the day after the due day', () => {
    expect(overdueFrom(null)).toBeNull();
    expect(overdueFrom('2022-05-13 17:00:00')).toBe('2022-05-14');
    expect(overdueFrom('2022-05-31 08:00:00')).toBe('2022-06-01');
    expect(overdueFrom('2022-04-30 08:00:00')).toBe('2022-05-01');
    expect(overdueFrom('2024-02-28 08:00:00')).toBe('2024-02-29');
    expect(overdueFrom('2024-02-29 08:00:00')).toBe('2024-03-01');
    expect(overdueFrom('2023-02-28 08:00:00')).toBe('2023-03-01');
    expect(overdueFrom('1900-02-28 08:00:00')).toBe('1900-03-01');
    expect(overdueFrom('2000-02-28 08:00:00')).toBe('2000-02-29');
    expect(overdueFrom('2022-12-31 23:59:59')).toBe('2023-01-01');
    expect(overdueFrom('2022-09-09')).toBe('2022-09-10');
  });
});
