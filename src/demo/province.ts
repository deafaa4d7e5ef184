import type { Channel } from '../domain/channels.ts';
import type { WallClock } from '../domain/dates.ts';
import type { Level } from '../domain/levels.ts';
import { LAST_DAY_OF_DISTRICTS, TWO_LEVELS_FROM } from '../domain/reform.ts';
import type { Status } from '../domain/statuses.ts';
import { dayNumber, dayText, WorkingDays, type DayNumber } from './calendar.ts';
import { PROCEDURES, type DemoProcedure } from './ha-hoa.ts';
import { mulberry32, WeightedPicker, type Random } from './random.ts';

// The demo's second dataset: part of a province across the reform of 1 July 2025, from 2024 to its export day in
// 2026. Until 30/06/2025 two districts (Tam Nông, Thanh Thủy) and their communes receive and resolve dossiers;
// from 01/07/2025 the merged communes resolve them and their public-service centres receive them, and a
// department's dossiers are received by the province's centre. The catalogue chains every old unit to the unit
// that took over its work. Place names are Phú Thọ's; the arrangement is made up for the demo, not the one the
// province decided.

export interface ProvinceUnit {
  code: string;
  name: string;
  level: Level;
  validFrom: string | null;
  validTo: string | null;
  successorCode: string | null;
  /** Where its dossiers are received from 01/07/2025 (a public-service centre); null before the reform. */
  receivedAt: string | null;
  /** Relative size of its flow of dossiers. */
  weight: number;
}

export interface ProvinceDossier {
  code: string;
  unit: ProvinceUnit;
  procedure: DemoProcedure;
  channel: Channel;
  receivedAt: WallClock;
  dueAt: WallClock;
  endedAt: WallClock | null;
  returnedAt: WallClock | null;
  status: Status;
}

/** The day the province's exports were taken: nothing is received or ends after it. */
export const PROVINCE_AS_OF = '2026-11-30';
export const PROVINCE_FROM = '2024-01-01';
export const PROVINCE_CENTRE = 'Trung tâm Phục vụ hành chính công tỉnh Phú Thọ';

const centre = (commune: string) => `Trung tâm Phục vụ hành chính công xã ${commune}`;
const before = (code: string, name: string, level: Level, successorCode: string, weight: number): ProvinceUnit => ({
  code, name, level, validFrom: PROVINCE_FROM, validTo: LAST_DAY_OF_DISTRICTS, successorCode, receivedAt: null, weight,
});
const after = (code: string, commune: string, weight: number): ProvinceUnit => ({
  code, name: `UBND xã ${commune}`, level: 'xa', validFrom: TWO_LEVELS_FROM, validTo: null, successorCode: null,
  receivedAt: centre(commune), weight,
});

// The catalogue starts with the province's data (01/01/2024): the Hạ Hoà report of the same database, 2020–2023,
// then lists only Hạ Hoà's units.
export const PROVINCE_UNITS: ProvinceUnit[] = [
  {
    code: '000.00.12.H47', name: 'Sở Tư pháp tỉnh Phú Thọ', level: 'tinh', validFrom: PROVINCE_FROM, validTo: null,
    successorCode: null, receivedAt: PROVINCE_CENTRE, weight: 2,
  },
  before('000.00.21.H47', 'UBND huyện Tam Nông', 'huyen', '001.01.21.H47', 4),
  before('000.01.21.H47', 'UBND thị trấn Hưng Hoá', 'xa', '001.01.21.H47', 1.6),
  before('000.02.21.H47', 'UBND xã Dậu Dương', 'xa', '001.01.21.H47', 0.8),
  before('000.03.21.H47', 'UBND xã Thượng Nông', 'xa', '001.01.21.H47', 0.9),
  before('000.04.21.H47', 'UBND xã Hồng Đà', 'xa', '001.02.21.H47', 0.9),
  before('000.05.21.H47', 'UBND xã Vạn Xuân', 'xa', '001.02.21.H47', 1),
  before('000.00.22.H47', 'UBND huyện Thanh Thủy', 'huyen', '001.01.22.H47', 4),
  before('000.01.22.H47', 'UBND thị trấn Thanh Thủy', 'xa', '001.01.22.H47', 1.5),
  before('000.02.22.H47', 'UBND xã Đào Xá', 'xa', '001.01.22.H47', 1),
  before('000.03.22.H47', 'UBND xã Hoàng Xá', 'xa', '001.01.22.H47', 0.9),
  // A commune that went on unchanged: the same unit before and after, received by its centre after.
  {
    code: '000.04.22.H47', name: 'UBND xã Tu Vũ', level: 'xa', validFrom: PROVINCE_FROM, validTo: null, successorCode: null,
    receivedAt: centre('Tu Vũ'), weight: 1,
  },
  after('001.01.21.H47', 'Tam Nông', 5),
  after('001.02.21.H47', 'Hiền Quan', 2.2),
  after('001.01.22.H47', 'Thanh Thủy', 5),
];

/** The units valid on a day. */
function unitsOn(day: string): ProvinceUnit[] {
  return PROVINCE_UNITS.filter((u) => (u.validFrom === null || u.validFrom <= day) && (u.validTo === null || u.validTo >= day));
}

const calendar = new WorkingDays(PROVINCE_FROM, '2027-03-31');
const asOf = dayNumber(PROVINCE_AS_OF);
const lastDayOfDistricts = dayNumber(LAST_DAY_OF_DISTRICTS);
/** Dossiers per working day, all units together. */
const PER_DAY = 9;
/** Share of online receipts: rising year by year, as the targets ask. */
const ONLINE_SHARE: Record<string, number> = { '2024': 0.45, '2025': 0.6, '2026': 0.75 };

const pad = (n: number) => String(n).padStart(2, '0');
const at = (day: DayNumber, minute: number): WallClock => `${dayText(day)} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00`;
const officeMinute = (random: Random) => (random.chance(0.55) ? random.int(450, 690) : random.int(810, 1020));

/**
 * The province's dossiers, the same for the same seed: each working day from 01/01/2024 to the export day, a few
 * dossiers for the units valid that day, ended early, on time or late (or rejected, withdrawn, still pending).
 * A dossier of a unit that ended on 30/06/2025 ends by then: the districts and communes closed their files
 * before the reform.
 */
export function generateProvince(seed: number): ProvinceDossier[] {
  const random = mulberry32(seed ^ 0x2025);
  const procedures = {
    tinh: picker(PROCEDURES.huyen.filter((p) => p.field === 'Hộ tịch' || p.field === 'Chứng thực' || p.field === 'Tư pháp')),
    huyen: picker(PROCEDURES.huyen.filter((p) => p.field !== 'Bảo hiểm xã hội')),
    xa: picker(PROCEDURES.xa.filter((p) => p.field !== 'Bảo hiểm xã hội')),
  };
  const dossiers: ProvinceDossier[] = [];
  const [start, end] = calendar.range(dayNumber(PROVINCE_FROM), asOf);
  let units: WeightedPicker<ProvinceUnit> | undefined;
  let unitsDay = '';
  for (let i = start; i < end; i++) {
    const day = calendar.days[i];
    const text = dayText(day);
    const period = text < TWO_LEVELS_FROM ? 'before' : 'after';
    if (period !== unitsDay) {
      const valid = unitsOn(text);
      units = new WeightedPicker(valid, valid.map((u) => u.weight));
      unitsDay = period;
    }
    const count = random.int(PER_DAY - 4, PER_DAY + 4);
    for (let k = 0; k < count; k++) {
      const unit = units!.pick(random);
      const procedure = procedures[unit.level].pick(random);
      const online = procedure.onlineLevel >= 3 && random.chance(ONLINE_SHARE[text.slice(0, 4)]);
      const channel: Channel = online ? 'truc_tuyen' : random.chance(0.04) ? 'buu_chinh' : 'truc_tiep';
      dossiers.push(dossierOf(unit, procedure, channel, day, random));
    }
  }
  assignCodes(dossiers);
  return dossiers;
}

function picker(list: DemoProcedure[]): WeightedPicker<DemoProcedure> {
  return new WeightedPicker(list, list.map((p) => p.weight));
}

function dossierOf(unit: ProvinceUnit, procedure: DemoProcedure, channel: Channel, received: DayNumber, random: Random): ProvinceDossier {
  const receivedMinute = officeMinute(random);
  const due = calendar.add(received, procedure.days);
  const x = random.next();
  // Most end before their due day, some on it, a few after; a few are rejected or withdrawn.
  let endDay =
    x < 0.8 ? calendar.add(received, random.int(0, Math.max(0, procedure.days - 1)))
    : x < 0.93 ? due
    : calendar.add(due, random.int(1, 8));
  if (unit.validTo !== null && endDay > lastDayOfDistricts) endDay = calendar.days[calendar.lowerBound(lastDayOfDistricts + 1) - 1];
  if (endDay < received) endDay = received;
  const dossier: ProvinceDossier = {
    code: '', unit, procedure, channel, receivedAt: at(received, receivedMinute), dueAt: at(due, 17 * 60),
    endedAt: null, returnedAt: null, status: 'processing',
  };
  if (endDay > asOf) return dossier;
  const endMinute = endDay === received ? Math.min(receivedMinute + random.int(15, 240), 23 * 60 + 59) : officeMinute(random);
  dossier.endedAt = at(endDay, endMinute);
  const y = random.next();
  if (y < 0.01) dossier.status = 'rejected';
  else if (y < 0.02) dossier.status = 'withdrawn';
  else {
    const returned = calendar.add(endDay, random.int(0, 2));
    if (returned > asOf || (unit.validTo !== null && returned > lastDayOfDistricts) || random.chance(0.05)) dossier.status = 'finished';
    else {
      dossier.status = 'returned';
      dossier.returnedAt = at(returned, returned === endDay ? Math.min(endMinute + 30, 23 * 60 + 59) : officeMinute(random));
    }
  }
  return dossier;
}

/** Codes as the one-stop systems give them since Thông tư 04/2025: agency code, receipt day (yyMMdd), sequence. */
function assignCodes(dossiers: ProvinceDossier[]): void {
  const seq = new Map<string, number>();
  for (const d of dossiers) {
    const day = d.receivedAt.slice(0, 10);
    const prefix = `${d.unit.code}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-`;
    const n = (seq.get(prefix) ?? 0) + 1;
    seq.set(prefix, n);
    d.code = prefix + String(n).padStart(4, '0');
  }
}
