import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel } from '../domain/channels.ts';
import type { WallClock } from '../domain/dates.ts';
import type { Status } from '../domain/statuses.ts';
import { writeCsvFile, writeXlsxFile, type Cell } from './files.ts';
import type { DemoDataset, DemoDossier } from './generate.ts';
import type { DemoUnit } from './ha-hoa.ts';
import { mulberry32, type Random } from './random.ts';
import { AS_OF } from './targets.ts';
import { TWO_LEVELS_FROM } from '../domain/reform.ts';
import { PROVINCE_UNITS, type ProvinceDossier } from './province.ts';
import { dueLeftOut, durationText, HA_HOA_INDICATORS_FROM, indicatorCells, type IndicatorSource } from './indicators.ts';

// Writes the demo dataset as an office would find it: a unit catalogue, a procedure catalogue, and one export
// per month of receipt, each dossier with its state on the export day (25/05/2023). The district's system gives
// .xlsx files (title rows, footer; dates as text until 2021, as Excel date cells from 2022); the communes'
// dossiers come from the province's system as semicolon CSV with a BOM, with other column names and words. Both carry personal-data
// columns filled with obviously fake values, which the importer drops. The files of 2023 on carry QĐ 766's optional
// columns, and the procedure catalogue each procedure's online level and duration (indicators.ts).

export interface DemoFiles {
  unitCatalogue: string;
  /** The province's units across the reform: validity and successors (province.ts). */
  provinceCatalogue: string;
  procedureCatalogue: string;
  /** Folder holding every dossier export (sub-folders per unit). */
  exportsDir: string;
  exports: string[];
}

/** The folders of outDir that the demo writes (and clears before writing). */
export const CATALOGUE_DIR = 'danh-muc';
export const EXPORTS_DIR = 'ho-so';
/** The folders of EXPORTS_DIR holding Hạ Hoà's exports (the communes', the district's) and the province's. */
export const HA_HOA_EXPORT_DIRS = ['cac-xa', 'huyen-ha-hoa'];
export const PROVINCE_EXPORT_DIR = 'phu-tho';

/** Names of the demo's export files; a database whose batches all have such names holds only demo data. */
export const EXPORT_FILE_PATTERN = /^ho-so-[a-z0-9-]+-\d{4}-\d{2}\.(xlsx|csv)$/;

interface Vocabulary {
  channel: Record<Channel, string>;
  status: Record<Status, string>;
}

const DISTRICT_WORDS: Vocabulary = {
  channel: { truc_tiep: 'Trực tiếp', truc_tuyen: 'Trực tuyến', buu_chinh: 'Bưu chính', lien_thong: 'Liên thông' },
  status: {
    processing: 'Đang xử lý', supplement_requested: 'Yêu cầu bổ sung', finished: 'Đã xử lý xong',
    returned: 'Đã trả kết quả', rejected: 'Từ chối', withdrawn: 'Công dân rút hồ sơ',
  },
};
const COMMUNE_WORDS: Vocabulary = {
  channel: { truc_tiep: 'Một cửa', truc_tuyen: 'Nộp trực tuyến', buu_chinh: 'BCCI', lien_thong: 'Liên thông' },
  status: {
    processing: 'Đang xử lý', supplement_requested: 'Chờ bổ sung', finished: 'Đã giải quyết',
    returned: 'Đã trả kết quả', rejected: 'Từ chối', withdrawn: 'Rút hồ sơ',
  },
};

const DISTRICT_HEADER = [
  'STT', 'Mã hồ sơ', 'Tên thủ tục', 'Lĩnh vực', 'Họ tên người nộp', 'Số điện thoại', 'Địa chỉ', 'Hình thức nộp',
  'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Ngày trả kết quả', 'Trạng thái', 'Đơn vị tiếp nhận',
];
const DISTRICT_WIDTHS = [6, 26, 60, 22, 24, 14, 40, 14, 17, 17, 17, 17, 18, 22];
const COMMUNE_HEADER = [
  'STT', 'Số hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục hành chính', 'Lĩnh vực', 'Chủ hồ sơ', 'Số điện thoại', 'Địa chỉ',
  'Hình thức tiếp nhận', 'Ngày nhận', 'Hạn xử lý', 'Ngày có kết quả', 'Ngày trả', 'Tình trạng',
];

// QĐ 766's optional columns (indicators.ts), after the others: the district's workbooks write the fee as an amount,
// the province's system as yes/no, each under its own headers. Hạ Hoà's files of 2023 also give the procedure's
// code, as the portal's exports do.
const DISTRICT_INDICATOR_HEADER = ['Mã thủ tục', 'Thanh toán trực tuyến', 'Phí, lệ phí', 'Số hoá', 'Kết quả điện tử', 'Đánh giá hài lòng'];
const DISTRICT_INDICATOR_WIDTHS = [12, 14, 12, 10, 12, 18];
const COMMUNE_INDICATOR_HEADER = ['Mã TTHC', 'Thanh toán trực tuyến', 'Có phí/lệ phí', 'Số hóa', 'Kết quả điện tử', 'Mức độ hài lòng'];
const PROVINCE_INDICATOR_HEADER = COMMUNE_INDICATOR_HEADER.slice(1);

/** The optional cells of a dossier: the fee as an amount (the district's workbooks) or as yes/no. */
function indicatorRow(d: IndicatorSource, feeAsAmount: boolean): Cell[] {
  const c = indicatorCells(d);
  return [c.paidOnline, feeAsAmount ? c.fee : c.fee > 0 ? 'Có' : 'Không', c.digitised, c.electronicResult, c.satisfaction];
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hà', 'Đinh', 'Ngô', 'Dương'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Ngọc', 'Quang', 'Hữu', 'Thanh', 'Xuân'];
const GIVEN = [
  'An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hoa', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Ngân',
  'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến',
];

/** Personal-data cells with values no one can take for real: "(giả)" names, 0000 phone numbers, "Thôn Mẫu". */
function fakePerson(random: Random, unit: DemoUnit): [string, string, string] {
  const name = `${random.pick(SURNAMES)} ${random.pick(MIDDLE)} ${random.pick(GIVEN)} (giả)`;
  const phone = `0000${String(random.int(0, 999_999)).padStart(6, '0')}`;
  const place = unit.level === 'huyen' ? 'huyện Hạ Hoà' : unit.name.replace(/^UBND /, '');
  return [name, phone, `Thôn Mẫu ${random.int(1, 12)}, ${place} (địa chỉ giả)`];
}

/** 'yyyy-MM-dd HH:mm:ss' → 'dd/MM/yyyy HH:mm' (or 'dd/MM/yyyy' for a day). */
function vnText(time: WallClock | null, withTime = true): string | null {
  if (!time) return null;
  const day = `${time.slice(8, 10)}/${time.slice(5, 7)}/${time.slice(0, 4)}`;
  return withTime ? `${day} ${time.slice(11, 16)}` : day;
}

/** An Excel date cell showing the wall-clock time (exceljs writes a Date's UTC fields as the shown time). */
function excelDate(time: WallClock | null): Date | null {
  if (!time) return null;
  return new Date(Date.UTC(+time.slice(0, 4), +time.slice(5, 7) - 1, +time.slice(8, 10), +time.slice(11, 13), +time.slice(14, 16)));
}

function monthTitle(month: string): [string, string] {
  const [y, m] = month.split('-');
  const last = new Date(Date.UTC(+y, +m, 0)).getUTCDate();
  return [`THÁNG ${m}/${y}`, `(Từ ngày 01/${m}/${y} đến ngày ${last}/${m}/${y}; tình trạng hồ sơ đến ngày ${vnText(AS_OF, false)})`];
}

function districtRows(dossiers: DemoDossier[], random: Random, dateCells: boolean, unitName: string, indicators: boolean): Cell[][] {
  const date = (t: WallClock | null) => (dateCells ? excelDate(t) : vnText(t));
  return dossiers.map((d, i) => [
    i + 1, d.code, d.procedure.name, d.procedure.field, ...fakePerson(random, d.unit),
    DISTRICT_WORDS.channel[d.channel], date(d.receivedAt), date(d.dueAt), date(d.endedAt), date(d.returnedAt),
    DISTRICT_WORDS.status[d.status], unitName,
    ...(indicators ? [d.procedure.code, ...indicatorRow(d, true)] : []),
  ]);
}

function communeRows(dossiers: DemoDossier[], random: Random, indicators: boolean): Cell[][] {
  return dossiers.map((d, i) => [
    i + 1, d.code, d.unit.name, d.procedure.name, d.procedure.field, ...fakePerson(random, d.unit),
    COMMUNE_WORDS.channel[d.channel], vnText(d.receivedAt), vnText(d.dueAt, false), vnText(d.endedAt),
    vnText(d.returnedAt), COMMUNE_WORDS.status[d.status],
    ...(indicators ? [d.procedure.code, ...indicatorRow(d, false)] : []),
  ]);
}

/** Who exports a file: the district's office, or the district's office for all its communes at once. */
interface Exporter {
  slug: string;
  level: DemoUnit['level'];
}
const DISTRICT_EXPORTER: Exporter = { slug: HA_HOA_EXPORT_DIRS[1], level: 'huyen' };
const COMMUNES_EXPORTER: Exporter = { slug: HA_HOA_EXPORT_DIRS[0], level: 'xa' };

/**
 * Groups dossiers by exporter and month of receipt, in that order. The communes' dossiers come in one file a
 * month, as the province's one-stop system exports them for a district's communes (with a unit column); each
 * file lists its dossiers by time of receipt.
 */
function byExporterAndMonth(dossiers: DemoDossier[]): Array<{ exporter: Exporter; unit: DemoUnit; month: string; dossiers: DemoDossier[] }> {
  const groups = new Map<string, { exporter: Exporter; unit: DemoUnit; month: string; dossiers: DemoDossier[] }>();
  for (const d of dossiers) {
    const exporter = d.unit.level === 'xa' ? COMMUNES_EXPORTER : DISTRICT_EXPORTER;
    const month = d.receivedAt.slice(0, 7);
    const key = `${exporter.slug}|${month}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { exporter, unit: d.unit, month, dossiers: [] }));
    group.dossiers.push(d);
  }
  const byTime = (a: DemoDossier, b: DemoDossier) =>
    a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  return [...groups.values()]
    .sort((a, b) => (a.exporter.slug < b.exporter.slug ? -1 : a.exporter.slug > b.exporter.slug ? 1 : a.month < b.month ? -1 : 1))
    .map((g) => ({ ...g, dossiers: g.dossiers.sort(byTime) }));
}

/** Writes the catalogues and the exports under outDir (its danh-muc/ and ho-so/ folders are replaced). */
export async function writeDemoFiles(dataset: DemoDataset, outDir: string, seed: number): Promise<DemoFiles> {
  const catalogueDir = join(outDir, CATALOGUE_DIR);
  const exportsDir = join(outDir, EXPORTS_DIR);
  rmSync(catalogueDir, { recursive: true, force: true });
  rmSync(exportsDir, { recursive: true, force: true });
  mkdirSync(catalogueDir, { recursive: true });

  const unitCatalogue = join(catalogueDir, 'don-vi.csv');
  writeCsvFile(unitCatalogue, [
    ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Mã đơn vị cấp trên'],
    ...dataset.units.map((u) => [u.code, u.name, u.level === 'huyen' ? 'Huyện' : 'Xã', u.parentCode]),
  ], ',');

  const procedureCatalogue = join(catalogueDir, 'thu-tuc.xlsx');
  await writeXlsxFile(procedureCatalogue, {
    sheetName: 'Danh mục TTHC',
    title: ['DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP HUYỆN, UBND CẤP XÃ - HUYỆN HẠ HOÀ'],
    header: ['STT', 'Mã thủ tục', 'Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Mức độ', 'Thời hạn giải quyết'],
    rows: dataset.procedures.map((p, i) => [
      i + 1, p.code, p.name, p.field, p.level === 'huyen' ? 'Cấp huyện' : 'Cấp xã', `Mức độ ${p.onlineLevel}`, durationText(p),
    ]),
    footer: [[`Tổng số: ${dataset.procedures.length} thủ tục`]],
    widths: [6, 12, 90, 30, 14, 10, 30],
  });

  // Fake personal data from its own stream, so that it does not shift the dossiers drawn from the seed.
  const random = mulberry32(seed ^ 0x5eed);
  const exports: string[] = [];
  for (const { exporter, unit, month, dossiers } of byExporterAndMonth(dataset.dossiers)) {
    const dir = join(exportsDir, exporter.slug);
    mkdirSync(dir, { recursive: true });
    const [monthLine, rangeLine] = monthTitle(month);
    if (exporter.level === 'huyen') {
      const path = join(dir, `ho-so-${exporter.slug}-${month}.xlsx`);
      // The district's system was upgraded in 2022: Excel date cells, and the name written "Hạ Hòa".
      const upgraded = month >= '2022-01';
      const indicators = month >= HA_HOA_INDICATORS_FROM;
      const unitName = upgraded ? unit.name.replace('Hoà', 'Hòa') : unit.name;
      await writeXlsxFile(path, {
        sheetName: 'Danh sách hồ sơ',
        title: [unit.name.replace('UBND', 'ỦY BAN NHÂN DÂN').toUpperCase(), 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ', `DANH SÁCH HỒ SƠ TIẾP NHẬN ${monthLine}`, rangeLine],
        header: indicators ? [...DISTRICT_HEADER, ...DISTRICT_INDICATOR_HEADER] : DISTRICT_HEADER,
        rows: districtRows(dossiers, random, upgraded, unitName, indicators),
        footer: [[`Tổng số: ${dossiers.length} hồ sơ`], [], [null, null, null, null, null, null, null, null, null, 'Người lập biểu'], [null, null, null, null, null, null, null, null, null, '(Ký, ghi rõ họ tên)']],
        widths: indicators ? [...DISTRICT_WIDTHS, ...DISTRICT_INDICATOR_WIDTHS] : DISTRICT_WIDTHS,
        dateFormat: 'dd/mm/yyyy hh:mm',
      });
      exports.push(path);
    } else {
      const path = join(dir, `ho-so-${exporter.slug}-${month}.csv`);
      const indicators = month >= HA_HOA_INDICATORS_FROM;
      const header = indicators ? [...COMMUNE_HEADER, ...COMMUNE_INDICATOR_HEADER] : COMMUNE_HEADER;
      writeCsvFile(path, [header, ...communeRows(dossiers, random, indicators)], ';');
      exports.push(path);
    }
  }
  const province = writeProvinceFiles(dataset.province, catalogueDir, exportsDir, random);
  exports.push(...province.exports);
  return { unitCatalogue, procedureCatalogue, provinceCatalogue: province.catalogue, exportsDir, exports };
}

/**
 * The province's files: its unit catalogue (validity and successors) in catalogueDir, its monthly exports in
 * exportsDir/phu-tho. `random` draws the fake personal data.
 */
export function writeProvinceFiles(
  dossiers: ProvinceDossier[],
  catalogueDir: string,
  exportsDir: string,
  random: Random = mulberry32(0x5eed),
): { catalogue: string; exports: string[] } {
  mkdirSync(catalogueDir, { recursive: true });
  const catalogue = join(catalogueDir, 'don-vi-phu-tho.csv');
  writeCsvFile(catalogue, [
    ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Hiệu lực từ', 'Hiệu lực đến', 'Mã đơn vị kế thừa'],
    ...PROVINCE_UNITS.map((u) => [u.code, u.name, LEVEL_WORDS[u.level], vnText(u.validFrom, false), vnText(u.validTo, false), u.successorCode]),
  ], ',');
  return { catalogue, exports: writeProvinceExports(dossiers, exportsDir, random) };
}

const LEVEL_WORDS = { tinh: 'Tỉnh', huyen: 'Huyện', xa: 'Xã' } as const;
const PROVINCE_SLUG = PROVINCE_EXPORT_DIR;

/**
 * The province's exports, one CSV a month of receipt from its one-stop system: until June 2025 with the one unit
 * column of the time ("Đơn vị tiếp nhận"); from July 2025 with where the dossier was received (the public-service
 * centres) and the agency that resolves it, as the systems of two-level local government export them. Every
 * month carries QĐ 766's optional columns; from July 2025 a few dossiers lack their due day (indicators.ts).
 */
function writeProvinceExports(dossiers: ProvinceDossier[], exportsDir: string, random: Random): string[] {
  const dir = join(exportsDir, PROVINCE_SLUG);
  mkdirSync(dir, { recursive: true });
  const byMonth = new Map<string, ProvinceDossier[]>();
  for (const d of dossiers) {
    const month = d.receivedAt.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), d]);
  }
  const paths: string[] = [];
  for (const [month, list] of [...byMonth].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.code < b.code ? -1 : 1));
    const twoLevels = `${month}-01` >= TWO_LEVELS_FROM;
    const header = [
      ...(twoLevels ? ['STT', 'Số hồ sơ', 'Nơi tiếp nhận', 'Cơ quan giải quyết', ...COMMUNE_HEADER.slice(3)] : COMMUNE_HEADER),
      ...PROVINCE_INDICATOR_HEADER,
    ];
    const rows = list.map((d, i) => {
      const place = d.unit.name.replace(/^(UBND|Sở Tư pháp) /, '');
      const person = fakePerson(random, { level: 'xa', name: `UBND ${place}` } as DemoUnit);
      return [
        i + 1, d.code, ...(twoLevels ? [d.unit.receivedAt, d.unit.name] : [d.unit.name]), d.procedure.name, d.procedure.field, ...person,
        COMMUNE_WORDS.channel[d.channel], vnText(d.receivedAt), dueLeftOut(d) ? null : vnText(d.dueAt, false), vnText(d.endedAt),
        vnText(d.returnedAt), COMMUNE_WORDS.status[d.status], ...indicatorRow(d, false),
      ];
    });
    const path = join(dir, `ho-so-${PROVINCE_SLUG}-${month}.csv`);
    writeCsvFile(path, [header, ...rows], ';');
    paths.push(path);
  }
  return paths;
}
