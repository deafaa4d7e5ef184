import type { Level } from '../domain/levels.ts';
import { formatCount, formatPercent } from '../domain/numbers.ts';
import { LEVELS } from '../domain/levels.ts';
import type { StatsFilters, StatsRow } from '../stats/types.ts';
import { toHandle } from '../stats/rates.ts';
import type { ReportData } from './data.ts';
import { exclusionNote, levelLabel, viDate, yearLabel } from './labels.ts';

// The paragraph a report writer pastes, in the words of the Hạ Hoà report (May 2023), e.g. "Năm 2022, hệ thống
// một cửa điện tử của huyện đã tiếp nhận, giải quyết 13.264 hồ sơ (không tính hồ sơ lĩnh vực Bảo hiểm xã hội).
// Trong đó …; tỷ lệ giải quyết sớm và đúng hạn đạt 97,9 %."
//
// "Tiếp nhận, giải quyết N hồ sơ" is the total to handle: new receipts + carried over (docs/rules.md). Channel shares
// are shares of the new receipts (docs/rules.md, "Channel share"), so the sentence names that total as well. (The
// published Hạ Hoà text divides by its total to handle instead, and its parts do not add up to it; see
// test/fixtures/reference/ha-hoa-2020-2023.json.)

const LEVEL_WORDS: Record<Level, string> = { tinh: 'cấp tỉnh', huyen: 'của huyện', xa: 'cấp xã' };

export interface Paragraph {
  level: Level;
  /** The row label: "2022", "2023 (01/01–25/05)". */
  period: string;
  from: string;
  to: string;
  text: string;
}

/** "Năm 2022" for a whole year; else the days the figures cover, as a year cut at the data's last day is. */
function periodPhrase(row: StatsRow): string {
  const whole = row.from.slice(5) === '01-01' && row.to.slice(5) === '12-31' && row.from.slice(0, 4) === row.to.slice(0, 4);
  if (whole) return `Năm ${row.from.slice(0, 4)}`;
  return `Từ ngày ${viDate(row.from)} đến ngày ${viDate(row.to)}`;
}

const n = (x: number) => `${formatCount(x)} hồ sơ`;

/** The paragraph for one level over one period (a row of computeStats grouped by level). */
export function paragraphFor(row: StatsRow, filters: StatsFilters = {}): string {
  const level = row.level ? LEVEL_WORDS[row.level] : 'của địa phương';
  const excluded = exclusionNote(filters);
  const channels = [
    { label: 'tiếp nhận trực tiếp', count: row.receivedDirect, share: row.directShare, always: true },
    { label: 'tiếp nhận trực tuyến', count: row.receivedOnline, share: row.onlineShare, always: true },
    { label: 'tiếp nhận qua dịch vụ bưu chính công ích', count: row.receivedPostal, share: row.postalShare, always: false },
    { label: 'tiếp nhận liên thông', count: row.receivedLienThong, share: row.lienThongShare, always: false },
  ].filter((c) => c.always || c.count > 0);

  let text = `${periodPhrase(row)}, hệ thống một cửa điện tử ${level} đã tiếp nhận, giải quyết ${n(toHandle(row))}`;
  text += excluded ? ` (${excluded}).` : '.';
  text += ` Trong đó số từ kỳ trước chuyển sang ${n(row.carriedOver)}; số mới tiếp nhận ${n(row.receivedTotal)}`;
  text += row.receivedTotal > 0
    ? `, gồm: ${channels.map((c) => `${c.label} ${n(c.count)}, chiếm ${formatPercent(c.share)}`).join('; ')}.`
    : '.';
  text += ` Đã giải quyết ${n(row.resolvedTotal)}, trong đó trước hạn ${n(row.resolvedEarly)}, đúng hạn ${n(row.resolvedOnTime)}, ` +
    `quá hạn ${n(row.resolvedLate)}, từ chối giải quyết ${n(row.resolvedRejected)}`;
  if (row.withdrawn > 0) text += `; công dân rút ${n(row.withdrawn)}`;
  text += `; đang giải quyết ${n(row.pendingTotal)}`;
  text += row.onTimeRate === null ? '.' : `; tỷ lệ giải quyết sớm và đúng hạn đạt ${formatPercent(row.onTimeRate)}.`;
  return text;
}

/** A paragraph for each level and year of the report's period, level by level (tỉnh, huyện, xã). */
export async function reportParagraphs(data: ReportData): Promise<Paragraph[]> {
  const rows = await data.stats(['year', 'level']);
  const ordered = [...rows].sort((a, b) => LEVELS.indexOf(a.level!) - LEVELS.indexOf(b.level!) || (a.from < b.from ? -1 : 1));
  return ordered.map((row) => ({
    level: row.level!,
    period: yearLabel(row),
    from: row.from,
    to: row.to,
    text: paragraphFor(row, data.filters),
  }));
}

/** The paragraphs as `tthc report --text` prints them: a heading per level, a blank line between paragraphs. */
export function paragraphsAsText(paragraphs: Paragraph[]): string {
  const out: string[] = [];
  let level: Level | undefined;
  for (const p of paragraphs) {
    if (p.level !== level) {
      level = p.level;
      out.push(`${levelLabel(level).toUpperCase()}`, '');
    }
    out.push(p.text, '');
  }
  return out.join('\n');
}
