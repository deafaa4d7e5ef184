import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOSSIER_COLUMNS } from '../../src/import/columns.ts';
import { openCsv, readCsvBatches } from '../../src/import/readers/csv-reader.ts';
import type { OpenOptions } from '../../src/import/readers/source.ts';
import { openTable } from '../../src/import/table.ts';
import type { CellValue } from '../../src/import/types.ts';
import { collect, inputError } from '../helpers/async.ts';
import { tempDir } from '../helpers/databases.ts';

// The fixtures are the same small export in each encoding, written by test/fixtures/csv/make.py with Python's
// codecs (UTF-16, Windows-1258) and with the TCVN3 and VNI tables there.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'csv');
const fixture = (name: string) => join(FIXTURES, name);

const EXPORT: CellValue[][] = [
  ['Mã hồ sơ', 'Đơn vị tiếp nhận', 'Hình thức nộp', 'Ngày tiếp nhận', 'Trạng thái'],
  ['H31.01', 'UBND xã Ấm Hạ', 'Trực tuyến', '31/03/2021', 'Đã trả kết quả'],
  ['H31.02', 'UBND xã Gia Điền', 'Trực tiếp', '01/04/2021', 'Đang xử lý'],
  ['H31.03', 'Bộ phận một cửa huyện Hạ Hoà', 'Bưu chính', '02/04/2021', 'Đã trả kết quả'],
];

async function read(path: string, options: OpenOptions = {}) {
  const source = await openCsv(path, options);
  const rows = (await collect(source.sheets[0].rows())).flat();
  return { encoding: source.encoding, cells: rows.map((row) => row.cells), rows, sha256: await source.sha256() };
}

/** The text of a message with its file name left out. */
const detail = (error: Error) => error.message.slice(error.message.indexOf(': ') + 2);

describe('csv encodings', () => {
  it('reads UTF-8 with a BOM and without', async () => {
    const withBom = await read(fixture('utf8-bom.csv'));
    expect(withBom.encoding).toBe('utf-8');
    expect(withBom.cells).toEqual(EXPORT);
    const without = await read(fixture('utf8.csv'));
    expect(without.encoding).toBe('utf-8');
    expect(without.cells).toEqual(EXPORT);
  });

  it('reads Excel\'s "Unicode Text": UTF-16LE with a BOM, tabs, a quoted tab and line break', async () => {
    const { encoding, cells } = await read(fixture('utf16le-tabs.csv'));
    expect(encoding).toBe('utf-16le');
    expect(cells).toEqual([
      ...EXPORT,
      ['H31.04', 'Thôn 5\txã Hương Xạ\r\ndòng hai', 'Trực tiếp', '03/04/2021', 'Đang xử lý'],
    ]);
    // Every chunk size, odd ones cutting a UTF-16 unit in two.
    for (const chunkSize of [1, 2, 3, 5, 8, 13]) {
      expect((await collect(readCsvBatches(fixture('utf16le-tabs.csv'), chunkSize))).flat().map((row) => row.cells)).toEqual(cells);
    }
  });

  it('reads UTF-16BE with a BOM', async () => {
    const { encoding, cells } = await read(fixture('utf16be.csv'));
    expect(encoding).toBe('utf-16be');
    expect(cells).toEqual(EXPORT);
  });

  it('reads Windows-1258, its tone marks composed (NFC), whatever the chunks', async () => {
    const { encoding, cells } = await read(fixture('windows-1258.csv'));
    expect(encoding).toBe('windows-1258');
    expect(cells).toEqual(EXPORT);
    expect(cells[1][2]).toBe('Tr\u1ef1c tuy\u1ebfn');
    for (const chunkSize of [1, 2, 3, 7]) {
      expect((await collect(readCsvBatches(fixture('windows-1258.csv'), chunkSize))).flat().map((row) => row.cells)).toEqual(EXPORT);
    }
  });

  it('matches the headers of a Windows-1258 file and maps its values', async () => {
    const table = await openTable(fixture('windows-1258.csv'), DOSSIER_COLUMNS);
    const rows = await collect(table.rows);
    expect(table.layout.mapped).toEqual({
      'Mã hồ sơ': 'code', 'Đơn vị tiếp nhận': 'unit', 'Hình thức nộp': 'channel', 'Ngày tiếp nhận': 'receivedAt',
      'Trạng thái': 'status',
    });
    expect(rows.map((row) => [row.values.unit, row.values.channel, row.values.status])).toEqual([
      ['UBND xã Ấm Hạ', 'Trực tuyến', 'Đã trả kết quả'],
      ['UBND xã Gia Điền', 'Trực tiếp', 'Đang xử lý'],
      ['Bộ phận một cửa huyện Hạ Hoà', 'Bưu chính', 'Đã trả kết quả'],
    ]);
  });

  it('refuses TCVN3 and VNI text with one line saying so and how to convert it', async () => {
    const tcvn3 = await inputError(openCsv(fixture('tcvn3.csv')));
    expect(tcvn3.message).toContain('TCVN3');
    expect(tcvn3.message).toContain('Unikey');
    expect(tcvn3.message).toContain('CSV UTF-8');
    expect(tcvn3.message.split('\n')).toHaveLength(1);
    const vni = await inputError(openCsv(fixture('vni.csv')));
    expect(vni.message).toContain('VNI');
    expect(vni.message).toContain('Unikey');
  });

  it('hashes the bytes of the file, whatever its encoding', async () => {
    const { createHash } = await import('node:crypto');
    for (const name of ['utf8-bom.csv', 'utf16le-tabs.csv', 'windows-1258.csv']) {
      const expected = createHash('sha256').update(readFileSync(fixture(name))).digest('hex');
      expect((await read(fixture(name))).sha256).toBe(expected);
    }
  });
});

describe('a file that is not UTF-8 throughout', () => {
  const filler = (rows: number) => Array.from({ length: rows }, (_, i) => `H${i},UBND xã Ấm Hạ,Trực tuyến,31/03/2021,Đang xử lý\n`).join('');
  const cp1258Rows = () => {
    const bytes = readFileSync(fixture('windows-1258.csv'));
    return bytes.subarray(bytes.indexOf('\n') + 1);
  };

  it('refuses a UTF-8 file that turns into another encoding after 100 KiB, naming the byte and line', async () => {
    const path = join(tempDir(), 'joined.csv');
    const head = Buffer.from(`Mã hồ sơ,Đơn vị,Hình thức,Ngày tiếp nhận,Trạng thái\n${filler(2000)}`);
    expect(head.length).toBeGreaterThan(100 * 1024);
    const tail = cp1258Rows();
    writeFileSync(path, Buffer.concat([head, tail]));
    // The first byte of the tail that is not ASCII is the first that is not UTF-8.
    const firstHigh = tail.findIndex((b) => b >= 0x80);
    const line = head.toString('latin1').split('\n').length + tail.subarray(0, firstHigh).toString('latin1').split('\n').length - 1;
    const error = await inputError(openCsv(path));
    expect(detail(error)).toContain(`byte ${head.length + firstHigh + 1}, dòng ${line}`);
    expect(detail(error)).toContain('UTF-8');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('refuses one stray byte in a large UTF-8 file rather than reading it as U+FFFD', async () => {
    const path = join(tempDir(), 'stray.csv');
    const head = Buffer.from(`Mã hồ sơ,Đơn vị,Hình thức,Ngày tiếp nhận,Trạng thái\n${filler(30_000)}`);
    writeFileSync(path, Buffer.concat([head, Buffer.from('H1,x\xff,y\n', 'latin1'), Buffer.from(filler(10))]));
    const error = await inputError(openCsv(path));
    expect(detail(error)).toContain(`byte ${head.length + 5}, dòng 30002`);
  });

  it('reads an ASCII file whose Vietnamese comes after the first 1 MiB as Windows-1258, from its first row', async () => {
    const path = join(tempDir(), 'late.csv');
    const ascii = 'Ma ho so,Don vi,Hinh thuc,Ngay tiep nhan,Trang thai\n' + 'H0,UBND,Truc tuyen,31/03/2021,Dang xu ly\n'.repeat(30_000);
    expect(ascii.length).toBeGreaterThan(1 << 20);
    writeFileSync(path, Buffer.concat([Buffer.from(ascii), cp1258Rows()]));
    const { encoding, cells } = await read(path);
    expect(encoding).toBe('windows-1258');
    expect(cells.length).toBe(30_004);
    expect(cells.slice(-3)).toEqual(EXPORT.slice(1));
  });

  it('reads UTF-8 whose characters fall across the pieces the file is checked in', async () => {
    const path = join(tempDir(), 'wide.csv');
    // 3-byte and 2-byte characters in every position relative to the 1 MiB pieces.
    const text = `Tên\n${'ệ'.repeat(400_000)}\n${'ơ'.repeat(300_000)}x\n`;
    writeFileSync(path, text);
    const { encoding, cells } = await read(path);
    expect(encoding).toBe('utf-8');
    expect(cells).toEqual([['Tên'], ['ệ'.repeat(400_000)], [`${'ơ'.repeat(300_000)}x`]]);
  });

  it('refuses a file with a UTF-8 BOM whose text is not UTF-8, rather than guess another encoding', async () => {
    const path = join(tempDir(), 'bom.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fixture('windows-1258.csv'))]));
    const error = await inputError(openCsv(path));
    // "Mã" in Windows-1258 is M, a, then the tilde 0xDE: the 6th byte, after the BOM.
    expect(detail(error)).toContain('BOM');
    expect(detail(error)).toContain('byte 6, dòng 1');
  });

  it('refuses bytes that are neither UTF-8 nor Vietnamese in Windows-1258, saying where', async () => {
    const path = join(tempDir(), 'german.csv');
    // Latin-1 German: letters Vietnamese does not have.
    writeFileSync(path, Buffer.from('Straße;Größe\nMüller;Öl\nKäse;Bär\n', 'latin1'));
    const error = await inputError(openCsv(path));
    expect(detail(error)).toContain('byte 5, dòng 1');
    expect(detail(error)).toContain('Windows-1258');
    expect(detail(error)).toContain('--encoding');
  });
});

describe('--encoding', () => {
  it('reads the file in the encoding named, by any name TextDecoder knows', async () => {
    const cp1258 = await read(fixture('windows-1258.csv'), { encoding: 'cp1258' });
    expect(cp1258.encoding).toBe('windows-1258');
    expect(cp1258.cells).toEqual(EXPORT);
    // The same bytes as Windows-1252 (what iconv -f cp1252 shows): the encoding named wins over detection.
    const latin = await read(fixture('windows-1258.csv'), { encoding: 'latin1' });
    expect(latin.encoding).toBe('windows-1252');
    expect(latin.cells[1]).toEqual(['H31.01', 'UBND xa\u00de \u00c2\u00ecm Ha\u00f2', 'Tr\u00fd\u00f2c tuy\u00ea\u00ecn', '31/03/2021', '\u00d0a\u00de tra\u00d2 k\u00ea\u00ect qua\u00d2']);
    const utf16 = await read(fixture('utf16le-tabs.csv'), { encoding: 'UTF-16' });
    expect(utf16.encoding).toBe('utf-16le');
    expect(utf16.cells.slice(0, 4)).toEqual(EXPORT);
  });

  it('reads a TCVN3 file as the bytes say when told to, instead of refusing it', async () => {
    const { encoding, cells } = await read(fixture('tcvn3.csv'), { encoding: 'windows-1252' });
    expect(encoding).toBe('windows-1252');
    expect(cells[0][0]).toBe('M\u00b7 h\u00e5 s\u00ac');
  });

  it('refuses an unknown name, listing the names accepted', async () => {
    const error = await inputError(openCsv(fixture('utf8.csv'), { encoding: 'vietnamese' }));
    expect(detail(error)).toContain('"vietnamese"');
    for (const name of ['utf-8', 'utf-16le', 'utf-16be', 'windows-1258', 'cp1258', 'latin1']) expect(detail(error)).toContain(name);
  });
});

describe('line ends', () => {
  const MIXED: CellValue[][] = [
    ['Mã hồ sơ', 'Tên thủ tục', 'Trạng thái'],
    ['H1', 'Đăng ký khai sinh', 'Đang xử lý'],
    ['H2', 'Cấp bản sao\r\ndòng hai', 'Đã trả kết quả'],
    ['H3', 'Chứng thực', 'Đang xử lý'],
    ['H4', 'một\rhai', 'Đang xử lý'],
    ['H5', 'Hoà, Bình', 'Đã trả kết quả'],
    ['H6', 'Cuối', 'Đang xử lý'],
  ];

  it('ends records at LF, CRLF and a lone CR in one file, keeping line breaks inside quotes', async () => {
    const { cells, rows } = await read(fixture('mixed-eol.csv'));
    expect(cells).toEqual(MIXED);
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const chunkSize of [1, 2, 3, 5, 8, 13]) {
      expect((await collect(readCsvBatches(fixture('mixed-eol.csv'), chunkSize))).flat().map((row) => row.cells)).toEqual(MIXED);
    }
  });

  it('reads an old Mac file (CR only) and a CRLF file whose later lines end in LF', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mac.csv'), 'A;B\rH1;x\r\rH2;"y\rz"\r');
    expect((await read(join(dir, 'mac.csv'))).cells).toEqual([['A', 'B'], ['H1', 'x'], [null], ['H2', 'y\rz']]);
    writeFileSync(join(dir, 'later.csv'), `A;B\r\n${'H;x\r\n'.repeat(50_000)}H1;"a\r\nb"\nH2;c\nH3;d\r\n`);
    const later = await read(join(dir, 'later.csv'));
    expect(later.cells.slice(-3)).toEqual([['H1', 'a\r\nb'], ['H2', 'c'], ['H3', 'd']]);
    expect(later.cells.flat().filter((cell) => typeof cell === 'string' && cell.includes('\r'))).toEqual(['a\r\nb']);
  });

  it('ends records at every kind of line end where csv-parse reads the rest of the file', async () => {
    const path = join(tempDir(), 'handover.csv');
    // A quoted field that spans lines and is longer than the quick split waits for hands the rest of the file
    // to csv-parse.
    const long = `x\r\n${'x'.repeat((1 << 20) + 10)}`;
    writeFileSync(path, `A;B\r\nH0;"${long}"\r\nH1;a\nH2;"b\r\nc"\rH3;d\r\nH4;e\n`);
    const { cells } = await read(path);
    expect(cells).toEqual([['A', 'B'], ['H0', long], ['H1', 'a'], ['H2', 'b\r\nc'], ['H3', 'd'], ['H4', 'e']]);
  });
});
