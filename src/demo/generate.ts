import type { Channel } from '../domain/channels.ts';
import type { WallClock } from '../domain/dates.ts';
import type { Status } from '../domain/statuses.ts';
import { dayNumber, dayText, WorkingDays, type DayNumber } from './calendar.ts';
import { COMMUNE_UNITS, DISTRICT, PROCEDURES, UNITS, type DemoLevel, type DemoProcedure, type DemoUnit } from './ha-hoa.ts';
import { generateProvince, type ProvinceDossier } from './province.ts';
import { mulberry32, WeightedPicker, type Random } from './random.ts';
import { AS_OF, carriedIntoFirst, EXCLUDED_FIELD, pendingChain, TARGETS, type PeriodTarget } from './targets.ts';

// Generates the demo dossiers so that, without Bảo hiểm xã hội, each period of TARGETS gets exactly its new
// receipts by channel and its resolved counts under the counting rules' (docs/rules.md) counting rules.
//
// The plan, per level: the dossiers that END in period i (resolved + withdrawn) are the ones pending at the end
// of period i−1 (received in its last weeks) plus ones received in period i; the dossiers RECEIVED in period i
// are the latter plus the ones still pending at its end. Every dossier therefore gets, before any date is drawn,
// its receipt period, its end period and its outcome, and the channels of a receipt period are dealt from a
// shuffled pool of exactly the published counts. Dates are then drawn to fit the outcome (early: end day before
// the due day; on time: the due day; late: after it), retrying with another day or procedure when they cannot.

export type Outcome = 'early' | 'onTime' | 'late' | 'rejected' | 'withdrawn' | 'pending';

export interface DemoDossier {
  code: string;
  unit: DemoUnit;
  procedure: DemoProcedure;
  channel: Channel;
  receivedAt: WallClock;
  dueAt: WallClock | null;
  endedAt: WallClock | null;
  returnedAt: WallClock | null;
  status: Status;
}

export interface DemoDataset {
  units: DemoUnit[];
  procedures: DemoProcedure[];
  /** Sorted by unit, then by time of receipt. */
  dossiers: DemoDossier[];
  /** Dossiers carried into 2020, per level (received in the last weeks of 2019). */
  carriedInto2020: Record<DemoLevel, number>;
  /** The province across the reform, 2024–2026 (province.ts): apart from Hạ Hoà's, which the targets fix. */
  province: ProvinceDossier[];
}

export const DEFAULT_SEED = 20230525;

/** Working days before a period's end in which its year-end pending dossiers are received. */
const TAIL_DAYS: Record<DemoLevel, number> = { huyen: 15, xa: 6 };
/** Bảo hiểm xã hội dossiers per period, per level: any figures, so that excluding the field matters. */
const BHXH_PER_PERIOD: Record<DemoLevel, number[]> = { huyen: [450, 600, 800, 300], xa: [350, 450, 500, 200] };
/** Liên thông dossiers (with the tax office, the police, social insurance) come from these fields. */
const LIEN_THONG_FIELDS = new Set(['Đất đai', 'Hộ tịch', 'Bảo trợ xã hội', 'Người có công']);

const MONTH_FACTOR = [1.15, 0.85, 1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.0, 1.1];
const WEEKDAY_FACTOR = [0, 1.15, 1.0, 1.0, 1.0, 0.9, 0];

const calendar = new WorkingDays('2019-11-01', '2023-06-30');
const asOf = dayNumber(AS_OF);

interface Window {
  from: DayNumber;
  to: DayNumber;
}

/** What a dossier must be before its dates are drawn. */
interface Slot {
  level: DemoLevel;
  /** Where its receipt day is drawn: a whole period (seasonal weights) or the last working days of one. */
  received: { window: Window; picker?: WeightedPicker<DayNumber> };
  /** The period its end day must fall in; null when it may end any day up to AS_OF (Bảo hiểm xã hội) or not at all. */
  ends: Window | null;
  outcome: Outcome;
  channel: Channel;
  bhxh: boolean;
}

export function generateDataset(seed: number = DEFAULT_SEED): DemoDataset {
  const random = mulberry32(seed);
  const slots: Slot[] = [];
  const carriedInto2020 = {} as Record<DemoLevel, number>;
  for (const level of ['huyen', 'xa'] as const) {
    carriedInto2020[level] = carriedIntoFirst(TARGETS[level]);
    for (const slot of planLevel(level, carriedInto2020[level], random)) slots.push(slot);
    for (const slot of planBhxh(level, random)) slots.push(slot);
  }
  const pickers = procedurePickers();
  const communes = new WeightedPicker(COMMUNE_UNITS, COMMUNE_UNITS.map((u) => u.weight));
  const dossiers = slots.map((slot) => place(slot, random, pickers, communes));
  assignCodes(dossiers);
  return { units: UNITS, procedures: [...PROCEDURES.huyen, ...PROCEDURES.xa], dossiers, carriedInto2020, province: generateProvince(seed) };
}

function windowOf(p: Pick<PeriodTarget, 'from' | 'to'>): Window {
  return { from: dayNumber(p.from), to: dayNumber(p.to) };
}

/** The last `count` working days of a window. */
function tailOf(window: Window, count: number): Window {
  const [, end] = calendar.range(window.from, window.to);
  return { from: calendar.days[end - count], to: window.to };
}

const seasonal = new Map<string, WeightedPicker<DayNumber>>();
function seasonalPicker(window: Window): WeightedPicker<DayNumber> {
  const key = `${window.from}-${window.to}`;
  let picker = seasonal.get(key);
  if (!picker) {
    const [start, end] = calendar.range(window.from, window.to);
    const days = calendar.days.slice(start, end);
    const weights = days.map((d) => {
      const date = new Date(d * 86_400_000);
      return MONTH_FACTOR[date.getUTCMonth()] * WEEKDAY_FACTOR[date.getUTCDay()];
    });
    picker = new WeightedPicker(days, weights);
    seasonal.set(key, picker);
  }
  return picker;
}

function repeat<T>(value: T, count: number): T[] {
  return new Array<T>(count).fill(value);
}

function planLevel(level: DemoLevel, carried: number, random: Random): Slot[] {
  const target = TARGETS[level];
  const periods = target.periods.map(windowOf);
  const pending = [carried, ...pendingChain(target, carried)];
  if (pending.some((p) => p < 0)) throw new Error(`demo plan ${level}: negative pending ${pending}`);
  const before2020: Window = { from: dayNumber('2019-11-01'), to: periods[0].from - 1 };
  const tail = (i: number) => tailOf(i < 0 ? before2020 : periods[i], TAIL_DAYS[level]);

  const slots: Slot[] = [];
  // The slots received in each period; their channels are dealt at the end, from the period's pool.
  const receipts: Slot[][] = periods.map(() => []);
  target.periods.forEach((p, i) => {
    const outcomes = random.shuffle(
      repeat<Outcome>('early', p.resolved.early).concat(
        repeat('onTime', p.resolved.onTime), repeat('late', p.resolved.late),
        repeat('rejected', p.resolved.rejected), repeat('withdrawn', p.withdrawn),
      ),
    );
    outcomes.forEach((outcome, k) => {
      const carriedIn = k < pending[i];
      const slot: Slot = {
        level,
        received: carriedIn ? { window: tail(i - 1) } : { window: periods[i], picker: seasonalPicker(periods[i]) },
        ends: periods[i],
        outcome,
        channel: 'truc_tiep',
        bhxh: false,
      };
      slots.push(slot);
      if (!carriedIn) receipts[i].push(slot);
      else if (i > 0) receipts[i - 1].push(slot);
      // Dossiers received before 2020 count in no published period: mostly at the counter, as then.
      else if (random.chance(0.03)) slot.channel = 'truc_tuyen';
    });
  });
  // Still pending when the exports were taken.
  const last = periods.length - 1;
  for (let k = 0; k < pending[last + 1]; k++) {
    const slot: Slot = { level, received: { window: tail(last) }, ends: null, outcome: 'pending', channel: 'truc_tiep', bhxh: false };
    slots.push(slot);
    receipts[last].push(slot);
  }
  target.periods.forEach((p, i) => {
    const channels = random.shuffle(
      repeat<Channel>('truc_tiep', p.received.direct).concat(
        repeat('truc_tuyen', p.received.online), repeat('lien_thong', p.received.lienThong),
      ),
    );
    if (channels.length !== receipts[i].length) {
      throw new Error(`demo plan ${level} ${p.from}: ${receipts[i].length} receipts for ${channels.length} channels`);
    }
    receipts[i].forEach((slot, k) => (slot.channel = channels[k]));
  });
  return slots;
}

function planBhxh(level: DemoLevel, random: Random): Slot[] {
  const slots: Slot[] = [];
  TARGETS[level].periods.forEach((p, i) => {
    const window = windowOf(p);
    for (let k = 0; k < BHXH_PER_PERIOD[level][i]; k++) {
      const x = random.next();
      const outcome: Outcome = x < 0.86 ? 'early' : x < 0.93 ? 'onTime' : x < 0.97 ? 'late' : x < 0.99 ? 'rejected' : 'withdrawn';
      const y = random.next();
      const channel: Channel = y < 0.6 ? 'truc_tiep' : y < 0.9 ? 'truc_tuyen' : 'lien_thong';
      slots.push({ level, received: { window, picker: seasonalPicker(window) }, ends: null, outcome, channel, bhxh: true });
    }
  });
  return slots;
}

type PickerKind = 'any' | 'online' | 'lienThong' | 'bhxh' | 'bhxhOnline';
type Pickers = Record<DemoLevel, Record<PickerKind, WeightedPicker<DemoProcedure>>>;

function procedurePickers(): Pickers {
  const make = (list: DemoProcedure[]) => new WeightedPicker(list, list.map((p) => p.weight));
  const build = (level: DemoLevel) => {
    const all = PROCEDURES[level];
    const regular = all.filter((p) => p.field !== EXCLUDED_FIELD);
    const bhxh = all.filter((p) => p.field === EXCLUDED_FIELD);
    const lienThong = regular.filter((p) => LIEN_THONG_FIELDS.has(p.field));
    return {
      any: make(regular),
      // Only procedures at mức độ 3 or 4 can be submitted online.
      online: make(regular.filter((p) => p.onlineLevel >= 3)),
      lienThong: make(lienThong),
      bhxh: make(bhxh),
      bhxhOnline: make(bhxh.filter((p) => p.onlineLevel >= 3)),
    };
  };
  return { huyen: build('huyen'), xa: build('xa') };
}

function pickerKind(slot: Slot): PickerKind {
  if (slot.bhxh) return slot.channel === 'truc_tuyen' ? 'bhxhOnline' : 'bhxh';
  return slot.channel === 'truc_tuyen' ? 'online' : slot.channel === 'lien_thong' ? 'lienThong' : 'any';
}

const pad = (n: number) => String(n).padStart(2, '0');
// ' HH:mm:00' for every minute of the day, so that a time is two shared strings joined (the dataset holds almost
// a million of them).
const TIME_OF_MINUTE = Array.from({ length: 24 * 60 }, (_, m) => ` ${pad(Math.floor(m / 60))}:${pad(m % 60)}:00`);
const at = (day: DayNumber, minute: number): WallClock => dayText(day) + TIME_OF_MINUTE[minute];

/** A minute of office hours: 07:30–11:30 or 13:30–17:00. */
function officeMinute(random: Random): number {
  return random.chance(0.55) ? random.int(450, 690) : random.int(810, 1020);
}

/** A working day in [from, to], or undefined when there is none. */
function workingDayIn(random: Random, from: DayNumber, to: DayNumber): DayNumber | undefined {
  const [start, end] = calendar.range(from, to);
  return end > start ? calendar.days[random.int(start, end - 1)] : undefined;
}

interface Placement {
  received: DayNumber;
  due: DayNumber;
  end?: DayNumber;
  noDue: boolean;
}

/** Draws a receipt day and an end day that give the slot its outcome; undefined when this try cannot. */
function tryPlace(slot: Slot, procedure: DemoProcedure, random: Random): Placement | undefined {
  const { window, picker } = slot.received;
  const received = picker ? picker.pick(random) : workingDayIn(random, window.from, window.to)!;
  const due = calendar.add(received, procedure.days);
  if (slot.outcome === 'pending') return { received, due, noDue: false };
  const lo = Math.max(received, slot.ends?.from ?? received);
  const hi = slot.ends?.to ?? asOf;
  let end: DayNumber | undefined;
  // A share of the district's on-time dossiers have no due date: the one-stop systems count them as on time.
  const noDue = slot.outcome === 'onTime' && slot.level === 'huyen' && random.chance(0.04);
  switch (slot.outcome) {
    case 'early':
      end = workingDayIn(random, lo, Math.min(hi, due - 1));
      break;
    case 'onTime':
      end = noDue ? workingDayIn(random, lo, Math.min(hi, due)) : due >= lo && due <= hi ? due : undefined;
      break;
    case 'late':
      end = workingDayIn(random, Math.max(lo, due + 1), Math.min(hi, calendar.add(due, random.int(1, 10))));
      break;
    default:
      end = workingDayIn(random, lo, Math.min(hi, calendar.add(received, random.int(0, 5))));
  }
  return end === undefined ? undefined : { received, due, end, noDue };
}

function place(slot: Slot, random: Random, pickers: Pickers, communes: WeightedPicker<DemoUnit>): DemoDossier {
  const unit = slot.level === 'huyen' ? DISTRICT : communes.pick(random);
  const picker = pickers[slot.level][pickerKind(slot)];
  for (let attempt = 0; attempt < 500; attempt++) {
    const procedure = picker.pick(random);
    const placed = tryPlace(slot, procedure, random);
    if (placed) return dossierOf(slot, unit, procedure, placed, random);
  }
  if (slot.bhxh) {
    // Received too close to the export day to end as drawn: still pending, which is fine for this field.
    const procedure = picker.pick(random);
    return dossierOf({ ...slot, outcome: 'pending' }, unit, procedure, tryPlace({ ...slot, outcome: 'pending' }, procedure, random)!, random);
  }
  throw new Error(`demo: cannot place a ${slot.level} ${slot.outcome} dossier`);
}

function dossierOf(slot: Slot, unit: DemoUnit, procedure: DemoProcedure, placed: Placement, random: Random): DemoDossier {
  let receivedMinute = officeMinute(random);
  // Online submissions near midnight at a month's edges: they must count in the month of the day they show.
  if (slot.channel === 'truc_tuyen') {
    const day = dayText(placed.received);
    const nextDay = dayText(placed.received + 1);
    if (nextDay.endsWith('-01') && random.chance(0.05)) receivedMinute = 23 * 60 + 30;
    else if (day.endsWith('-01') && random.chance(0.05)) receivedMinute = 10;
  }
  const dossier: DemoDossier = {
    code: '',
    unit,
    procedure,
    channel: slot.channel,
    receivedAt: at(placed.received, receivedMinute),
    dueAt: placed.noDue ? null : at(placed.due, 17 * 60),
    endedAt: null,
    returnedAt: null,
    status: 'processing',
  };
  if (placed.end === undefined) return dossier;
  const later = (day: DayNumber, after: { day: DayNumber; minute: number }) =>
    day === after.day ? Math.min(Math.max(officeMinute(random), after.minute + 15), 23 * 60 + 59) : officeMinute(random);
  const endMinute = later(placed.end, { day: placed.received, minute: receivedMinute });
  dossier.endedAt = at(placed.end, endMinute);
  if (slot.outcome === 'rejected') dossier.status = 'rejected';
  else if (slot.outcome === 'withdrawn') dossier.status = 'withdrawn';
  else {
    const returned = calendar.add(placed.end, random.int(0, 2));
    // Results not yet collected at the export day, and a few offices that never mark them as handed over.
    if (returned > asOf || random.chance(0.05)) dossier.status = 'finished';
    else {
      dossier.status = 'returned';
      dossier.returnedAt = at(returned, later(returned, { day: placed.end, minute: endMinute }));
    }
  }
  return dossier;
}

/** Codes as the one-stop systems give them: agency code, receipt day (yyMMdd), sequence of the day. */
function assignCodes(dossiers: DemoDossier[]): void {
  dossiers.sort((a, b) =>
    a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0,
  );
  let unit = '';
  let day = '';
  let prefix = '';
  let seq = 0;
  for (const d of dossiers) {
    const received = d.receivedAt.slice(0, 10);
    if (d.unit.code !== unit || received !== day) {
      unit = d.unit.code;
      day = received;
      prefix = `${unit}-${received.slice(2, 4)}${received.slice(5, 7)}${received.slice(8, 10)}-`;
      seq = 0;
    }
    seq++;
    d.code = prefix + (SEQUENCES[seq] ??= String(seq).padStart(4, '0'));
  }
}
const SEQUENCES: string[] = [];
