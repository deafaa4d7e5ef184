import { describe, expect, it } from 'vitest';
import { nameKeys } from '../../src/domain/abbreviations.ts';
import { NameIndex, similarity } from '../../src/domain/names.ts';
import { editDistance, foldMarks } from '../../src/domain/text.ts';

// How the filters read the names people type: abbreviations, connectors, names without marks. Pure functions;
// test/stats/filters.test.ts runs the same cases through computeStats on a database.

describe('nameKeys', () => {
  const same = (a: string, b: string, kind: 'field' | 'unit' = 'field') =>
    expect(nameKeys(a, kind).some((k) => nameKeys(b, kind).includes(k)), `${a} = ${b}`).toBe(true);
  const different = (a: string, b: string, kind: 'field' | 'unit' = 'field') =>
    expect(nameKeys(a, kind).some((k) => nameKeys(b, kind).includes(k)), `${a} ≠ ${b}`).toBe(false);

  it('expands the abbreviations of fields, whatever "&", "-", "." and case', () => {
    same('BHXH', 'Bảo hiểm xã hội');
    same('bhxh', 'BẢO HIỂM XÃ HỘI');
    same('TN&MT', 'Tài nguyên và Môi trường');
    same('TNMT', 'Tài nguyên - Môi trường');
    same('LĐTBXH', 'Lao động - Thương binh và Xã hội');
    same('LĐ-TB&XH', 'Lao động, Thương binh và Xã hội');
    same('KH&ĐT', 'Kế hoạch và Đầu tư');
    same('NN&PTNT', 'Nông nghiệp - Phát triển nông thôn');
    same('VHTT&DL', 'Văn hóa - Thể thao - Du lịch');
    same('VHTTDL', 'Văn hoá, Thể thao và Du lịch'); // old tone placement too
    same('GD&ĐT', 'Giáo dục và Đào tạo');
    same('TT&TT', 'Thông tin và Truyền thông');
    same('TP', 'Tư pháp');
    same('CT', 'Công Thương');
    same('HT', 'Hộ tịch');
    same('Lĩnh vực Hộ tịch', 'Hộ tịch');
  });

  it('keeps different fields apart', () => {
    different('BHXH', 'Bảo trợ xã hội');
    different('LĐTBXH', 'Lao động - Việc làm');
    different('BHXH', 'Bảo hiểm y tế');
    different('Hòa giải', 'Hóa giải');
  });

  it('reads unit names: UBND, X., P., H., TP (thành phố among units), TT (thị trấn or trung tâm)', () => {
    same('UBND X. Ấm Hạ', 'Ủy ban nhân dân xã Ấm Hạ', 'unit');
    same('UBND P. Hùng Vương', 'UBND phường Hùng Vương', 'unit');
    same('UBND H. Hạ Hoà', 'Uỷ ban nhân dân huyện Hạ Hòa', 'unit');
    same('UBND TP Việt Trì', 'UBND thành phố Việt Trì', 'unit');
    same('UBND TT Hạ Hoà', 'UBND thị trấn Hạ Hoà', 'unit');
    same('TT Hành chính công', 'Trung tâm Hành chính công', 'unit');
    same('Sở TN&MT', 'Sở Tài nguyên và Môi trường', 'unit');
    same('Phòng TP', 'Phòng Tư pháp', 'unit');
    different('UBND xã Ấm Hạ', 'UBND xã Âm Hà', 'unit');
    // "TP" is Tư pháp among fields, never "thành phố".
    different('TP', 'thành phố');
  });
});

describe('NameIndex', () => {
  const fields = new NameIndex(
    ['Bảo hiểm xã hội', 'Bảo trợ xã hội', 'Đất đai', 'Hộ tịch', 'Tài nguyên và Môi trường', 'Hòa giải ở cơ sở', 'Hóa giải ở cơ sở'],
    (f) => f,
    'field',
  );

  it('finds a field by its name, its abbreviation, or its name without marks', () => {
    expect(fields.lookUp('Bảo hiểm  xã hội')).toEqual({ found: ['Bảo hiểm xã hội'] });
    expect(fields.lookUp('BHXH')).toEqual({ found: ['Bảo hiểm xã hội'] });
    expect(fields.lookUp('TN&MT')).toEqual({ found: ['Tài nguyên và Môi trường'] });
    expect(fields.lookUp('Dat dai')).toEqual({ found: ['Đất đai'] });
    expect(fields.lookUp('tai nguyen va moi truong')).toEqual({ found: ['Tài nguyên và Môi trường'] });
  });

  it('refuses a name without marks that fits two fields, naming both', () => {
    expect(fields.lookUp('Hoa giai o co so')).toEqual({ ambiguous: ['Hòa giải ở cơ sở', 'Hóa giải ở cơ sở'] });
    // With its marks the name is one field.
    expect(fields.lookUp('Hoà giải ở cơ sở')).toEqual({ found: ['Hòa giải ở cơ sở'] });
  });

  it('a name with marks is never matched by dropping them', () => {
    expect(fields.lookUp('Đất dai')).toHaveProperty('closest');
  });

  it('offers the closest names for a typo or a name in part', () => {
    expect((fields.lookUp('Đất đia') as { closest: string[] }).closest[0]).toBe('Đất đai');
    expect((fields.lookUp('BHXHH') as { closest: string[] }).closest.slice(0, 2)).toEqual(['Bảo hiểm xã hội', 'Bảo trợ xã hội']);
    expect((fields.lookUp('xã hội') as { closest: string[] }).closest.slice(0, 2).sort()).toEqual(['Bảo hiểm xã hội', 'Bảo trợ xã hội']);
  });
});

describe('similarity and edit distance', () => {
  it('counts one-character edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('đất', 'đất')).toBe(0);
    expect(editDistance('đất', 'dất')).toBe(1);
  });
  it('scores a typo above an unrelated name', () => {
    expect(similarity('dat dia', 'dat dai')).toBeGreaterThan(0.5);
    expect(similarity('dat dia', 'ho tich')).toBeLessThan(0.25);
  });
  it('folds the marks and đ', () => {
    expect(foldMarks('UBND xã Ấm Hạ, Đất đai')).toBe('ubnd xa am ha, dat dai');
  });
});
