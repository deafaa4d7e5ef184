import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/cli/commands/import.ts';
import { importFile } from '../../src/import/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { DOSSIER_COLUMNS, fieldOfHeader } from '../../src/import/columns.ts';
import { parseSatisfaction, readFlag } from '../../src/import/indicator-values.ts';
import { mergeValueMaps, parseMapValueOption, valueReaders } from '../../src/import/value-maps.ts';
import { parseDossierRow } from '../../src/import/values.ts';

// The optional columns behind QĐ 766's indicators: their headers as exports write them, and their values.

describe('QĐ 766 optional columns', () => {
  it('recognises the usual headers of each column', () => {
    const headers: Array<[string, string]> = [
      ['Thanh toán trực tuyến', 'paidOnline'], ['Đã thanh toán trực tuyến', 'paidOnline'],
      ['Có phí/lệ phí', 'hasFee'], ['Phí, lệ phí', 'hasFee'], ['PHÍ, LỆ PHÍ', 'hasFee'],
      ['Số hoá', 'digitised'], ['Số hóa', 'digitised'], ['Hồ sơ được số hoá', 'digitised'], ['Đã số hóa', 'digitised'],
      ['Kết quả điện tử', 'electronicResult'], ['Trả kết quả điện tử', 'electronicResult'],
      ['Đánh giá hài lòng', 'satisfaction'], ['Mức độ hài lòng', 'satisfaction'],
    ];
    expect(headers.map(([h]) => fieldOfHeader(h, DOSSIER_COLUMNS))).toEqual(headers.map(([, f]) => f));
  });

  it('reads yes and no as offices write them; blank is unknown; anything else is unreadable', () => {
    const yes = ['Có', 'có', 'x', 'X', '✓', '✔', '1', 1, true, 'TRUE', 'Đã', 'Đã thanh toán'];
    const no = ['Không', 'không', '0', 0, false, 'FALSE', 'Chưa', 'Chưa số hoá'];
    expect(yes.map((v) => readFlag('paidOnline', v))).toEqual(yes.map(() => true));
    expect(no.map((v) => readFlag('digitised', v))).toEqual(no.map(() => false));
    expect([undefined, '-'].map((v) => readFlag('digitised', v))).toEqual([undefined, undefined]);
    expect(['Có thể', 2, 'abc'].map((v) => readFlag('electronicResult', v))).toEqual([null, null, null]);
    // The fee column also takes an amount: more than 0 is a fee.
    expect([50000, '50.000', '50.000 đ', '1,500,000 VNĐ', '0', 'Miễn phí'].map((v) => readFlag('hasFee', v))).toEqual([true, true, true, true, false, false]);
    expect(readFlag('paidOnline', 50000)).toBe(null);
  });

  it('reads the rating words, and no number (scales differ between systems)', () => {
    expect(['Rất hài lòng', 'hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng', 'Chưa đánh giá', '5'].map(parseSatisfaction)).toEqual([
      'very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'dissatisfied', 'not_rated', undefined,
    ]);
  });

  it('keeps a row whose optional value it cannot read, that column unknown and counted by bit, never rejecting the dossier', () => {
    const base = { code: 'H1', unit: 'UBND xã A', receivedAt: '01/03/2024 08:00' };
    const good = parseDossierRow({ ...base, paidOnline: 'x', hasFee: '20.000', satisfaction: 'Hài lòng' });
    expect(good.ok && [good.dossier.paidOnline, good.dossier.hasFee, good.dossier.digitised, good.dossier.satisfaction]).toEqual([true, true, undefined, 'satisfied']);
    expect(good.ok && good.dossier.unreadable766).toBeUndefined();
    const odd = parseDossierRow({ ...base, digitised: 'một phần', satisfaction: 'Cán bộ hướng dẫn tận tình' });
    expect(odd.ok).toBe(true);
    // digitised is FLAG_FIELDS' third (bit 2), the rating bit 4.
    expect(odd.ok && [odd.dossier.digitised, odd.dossier.satisfaction, odd.dossier.unreadable766]).toEqual([undefined, undefined, 0b10100]);
  });

  it('reads neither a bare "Phí" or "Lệ phí" (an amount of one of two columns) nor a comment column as these columns', () => {
    expect(['Phí', 'Lệ phí', 'Đánh giá của người dân'].map((h) => fieldOfHeader(h, DOSSIER_COLUMNS))).toEqual([undefined, undefined, undefined]);
  });

  it('maps a file\'s own words for these columns by --map-value', () => {
    const readers = valueReaders(mergeValueMaps({}, ['satisfaction:4 sao=satisfied', 'digitised:Một phần=no', 'paidOnline:Qua VNPT Pay=Có']));
    expect([readers.satisfaction('4 SAO'), readers.flag('digitised', 'một phần'), readers.flag('paidOnline', 'qua vnpt pay'), readers.flag('paidOnline', 'x')])
      .toEqual(['satisfied', false, true, true]);
    expect(() => parseMapValueOption('satisfaction:4 sao=tốt lắm')).toThrow(/very_satisfied, satisfied/);
    expect(() => parseMapValueOption('hasFee:Thu=có lẽ')).toThrow(/yes, no/);
  });
});

describeEachDatabase('an unreadable optional cell', (t) => {
  it('keeps the dossier in every figure, stores the column as unknown, and counts the cells without quoting them', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const path = join(t.tempDir(), 'danh-gia.csv');
    const comment = 'Cán bộ Trần Thị Canary hướng dẫn tận tình';
    writeFileSync(path, `Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Số hoá,Đánh giá hài lòng\nD-1,UBND xã A,01/03/2024,Có,${comment}\nD-2,UBND xã A,02/03/2024,một phần,Hài lòng\n`);
    const summary = await importFile(db, path);
    expect([summary.newDossiers, summary.rejected]).toEqual([2, 0]);
    expect(summary.warnings).toContain('cột "Đánh giá hài lòng": 1 ô không đọc được (cần Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Chưa đánh giá; --map-value để chỉ nghĩa của từ khác), coi như không có dữ liệu');
    expect(summary.warnings).toContain('cột "Số hoá": 1 ô không đọc được (cần Có/Không, x, 1/0, Đã/Chưa; --map-value để chỉ nghĩa của từ khác), coi như không có dữ liệu');
    const rows = await db.selectFrom('dossiers').select(['code', 'digitised', 'satisfaction']).orderBy('code').execute();
    expect(rows.map((r) => [r.code, r.digitised === null ? null : Number(r.digitised), r.satisfaction])).toEqual([['D-1', 1, null], ['D-2', null, 'satisfied']]);
    expect(JSON.stringify(summary) + summaryLine(summary)).not.toContain('Canary');
    expect(await db.selectFrom('rejected_rows').selectAll().execute()).toEqual([]);
    // The database file holds no trace of the cell (SQLite's rollback journal: committed rows are in the file).
    if (t.dialect === 'sqlite') expect(readFileSync(target).includes('Canary')).toBe(false);
  });
});
