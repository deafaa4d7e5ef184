import type { Channel } from '../domain/channels.ts';
import type { WallClock } from '../domain/dates.ts';
import { dueDayOf } from '../domain/due-day.ts';
import type { Status } from '../domain/statuses.ts';
import type { DemoProcedure } from './ha-hoa.ts';
import { mulberry32, type Random } from './random.ts';

// What the demo's recent exports carry beyond the dossier itself: QĐ 766's optional columns (paid online, fee,
// digitised, electronic result, the citizen's rating) and the procedure catalogue's "Thời hạn giải quyết". Every
// value is drawn from a generator seeded from the dossier's code, never from the streams that draw the dossiers
// and the fake personal data, so that adding these columns leaves every other cell, and every figure, as it was.

/** The first month of Hạ Hoà's exports that carry QĐ 766's columns: the portal added them for 2023. */
export const HA_HOA_INDICATORS_FROM = '2023-01';
/** From this month on a few of the province's dossiers come without a due day (the new systems of the reform). */
export const PROVINCE_DUE_GAPS_FROM = '2025-07';
/** Share of the province's dossiers, from PROVINCE_DUE_GAPS_FROM, exported without their due day. */
const DUE_GAP_SHARE = 0.01;

/** The part of a dossier its optional columns depend on (both the district's and the province's). */
export interface IndicatorSource {
  code: string;
  procedure: DemoProcedure;
  channel: Channel;
  receivedAt: WallClock;
  dueAt: WallClock | null;
  endedAt: WallClock | null;
  status: Status;
}

/** The five optional columns of one dossier, as the export writes them (null: a blank cell, the export says nothing). */
export interface IndicatorCells {
  paidOnline: string | null;
  /** The fee in đồng (0: none): the district's workbooks write the amount, the CSVs "Có"/"Không". */
  fee: number;
  digitised: string | null;
  electronicResult: string | null;
  satisfaction: string | null;
}

/** FNV-1a of a text: the seed of a dossier's own generator. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A generator of its own for one dossier and one purpose, the same for the same code. */
export function dossierRandom(code: string, purpose: string): Random {
  return mulberry32(hash(`${purpose}|${code}`));
}

// Fees and charges (phí, lệ phí) by field, in đồng, of the order the provinces' resolutions set; 0 where the field's
// procedures are free (social protection, people with merit, most commune certifications of status).
const FEE_OF_FIELD: Record<string, number> = {
  'Đất đai': 100_000, 'Chứng thực': 10_000, 'Kinh doanh': 100_000, 'Xây dựng': 75_000, 'Thương mại': 200_000,
  'Tài nguyên và Môi trường': 300_000, 'Giao thông vận tải': 50_000, 'Y tế': 150_000,
};

/**
 * The procedure's fee: its field's, except in hộ tịch, where registering a birth, a death or a marriage in the
 * commune is free (Luật Hộ tịch 2014, Điều 11) and the cases with a foreign element and the changes of records are not.
 */
export function feeOf(procedure: DemoProcedure): number {
  if (procedure.field === 'Hộ tịch') {
    if (procedure.name.includes('nước ngoài')) return 1_000_000;
    return /^(Thay đổi|Cải chính|Trích lục|Cấp bản sao)/.test(procedure.name) ? 15_000 : 0;
  }
  return FEE_OF_FIELD[procedure.field] ?? 0;
}

/** Shares rising year by year as the portal's services spread: paid online (of the online dossiers with a fee), digitised, electronic result. */
const RISING: Record<string, { paid: number; digitised: number; electronic: number }> = {
  '2023': { paid: 0.2, digitised: 0.3, electronic: 0.12 },
  '2024': { paid: 0.3, digitised: 0.45, electronic: 0.25 },
  '2025': { paid: 0.45, digitised: 0.6, electronic: 0.4 },
  '2026': { paid: 0.6, digitised: 0.75, electronic: 0.55 },
};

/** The optional columns of a dossier, as its export on the export day shows them. */
export function indicatorCells(d: IndicatorSource): IndicatorCells {
  const random = dossierRandom(d.code, '766');
  const rising = RISING[d.receivedAt.slice(0, 4)] ?? RISING['2026'];
  const online = d.channel === 'truc_tuyen';
  const fee = feeOf(d.procedure);
  // Paid online only for a dossier submitted online; one handed in at the counter is paid there.
  const paidOnline = fee === 0 ? null : online && random.chance(rising.paid) ? 'Có' : 'Không';
  // Digitised and given an electronic result when the result was issued; an online dossier more often.
  const hasResult = d.status === 'finished' || d.status === 'returned';
  const digitised = hasResult ? (random.chance(Math.min(0.95, rising.digitised + (online ? 0.2 : 0))) ? 'Có' : 'Không') : null;
  const electronicResult = hasResult ? (random.chance(Math.min(0.95, rising.electronic + (online ? 0.15 : 0))) ? 'Có' : 'Không') : null;
  return { paidOnline, fee, digitised, electronicResult, satisfaction: satisfactionOf(d, random) };
}

/** The rating of a resolved dossier: most citizens give none; a late or rejected one is more often rated badly. */
function satisfactionOf(d: IndicatorSource, random: Random): string | null {
  if (d.endedAt === null || d.status === 'withdrawn') return null;
  const late = d.dueAt !== null && d.endedAt.slice(0, 10) > d.dueAt.slice(0, 10);
  const unhappy = d.status === 'rejected' ? 0.1 : late ? 0.08 : 0.005;
  const x = random.next();
  if (x < unhappy) return 'Không hài lòng';
  if (x < 0.55) return 'Chưa đánh giá';
  if (x < 0.82) return 'Hài lòng';
  if (x < 0.97) return 'Rất hài lòng';
  return 'Bình thường';
}

/**
 * Whether the province's export leaves out this dossier's due day, as a system does now and then: a few dossiers
 * from PROVINCE_DUE_GAPS_FROM, only those whose due day tthc's calendar computes again from the catalogue's
 * duration exactly as the generator set it, so that no figure changes (the generator's calendar lacks the
 * province's holidays: a dossier whose duration spans one is left with its due day).
 */
export function dueLeftOut(d: IndicatorSource): boolean {
  if (d.dueAt === null || d.receivedAt.slice(0, 7) < PROVINCE_DUE_GAPS_FROM) return false;
  if (!dossierRandom(d.code, 'due').chance(DUE_GAP_SHARE)) return false;
  return dueDayOf(d.receivedAt, { days: d.procedure.days, unit: 'working' }) === d.dueAt.slice(0, 10);
}

/** The catalogue's "Thời hạn giải quyết" of a procedure, in one of the wordings catalogues use, in working days. */
export function durationText(procedure: DemoProcedure): string {
  const days = String(procedure.days).padStart(2, '0');
  switch (hash(procedure.code) % 4) {
    case 0: return `Không quá ${days} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ`;
    case 1: return `${procedure.days} ngày làm việc`;
    default: return `${days} ngày làm việc`;
  }
}
