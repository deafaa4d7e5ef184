import { processingWorkingDays } from '../../src/domain/due-day.ts';
import type { Channel } from '../../src/domain/channels.ts';
import type { Status } from '../../src/domain/statuses.ts';
import { classifyDossier } from '../../src/domain/outcome.ts';
import type { DossierTable } from '../../src/db/schema.ts';
import { pickWeighted, prng, type Random } from './prng.ts';
import type { BenchUnit, ProcedureSpec, Province } from './province.ts';

// Generated dossiers: the same seed gives the same dossiers, whichever file format or database they end up in.
// Times are minutes since BASE (Vietnam wall clock); the formatters below turn them into the text of an export
// or of the database without going through Date, so that generating millions of rows stays cheap.

/** Bump when the generated data changes: cached files and databases carry it in their names. */
export const GENERATOR_VERSION = 1;

export interface BenchDossier {
  index: number;
  code: string;
  unit: BenchUnit;
  procedure: ProcedureSpec;
  channel: Channel;
  received: number;
  due: number | null;
  ended: number | null;
  returned: number | null;
  status: Status;
}

export interface GenerateOptions {
  /** First and last day of receipt, 'yyyy-MM-dd'. */
  from?: string;
  to?: string;
}

const BASE_UTC_MS = Date.UTC(2019, 0, 1);
const DAY_COUNT = 365 * 8 + 2; // 2019-01-01 … 2026-12-31
const DAY_ISO: string[] = [];
const DAY_DMY: string[] = [];
const DAY_YYMMDD: string[] = [];
const DAY_OF_WEEK: number[] = [];
const DAY_YEAR: number[] = [];
for (let d = 0; d < DAY_COUNT; d++) {
  const iso = new Date(BASE_UTC_MS + d * 86_400_000).toISOString().slice(0, 10);
  DAY_ISO.push(iso);
  DAY_DMY.push(`${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`);
  DAY_YYMMDD.push(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10));
  DAY_OF_WEEK.push(new Date(BASE_UTC_MS + d * 86_400_000).getUTCDay());
  DAY_YEAR.push(Number(iso.slice(0, 4)));
}
const HM: string[] = Array.from({ length: 1440 }, (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

function dayIndex(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - BASE_UTC_MS) / 86_400_000);
}

/** 'yyyy-MM-dd HH:mm:ss', as the database stores it. */
export function wallClock(minutes: number): string {
  return `${DAY_ISO[Math.floor(minutes / 1440)]} ${HM[minutes % 1440]}:00`;
}
/** 'dd/MM/yyyy HH:mm', as one-stop systems export it. */
export function exportDate(minutes: number): string {
  return `${DAY_DMY[Math.floor(minutes / 1440)]} ${HM[minutes % 1440]}`;
}
/** A Date whose UTC fields are the wall-clock time: what exceljs writes as the cell's shown time. */
export function cellDate(minutes: number): Date {
  return new Date(BASE_UTC_MS + minutes * 60_000);
}

const ONLINE_SHARE_BY_YEAR: Record<number, number> = { 2019: 0.05, 2020: 0.08, 2021: 0.18, 2022: 0.32, 2023: 0.46, 2024: 0.62, 2025: 0.7 };
const LEVEL_ONLINE_FACTOR = { tinh: 1.25, huyen: 1, xa: 0.8 } as const;

function addWorkingDays(day: number, days: number): number {
  let d = day;
  for (let left = days; left > 0; ) {
    d++;
    const dow = DAY_OF_WEEK[d];
    if (dow !== 0 && dow !== 6) left--;
  }
  return d;
}

/** Minute within working hours (08:00–17:00) of a day, not before `notBefore`. */
function workingMinute(random: Random, day: number, notBefore: number): number {
  const t = day * 1440 + 480 + Math.floor(random() * 540);
  return t >= notBefore ? t : notBefore + 5 + Math.floor(random() * 60);
}

/**
 * Dossiers received between `from` and `to` (default 2020–2024), in order of receipt, as a one-stop system lists
 * them. Those whose processing would end after `to` are still pending (processing or supplement requested).
 */
export function* generateDossiers(count: number, seed: number, province: Province, options: GenerateOptions = {}): Generator<BenchDossier> {
  const random = prng(seed);
  const first = dayIndex(options.from ?? '2020-01-01');
  const last = dayIndex(options.to ?? '2024-12-31');
  const cutoff = (last + 1) * 1440; // first minute after the last day

  // Dossiers per day: weekdays, a little on Saturdays (online), slowly growing year after year.
  const weights: number[] = [];
  for (let d = first; d <= last; d++) {
    const dow = DAY_OF_WEEK[d];
    weights.push((dow === 0 ? 0.03 : dow === 6 ? 0.15 : 1) * (1 + 0.08 * (DAY_YEAR[d] - 2020)));
  }
  const total = weights.reduce((a, b) => a + b, 0);

  let index = 0;
  let expected = 0;
  for (let d = first; d <= last; d++) {
    const before = Math.floor(expected);
    expected += (count * weights[d - first]) / total;
    const n = d === last ? count - index : Math.floor(expected) - before;
    const today: BenchDossier[] = [];
    for (let k = 0; k < n; k++) today.push(oneDossier(random, province, d, cutoff));
    today.sort((a, b) => a.received - b.received);
    const yymmdd = DAY_YYMMDD[d];
    for (let k = 0; k < today.length; k++) {
      const dossier = today[k];
      dossier.index = index++;
      dossier.code = `${dossier.unit.agency}-${yymmdd}-${String(k + 1).padStart(5, '0')}`;
      yield dossier;
    }
  }
}

function oneDossier(random: Random, province: Province, day: number, cutoff: number): BenchDossier {
  const unit = province.units[pickWeighted(random, province.unitWeights)];
  const procedure = unit.procedures[pickWeighted(random, unit.procedureWeights)];
  const year = DAY_YEAR[day];

  let channel: Channel;
  const c = random();
  const online = Math.min(0.95, ONLINE_SHARE_BY_YEAR[year] * LEVEL_ONLINE_FACTOR[unit.level]);
  if (procedure.lienThong && c < procedure.lienThong) channel = 'lien_thong';
  else if (c < online) channel = 'truc_tuyen';
  else if (c > 0.985) channel = 'buu_chinh';
  else channel = 'truc_tiep';

  // Online dossiers arrive at any hour; the others during office hours (and on weekends only online).
  const dow = DAY_OF_WEEK[day];
  if ((dow === 0 || dow === 6) && channel !== 'truc_tuyen' && channel !== 'lien_thong') channel = 'truc_tuyen';
  const received = day * 1440 + (channel === 'truc_tuyen' ? Math.floor(random() * 1440) : 450 + Math.floor(random() * 570));

  const dueDay = addWorkingDays(day, procedure.days);
  const due = random() < 0.04 ? null : Math.max(received, dueDay * 1440 + 1020);

  // How processing ends: rejected, withdrawn, or finished early / on time / late against the due day.
  const r = random();
  let status: Status;
  let endDay: number;
  const limit = due === null ? day + procedure.days + Math.floor(random() * 5) : dueDay;
  if (r < 0.015) {
    status = 'rejected';
    endDay = day + Math.floor(random() * (limit - day + 1));
  } else if (r < 0.023) {
    status = 'withdrawn';
    endDay = day + Math.floor(random() * (limit - day + 1));
  } else {
    status = 'finished';
    const q = random();
    if (q < 0.05) endDay = limit + 1 + Math.floor(random() * random() * 20);
    else if (q < 0.5 || limit === day) endDay = limit;
    else endDay = day + Math.floor(random() * (limit - day));
  }
  let ended: number | null = workingMinute(random, endDay, received + 1);
  if (due !== null && status === 'finished' && Math.floor(ended / 1440) > dueDay && endDay <= dueDay) ended = Math.max(received + 1, dueDay * 1440 + 1000);
  let returned: number | null = null;
  if (status === 'finished' && random() < 0.85) {
    status = 'returned';
    const back = random() < 0.6 ? 0 : 1 + Math.floor(random() * 3);
    returned = workingMinute(random, Math.floor(ended / 1440) + back, ended + 1);
    if (returned >= cutoff) {
      status = 'finished';
      returned = null;
    }
  }
  if (ended >= cutoff) {
    status = random() < 0.92 ? 'processing' : 'supplement_requested';
    ended = null;
    returned = null;
  }
  return { index: 0, code: '', unit, procedure, channel, received, due, ended, returned, status };
}

/** The dossiers table row the importer would store for a generated dossier (unit code as given). */
export function dossierRow(d: BenchDossier, unitCode: string, batchId = 1): DossierTable {
  return {
    code: d.code,
    unit_code: unitCode,
    receiving_unit: null,
    procedure_code: null,
    procedure_name: d.procedure.name,
    field: d.procedure.field,
    channel: d.channel,
    received_at: wallClock(d.received),
    due_at: d.due === null ? null : wallClock(d.due),
    ended_at: d.ended === null ? null : wallClock(d.ended),
    end_from_returned: 0,
    returned_at: d.returned === null ? null : wallClock(d.returned),
    status: d.status,
    created_batch_id: batchId,
    updated_batch_id: batchId,
    ...classifyDossier({ status: d.status, due_at: d.due === null ? null : wallClock(d.due), ended_at: d.ended === null ? null : wallClock(d.ended) }),
    due_computed: 0,
    processing_working_days: processingWorkingDays(wallClock(d.received), d.ended === null ? null : wallClock(d.ended)),
  };
}

// Personal data of the exports (dropped by the importer), from their own PRNG so that the dossiers stay the same.
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Quang', 'Ngọc', 'Xuân', 'Thu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hạnh', 'Hoa', 'Hùng', 'Huyền', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Ngân', 'Phong', 'Quý', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Việt', 'Yến'];

export class PersonalData {
  private readonly random: Random;
  constructor(seed: number) {
    this.random = prng(seed ^ 0x9e3779b9);
  }
  next(unit: BenchUnit): { name: string; phone: string; address: string } {
    const r = this.random;
    const name = `${FAMILY[Math.floor(r() * FAMILY.length)]} ${MIDDLE[Math.floor(r() * MIDDLE.length)]} ${GIVEN[Math.floor(r() * GIVEN.length)]}`;
    const phone = `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    const place = unit.level === 'xa' ? unit.name.replace(/^UBND /, '') : 'xã Tiên Kiên';
    const address = `Thôn ${1 + Math.floor(r() * 12)}, ${place}, tỉnh Phú Thọ`;
    return { name, phone, address };
  }
}
