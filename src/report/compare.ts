import { PeriodError, monthPeriod, quarterPeriod, rangePeriod, yearPeriod, type Period } from '../domain/periods.ts';

// The periods of `--compare`, side by side in the per-unit table: "2020-06" (a month), "2021" (a year),
// "2022-Q2" (a quarter), "2023-05-25" (a day), and "A..B" for everything from the start of A to the end of B
// ("2021-01..2021-06": the first half of 2021).

function single(token: string): Period {
  if (/^\d{4}$/.test(token)) return yearPeriod(Number(token));
  if (/^\d{4}-\d{2}$/.test(token)) return monthPeriod(token);
  if (/^\d{4}-?Q[1-4]$/i.test(token)) return quarterPeriod(token);
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) return rangePeriod(token, token);
  throw new PeriodError(
    `kỳ so sánh không hợp lệ: "${token}" (dạng 2021, 2021-06, 2021-Q2, 2021-06-30 hoặc khoảng 2021-01..2021-06)`,
  );
}

export function parseComparePeriod(token: string): Period {
  const text = token.trim();
  const parts = text.split('..');
  if (parts.length === 1) return single(text);
  if (parts.length !== 2) throw new PeriodError(`kỳ so sánh không hợp lệ: "${token}"`);
  const from = single(parts[0].trim()).from;
  const to = single(parts[1].trim()).to;
  if (from > to) throw new PeriodError(`kỳ so sánh ngược: "${token}"`);
  return { from, to };
}

/** Accepts the periods as separate arguments or comma-separated. */
export function parseComparePeriods(tokens: readonly string[]): Period[] {
  return tokens.flatMap((t) => t.split(',')).filter((t) => t.trim() !== '').map(parseComparePeriod);
}
