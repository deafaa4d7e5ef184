import type { Db } from '../db/connection.ts';
import { relevant, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters } from './filters.ts';
import { periodsRelation, subPeriodsOf } from './sub-periods.ts';
import type { Indicator766Rate, StatsQuery } from './types.ts';

// What QĐ 766's other indicators (INDICATOR_766_RATES) lack in the data of a query: an export column that no
// dossier of the period and filters has a value in, or a procedure catalogue without toàn trình procedures. The
// rate is then null in every row ("không có dữ liệu"), and a warning line says which column is missing.

/** The dossier columns each rate rests on, and their names in an export. */
const SOURCES: Record<Exclude<Indicator766Rate, 'fullOnlineRate'>, ReadonlyArray<keyof typeof COLUMN_NAMES>> = {
  onlinePaymentRate: ['paid_online', 'has_fee'],
  digitisedRate: ['digitised'],
  electronicResultRate: ['electronic_result'],
  satisfactionRate: ['satisfaction'],
};
const COLUMN_NAMES = {
  paid_online: 'cột "Thanh toán trực tuyến"',
  has_fee: 'cột "Có phí, lệ phí"',
  digitised: 'cột "Số hoá" (Hồ sơ được số hoá)',
  electronic_result: 'cột "Kết quả điện tử"',
  satisfaction: 'cột "Đánh giá hài lòng" (Mức độ hài lòng)',
} as const;

export interface IndicatorGap {
  rate: Indicator766Rate;
  /** One Vietnamese line: which column or catalogue is missing, and that the rate has no data. */
  text: string;
}

/**
 * The rates of QĐ 766's other indicators that the query's data cannot give, each with its warning line. One pass
 * over the dossiers taking part in the period (counting the known values of each column) and a look at the
 * procedure catalogue.
 */
export async function indicatorGaps(db: Db, query: StatsQuery): Promise<IndicatorGap[]> {
  const filters = await resolveFilters(db, query.filters);
  const known = await db
    .selectFrom('dossiers as d')
    .crossJoin(periodsRelation(db, subPeriodsOf(query.period, [])).as('p'))
    .where((eb) => relevant(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select((eb) => [
      eb.fn.count<number>('d.paid_online').as('paid_online'),
      eb.fn.count<number>('d.has_fee').as('has_fee'),
      eb.fn.count<number>('d.digitised').as('digitised'),
      eb.fn.count<number>('d.electronic_result').as('electronic_result'),
      eb.fn.count<number>('d.satisfaction').as('satisfaction'),
    ])
    .executeTakeFirstOrThrow();
  const fullOnline = await db
    .selectFrom('procedures')
    .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('online_level').filterWhere('online_level', '=', 4).as('full')])
    .executeTakeFirstOrThrow();

  const gaps: IndicatorGap[] = [];
  if (Number(fullOnline.full) === 0) {
    gaps.push({
      rate: 'fullOnlineRate',
      text: Number(fullOnline.all) === 0
        ? 'chưa nhập danh mục thủ tục (tthc procedures import): không biết thủ tục nào trực tuyến toàn trình, tỷ lệ trực tuyến toàn trình (fullOnlineRate): không có dữ liệu'
        : 'danh mục thủ tục không có thủ tục nào ghi mức độ toàn trình (mức độ 4): tỷ lệ trực tuyến toàn trình (fullOnlineRate): không có dữ liệu',
    });
  }
  for (const [rate, columns] of Object.entries(SOURCES) as Array<[Indicator766Rate, ReadonlyArray<keyof typeof COLUMN_NAMES>]>) {
    const missing = columns.filter((c) => Number(known[c]) === 0);
    if (!missing.length) continue;
    gaps.push({
      rate,
      text: `không hồ sơ nào trong kỳ có giá trị ở ${missing.map((c) => COLUMN_NAMES[c]).join(' và ')} (tệp xuất không có cột này, hoặc để trống): ${rate}: không có dữ liệu`,
    });
  }
  return gaps;
}
