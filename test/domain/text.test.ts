import { describe, expect, it } from 'vitest';
import { parseChannel } from '../../src/domain/channels.ts';
import { inferLevelFromUnitName, parseLevel } from '../../src/domain/levels.ts';
import { parseStatus } from '../../src/domain/statuses.ts';
import { cleanText, matchKey } from '../../src/domain/text.ts';

describe('matchKey', () => {
  it('ignores case, spaces, Unicode form and old/new tone placement', () => {
    expect(matchKey('  UBND huyện  Hạ Hoà ')).toBe(matchKey('ubnd HUYỆN Hạ Hòa'));
    expect(matchKey('Thuỷ')).toBe(matchKey('Thủy'));
    expect(matchKey('Hình thức nộp'.normalize('NFD'))).toBe(matchKey('Hình thức nộp'));
  });
  it('keeps different words apart', () => {
    expect(matchKey('Hoà')).not.toBe(matchKey('Hoa'));
    expect(matchKey('Hòa')).not.toBe(matchKey('Hóa'));
    expect(matchKey('xã')).not.toBe(matchKey('xa'));
  });
});

describe('vocabulary', () => {
  it('reads channels as exports write them', () => {
    for (const t of ['Trực tiếp', 'Một cửa', 'tại quầy', '1']) expect(parseChannel(t)).toBe('truc_tiep');
    for (const t of ['Trực tuyến', 'Nộp trực tuyến', 'ONLINE', 'DVC trực tuyến', '2']) expect(parseChannel(t)).toBe('truc_tuyen');
    for (const t of ['Bưu chính', 'BCCI', 'Qua dịch vụ bưu chính công ích', '3']) expect(parseChannel(t)).toBe('buu_chinh');
    expect(parseChannel('LIÊN THÔNG'.normalize('NFD'))).toBe('lien_thong');
    expect(parseChannel('Fax')).toBeUndefined();
  });
  it('reads statuses and levels', () => {
    expect(parseStatus('đã trả kết quả')).toBe('returned');
    expect(parseStatus('Không được tiếp nhận')).toBe('rejected');
    expect(parseStatus('Công dân rút hồ sơ')).toBe('withdrawn');
    expect(parseLevel('Huyện')).toBe('huyen');
    expect(parseLevel('tinh')).toBe('tinh');
  });
  it('infers a unit level from its name', () => {
    expect(inferLevelFromUnitName('UBND xã Hiền Lương')).toBe('xa');
    expect(inferLevelFromUnitName('UBND thị trấn Hạ Hoà')).toBe('xa');
    expect(inferLevelFromUnitName('UBND phường Gia Cẩm')).toBe('xa');
    expect(inferLevelFromUnitName('UBND huyện Hạ Hoà')).toBe('huyen');
    expect(inferLevelFromUnitName('UBND thị xã Phú Thọ')).toBe('huyen');
    expect(inferLevelFromUnitName('UBND thành phố Việt Trì')).toBe('huyen');
    expect(inferLevelFromUnitName('Sở Tư pháp')).toBe('tinh');
    expect(inferLevelFromUnitName('Trung tâm Phục vụ hành chính công tỉnh Phú Thọ')).toBe('tinh');
    expect(inferLevelFromUnitName('Bộ phận không rõ')).toBeUndefined();
  });
  it('infers the level of the units of two-level government (since 1 July 2025) from the word that names their area', () => {
    const names: Array<[string, string | undefined]> = [
      ['Trung tâm Phục vụ hành chính công tỉnh Phú Thọ', 'tinh'],
      ['Trung tâm Phục vụ hành chính công phường Việt Trì', 'xa'],
      ['Trung tâm Phục vụ hành chính công xã Ấm Hạ', 'xa'],
      ['Trung tâm phục vụ hành chính công đặc khu Phú Quốc', 'xa'],
      ['UBND đặc khu Côn Đảo', 'xa'],
      ['Ủy ban nhân dân đặc khu Lý Sơn', 'xa'],
      ['Bộ phận Một cửa UBND xã Hiền Lương', 'xa'],
      ['Bộ phận Tiếp nhận và Trả kết quả phường Thanh Miếu', 'xa'],
      ['Công an xã Ấm Hạ', 'xa'],
      ['Công an phường Nông Trang', 'xa'],
      ['Công an tỉnh Phú Thọ', 'tinh'],
      ['Chi nhánh Văn phòng đăng ký đất đai huyện Hạ Hoà', 'tinh'],
      ['Văn phòng đăng ký đất đai tỉnh Phú Thọ', 'tinh'],
      ['Bảo hiểm xã hội tỉnh Phú Thọ', 'tinh'],
      ['Bảo hiểm xã hội huyện Hạ Hoà', 'huyen'],
      ['Sở Tư pháp tỉnh Phú Thọ', 'tinh'],
      ['UBND thành phố Hà Nội', 'tinh'],
      ['UBND TP. Hồ Chí Minh', 'tinh'],
      ['UBND TP Việt Trì', 'huyen'],
      ['UBND TX. Phú Thọ', 'huyen'],
      ['Phòng Tư pháp huyện Hạ Hoà', 'huyen'],
      ['UBND quận Ba Đình', 'huyen'],
      ['Trung tâm Phục vụ hành chính công', 'tinh'],
      ['Ban Quản lý các khu công nghiệp tỉnh', 'tinh'],
      ['UBND', undefined],
      ['Bảo hiểm xã hội', undefined],
    ];
    expect(names.map(([name]) => [name, inferLevelFromUnitName(name)])).toEqual(names);
  });
});

describe('cleanText keeps only text a database gives back unchanged', () => {
  it('replaces a lone surrogate and drops control characters', () => {
    expect(cleanText('A\ud800B')).toBe('A\ufffdB');
    expect(cleanText('\udc00X')).toBe('\ufffdX');
    expect(cleanText('Hồ sơ 😀')).toBe('Hồ sơ 😀');
    expect(cleanText('H45\u0001-\u0007001\u007f')).toBe('H45-001');
    expect(cleanText('Hộ\ttịch\r\nxã')).toBe('Hộ tịch xã');
    expect(cleanText('\u0002\u0003')).toBeUndefined();
  });
});
