// The lunar holidays of Vietnam as the date-holidays library gives them, shared by the script that writes
// src/domain/lunar-holidays-vn.json and the test that checks the file is still what the library says.

export const FIRST_LUNAR_YEAR = 2000;
export const LAST_LUNAR_YEAR = 2050;

export interface LunarHolidays {
  /** Giao thừa: the last day of the lunar year that ends in this Gregorian year's January or February. */
  newYearsEve: string;
  /** Mùng 1 Tết: the first day of the lunar year. */
  tet: string;
  /** Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month. */
  hungKings: string;
}

// The names date-holidays 3.37 gives in its Vietnamese data (data/countries/VN.yaml).
const NAMES: Record<string, keyof LunarHolidays> = {
  'Giao thừa Tết Nguyên Đán': 'newYearsEve',
  'Tết Nguyên Đán': 'tet',
  'Giỗ tổ Hùng Vương': 'hungKings',
};

export async function lunarHolidaysFromLibrary(first: number, last: number): Promise<Record<string, LunarHolidays>> {
  const { default: Holidays } = await import('date-holidays');
  const holidays = new Holidays('VN', { languages: ['vi'] });
  const out: Record<string, LunarHolidays> = {};
  for (let year = first; year <= last; year++) {
    const found: Partial<LunarHolidays> = {};
    for (const h of holidays.getHolidays(year, 'vi')) {
      const key = NAMES[h.name];
      if (key) found[key] = h.date.slice(0, 10);
    }
    if (!found.newYearsEve || !found.tet || !found.hungKings) throw new Error(`date-holidays lacks a lunar holiday of ${year}`);
    out[year] = found as LunarHolidays;
  }
  return out;
}
