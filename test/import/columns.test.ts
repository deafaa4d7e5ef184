import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOSSIER_COLUMNS, fieldOfHeader, isPersonalHeader, loadProfile, parseMapOption, readProfile, unitColumnsNote, type ColumnSpec,
} from '../../src/import/columns.ts';
import { sniffDelimiter } from '../../src/import/readers/index.ts';
import { openTable } from '../../src/import/table.ts';
import { InputError } from '../../src/import/types.ts';
import { tempDir } from '../helpers/databases.ts';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function thrown(body: () => unknown): InputError {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('header names', () => {
  it('knows the aliases of issue 2 whatever the case, spacing, Unicode form and tone placement', () => {
    const cases: Array<[string, string]> = [
      ['Mã hồ sơ', 'code'], ['SỐ HỒ SƠ', 'code'], ['mã  hs', 'code'],
      ['Cơ quan giải quyết', 'unit'], ['Đơn vị', 'unit'], ['Cơ quan thực hiện', 'unit'], ['Đơn vị giải quyết', 'unit'],
      ['Đơn vị tiếp nhận', 'receivingUnit'], ['Nơi tiếp nhận', 'receivingUnit'], ['Cơ quan tiếp nhận', 'receivingUnit'],
      ['Tên thủ tục hành chính', 'procedure'], ['Tên thủ tục', 'procedure'], ['Thủ tục', 'procedure'],
      ['Mã thủ tục', 'procedureCode'], ['Lĩnh vực', 'field'],
      ['Hình thức nộp', 'channel'], ['Hình thức tiếp nhận', 'channel'], ['Kênh tiếp nhận', 'channel'],
      ['Kênh thực hiện', 'channel'], ['Nguồn', 'channel'],
      ['Ngày tiếp nhận', 'receivedAt'], ['Ngày nhận', 'receivedAt'], ['Ngày nộp', 'receivedAt'], ['Ngày nộp hồ sơ', 'receivedAt'],
      ['Ngày hẹn trả', 'dueAt'], ['Hạn xử lý', 'dueAt'], ['Ngày hẹn trả kết quả', 'dueAt'],
      ['Ngày kết thúc xử lý', 'endedAt'], ['Ngày có kết quả', 'endedAt'], ['Ngày hoàn thành', 'endedAt'], ['Ngày xử lý xong', 'endedAt'],
      ['Ngày trả kết quả', 'returnedAt'], ['Ngày trả', 'returnedAt'],
      ['Trạng thái', 'status'], ['Trạng thái hồ sơ', 'status'], ['Tình trạng', 'status'],
      ['Ngày tiếp nhận'.normalize('NFD'), 'receivedAt'], ['  ngày\nTIẾP   nhận ', 'receivedAt'],
      ['Ngày hòan thành', 'endedAt'], ['Ngày tiếp nhận (dd/mm/yyyy)', 'receivedAt'], ['Mã hồ sơ (*)', 'code'],
      ['Mã hồ sơ:', 'code'],
    ];
    for (const [header, field] of cases) expect([header, fieldOfHeader(header, DOSSIER_COLUMNS)]).toEqual([header, field]);
    for (const header of ['STT', 'Ghi chú', 'Ngày', 'Mã', 'Mã hồ sơ cũ']) expect(fieldOfHeader(header, DOSSIER_COLUMNS)).toBeUndefined();
  });

  it('tells personal-data headers', () => {
    for (const header of [
      'Người nộp', 'Chủ hồ sơ', 'Họ tên', 'Họ và tên', 'Tên người nộp', 'Địa chỉ', 'Số điện thoại', 'Điện thoại', 'SĐT',
      'CCCD', 'CMND', 'CCCD/CMND', 'Số giấy tờ', 'Email', 'E-mail', 'Thư điện tử', 'Họ tên người nộp',
      'Địa chỉ thường trú', 'Số CCCD của người nộp', 'Tên tổ chức, cá nhân', 'HỌ TÊN'.normalize('NFD'),
    ]) {
      expect([header, isPersonalHeader(header)]).toEqual([header, true]);
    }
    for (const header of ['Mã hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục', 'Trạng thái', 'Ghi chú', 'Ngày tiếp nhận']) {
      expect([header, isPersonalHeader(header)]).toEqual([header, false]);
    }
  });

  it('works for any column spec (a unit catalogue)', () => {
    const units: ColumnSpec<'code' | 'name'> = { aliases: { code: ['Mã đơn vị'], name: ['Tên đơn vị'] }, required: ['code', 'name'] };
    expect(fieldOfHeader('MÃ ĐƠN VỊ', units)).toBe('code');
    expect(fieldOfHeader('name', units)).toBe('name');
    expect(fieldOfHeader('Mã hồ sơ', units)).toBeUndefined();
  });
});

describe('--map and profiles', () => {
  it('reads --map options, by field name or by a usual header', () => {
    expect(parseMapOption('Số biên nhận=code')).toEqual(['Số biên nhận', 'code']);
    expect(parseMapOption(' Ngày nộp HS = receivedAt ')).toEqual(['Ngày nộp HS', 'receivedAt']);
    expect(parseMapOption('Ngày nộp HS=Ngày tiếp nhận')).toEqual(['Ngày nộp HS', 'receivedAt']);
    const error = thrown(() => parseMapOption('Ngày nộp HS=received'));
    expect(error.message).toContain('"received" không hợp lệ');
    expect(error.message).toContain('code, unit, receivingUnit, procedure, procedureCode, field, channel, receivedAt, dueAt, endedAt, returnedAt, status');
    expect(thrown(() => parseMapOption('receivedAt')).message).toContain('Tên cột trong tệp=trường');
  });

  it('uses --map overrides to find the header and the columns', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(path, 'DANH SÁCH\nSố biên nhận,Ngày nộp HS,Ngày nhận,Tình trạng\nX1,01/03/2021,,Đang xử lý\n');
    const overrides = Object.fromEntries([parseMapOption('Số biên nhận=code'), parseMapOption('ngày nộp hs=receivedAt'), parseMapOption('Cột lạ=dueAt')]);
    const table = await openTable(path, DOSSIER_COLUMNS, { overrides });
    const rows = await collect(table.rows);
    expect(table.layout.headerRowNumber).toBe(2);
    // The override wins over "Ngày nhận", which is an alias of the same field.
    expect(table.layout.mapped).toEqual({ 'Số biên nhận': 'code', 'Ngày nộp HS': 'receivedAt', 'Tình trạng': 'status' });
    expect(table.layout.ignored).toEqual(['Ngày nhận']);
    expect(table.layout.overridesNotFound).toEqual(['Cột lạ']);
    expect(rows.map((row) => row.values)).toEqual([{ code: 'X1', receivedAt: '01/03/2021', status: 'Đang xử lý' }]);
  });

  it('keeps the receiving unit and the resolving agency apart, and reads a lone one of them as the unit', async () => {
    const dir = tempDir();
    const read = async (header: string, row: string) => {
      const path = join(dir, `${header.length}.csv`);
      writeFileSync(path, `${header}\n${row}\n`);
      const table = await openTable(path, DOSSIER_COLUMNS);
      return { mapped: table.layout.mapped, values: (await collect(table.rows)).map((r) => r.values), note: unitColumnsNote(table.layout.mapped) };
    };
    // Both, in either order: the resolving agency is the unit, the centre the receiving unit.
    const both = await read(
      'Mã hồ sơ,Nơi tiếp nhận,Cơ quan giải quyết,Ngày tiếp nhận',
      'H1,Trung tâm Phục vụ hành chính công tỉnh Phú Thọ,Sở Tư pháp tỉnh Phú Thọ,01/08/2025',
    );
    expect(both.values).toEqual([
      { code: 'H1', receivingUnit: 'Trung tâm Phục vụ hành chính công tỉnh Phú Thọ', unit: 'Sở Tư pháp tỉnh Phú Thọ', receivedAt: '01/08/2025' },
    ]);
    expect(both.note).toBeUndefined();
    const reversed = await read('Mã hồ sơ,Đơn vị giải quyết,Đơn vị tiếp nhận,Ngày tiếp nhận,x', 'H2,UBND xã Tam Nông,Trung tâm Phục vụ hành chính công xã Tam Nông,02/08/2025,');
    expect(reversed.mapped).toEqual({ 'Mã hồ sơ': 'code', 'Đơn vị giải quyết': 'unit', 'Đơn vị tiếp nhận': 'receivingUnit', 'Ngày tiếp nhận': 'receivedAt' });
    // A lone "Đơn vị tiếp nhận" is the unit, as in every export before the reform; the summary says so.
    const lone = await read('Mã hồ sơ,Đơn vị tiếp nhận,Ngày tiếp nhận,y', 'H3,UBND xã Hiền Lương,03/01/2024,');
    expect(lone.values).toEqual([{ code: 'H3', unit: 'UBND xã Hiền Lương', receivedAt: '03/01/2024' }]);
    expect(lone.note).toBe('chỉ có cột "Đơn vị tiếp nhận", không có cột cơ quan giải quyết: số liệu tính theo đơn vị ghi ở cột này');
    const agency = await read('Mã hồ sơ,Cơ quan thực hiện,Ngày tiếp nhận,z,w', 'H4,Sở Tư pháp tỉnh Phú Thọ,04/08/2025,,');
    expect(agency.mapped).toEqual({ 'Mã hồ sơ': 'code', 'Cơ quan thực hiện': 'unit', 'Ngày tiếp nhận': 'receivedAt' });
    expect(agency.note).toBe('chỉ có cột "Cơ quan thực hiện" (cơ quan giải quyết), không có cột nơi tiếp nhận');
  });

  it('loads the example profiles and maps a national-portal export with one', async () => {
    const profile = loadProfile('imports/profiles/dvc-quoc-gia.json');
    expect(profile['Ngày nộp (yyyyMMddHHmmss)']).toBe('receivedAt');
    expect(Object.values(loadProfile('imports/profiles/mot-cua-tinh.json'))).toContain('code');

    const path = join(tempDir(), 'dvc.csv');
    writeFileSync(path, 'Mã hồ sơ DVC;Cơ quan thực hiện;Ngày nộp (yyyyMMddHHmmss);Trạng thái xử lý hồ sơ\nG22.99-210331-0001;UBND xã Ấm Hạ;20210331233000;Đang xử lý\n');
    const table = await openTable(path, DOSSIER_COLUMNS, { overrides: profile });
    const rows = await collect(table.rows);
    expect(rows.map((row) => row.values)).toEqual([
      { code: 'G22.99-210331-0001', unit: 'UBND xã Ấm Hạ', receivedAt: '20210331233000', status: 'Đang xử lý' },
    ]);
  });

  it('rejects a profile that is not JSON, has the wrong shape or names an unknown field', () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(thrown(() => loadProfile(write('a.json', '{ "columns": '))).message).toContain('không phải JSON');
    expect(thrown(() => loadProfile(write('b.json', '{ "cols": {} }'))).message).toContain('sai dạng');
    expect(thrown(() => loadProfile(write('c.json', '{ "columns": { "X": 3 } }'))).message).toContain('sai dạng');
    const unknown = thrown(() => loadProfile(write('d.json', '{ "columns": { "Ngày": "ngay" } }')));
    expect(unknown.message).toContain('"ngay" không hợp lệ');
    expect(unknown.message).toContain('receivedAt');
    expect(thrown(() => loadProfile(join(dir, 'none.json'))).message).toContain('không tìm thấy');
  });
});

describe('delimiter sniffing', () => {
  it('chooses the delimiter that is consistent across records, quotes and title rows aside', () => {
    expect(sniffDelimiter('Tiêu đề\nA;B;C\n1;"x;y;z";3\n2;b, c;3\n')).toBe(';');
    expect(sniffDelimiter('A,B,C\n1,"x;y",3\n2,"b;c;d",3\n')).toBe(',');
    expect(sniffDelimiter('A\tB\tC\n1\tHà Nội, Việt Nam\t3\n')).toBe('\t');
    expect(sniffDelimiter('A;B\n1;Đăng ký khai sinh, kết hôn\n2;Cấp bản sao, chứng thực\n')).toBe(';');
  });
});

describe('values an export writes in words of its own', () => {
  it('reads channel and status words of real systems', async () => {
    const { parseChannel } = await import('../../src/domain/channels.ts');
    const { parseStatus } = await import('../../src/domain/statuses.ts');
    expect(['Trực tuyến toàn trình', 'Trực tuyến một phần', 'Qua bưu điện', 'Dịch vụ bưu chính công ích', 'Nộp trực tiếp'].map(parseChannel)).toEqual([
      'truc_tuyen', 'truc_tuyen', 'buu_chinh', 'buu_chinh', 'truc_tiep',
    ]);
    expect(['Đã hủy', 'Đã huỷ', 'Đã trả kết quả đúng hạn', 'Đã trả kết quả quá hạn', 'Chờ bổ sung hồ sơ'].map(parseStatus)).toEqual([
      'withdrawn', 'withdrawn', 'returned', 'returned', 'supplement_requested',
    ]);
  });

  it('maps a file\'s own words by --map-value and by a profile\'s "values", and refuses a meaning tthc does not know', async () => {
    const { mergeValueMaps, parseMapValueOption, valueReaders } = await import('../../src/import/value-maps.ts');
    const dir = tempDir();
    const profilePath = join(dir, 'profile.json');
    writeFileSync(profilePath, JSON.stringify({ columns: { 'Số BN': 'code' }, values: { status: { 'Xong rồi': 'Đã trả kết quả' } } }));
    const profile = readProfile(profilePath);
    expect(profile.columns).toEqual({ 'Số BN': 'code' });
    const readers = valueReaders(mergeValueMaps(profile.values, ['channel:Kiosk=truc_tiep', 'channel: Zalo =Trực tuyến']));
    expect([readers.channel('KIOSK'), readers.channel('zalo'), readers.channel('Bưu điện'), readers.channel('Fax')]).toEqual([
      'truc_tiep', 'truc_tuyen', 'buu_chinh', undefined,
    ]);
    expect(readers.status('xong rồi')).toBe('returned');
    expect(() => parseMapValueOption('channel:Kiosk=máy')).toThrow(/truc_tiep, truc_tuyen, buu_chinh, lien_thong/);
    expect(() => parseMapValueOption('unit:A=B')).toThrow(/channel hoặc status/);
    writeFileSync(profilePath, JSON.stringify({ columns: { A: 'code' }, values: { channel: { Kiosk: 'quầy' } } }));
    expect(() => readProfile(profilePath)).toThrow(/"Kiosk" → "quầy"/);
  });
});
