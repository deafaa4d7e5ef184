import { describe, expect, it } from 'vitest';
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

  it('rejects a row whose value it cannot read, naming the column and the value, as for a channel', () => {
    const base = { code: 'H1', unit: 'UBND xã A', receivedAt: '01/03/2024 08:00' };
    const good = parseDossierRow({ ...base, paidOnline: 'x', hasFee: '20.000', satisfaction: 'Hài lòng' });
    expect(good.ok && [good.dossier.paidOnline, good.dossier.hasFee, good.dossier.digitised, good.dossier.satisfaction]).toEqual([true, true, undefined, 'satisfied']);
    const bad = parseDossierRow({ ...base, digitised: 'một phần', satisfaction: '4 sao' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reasons).toEqual([
      'số hoá không rõ: "một phần" (cần Có/Không, x, 1/0, Đã/Chưa)',
      'đánh giá hài lòng không rõ: "4 sao" (cần Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Chưa đánh giá)',
    ]);
  });

  it('maps a file\'s own words for these columns by --map-value', () => {
    const readers = valueReaders(mergeValueMaps({}, ['satisfaction:4 sao=satisfied', 'digitised:Một phần=no', 'paidOnline:Qua VNPT Pay=Có']));
    expect([readers.satisfaction('4 SAO'), readers.flag('digitised', 'một phần'), readers.flag('paidOnline', 'qua vnpt pay'), readers.flag('paidOnline', 'x')])
      .toEqual(['satisfied', false, true, true]);
    expect(() => parseMapValueOption('satisfaction:4 sao=tốt lắm')).toThrow(/very_satisfied, satisfied/);
    expect(() => parseMapValueOption('hasFee:Thu=có lẽ')).toThrow(/yes, no/);
  });
});
