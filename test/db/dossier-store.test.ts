import { expect, it } from 'vitest';
import { dossierChunkSize, insertNewDossiers, loadStoredDossiers, overwriteDossiers } from '../../src/db/dossier-store.ts';
import type { Db } from '../../src/db/connection.ts';
import type { DossierHalfMonthTable, DossierProcedureHalfMonthTable, DossierTable } from '../../src/db/schema.ts';
import { addToSummaryRows } from '../../src/db/summary-store.ts';
import { classifyDossier } from '../../src/domain/outcome.ts';
import { describeEachDatabase } from '../helpers/databases.ts';

// The importer's per-chunk statements (src/db/dossier-store.ts) and the summary upsert (src/db/summary-store.ts),
// on both databases: PostgreSQL runs them as array parameters turned into rows by unnest(), SQLite as multi-row
// statements, and both must store exactly the values given.

async function withUnits(db: Db): Promise<Db> {
  await db
    .insertInto('units')
    .values([
      { code: 'U1', name: 'Xã Một', name_key: 'xa mot', level: 'xa', parent_code: null, valid_from: null, valid_to: null, successor_code: null },
      { code: 'U2', name: 'Xã Hai', name_key: 'xa hai', level: 'xa', parent_code: null, valid_from: null, valid_to: null, successor_code: null },
    ])
    .execute();
  return db;
}

/** A dossier as the importer stores it: the export's values and their classification. */
const classified = (d: Omit<DossierTable, 'outcome' | 'overdue_from' | 'due_computed' | 'processing_working_days'>): DossierTable => ({
  ...NOT_SAID, ...d, ...classifyDossier(d), due_computed: 0, processing_working_days: null,
});
/** QĐ 766's optional columns as stored when no export said (schema/0008). */
const NOT_SAID = { paid_online: null, has_fee: null, digitised: null, electronic_result: null, satisfaction: null };

const A: DossierTable = classified({
  code: 'H45-240101-0001', unit_code: 'U1', receiving_unit: null, procedure_code: '1.004227', procedure_name: 'Đăng ký khai sinh',
  field: 'Hộ tịch', channel: 'truc_tuyen', received_at: '2024-01-01 08:00:00', due_at: '2024-01-03 17:00:00',
  ended_at: '2024-01-02 10:30:00', end_from_returned: 0, returned_at: null, status: 'finished',
  created_batch_id: 1, updated_batch_id: 1,
  paid_online: 1, has_fee: 1, digitised: 0, electronic_result: 1, satisfaction: 'satisfied',
});
// Values a PostgreSQL array literal or COPY line must escape or must not take for NULL: quotes, backslashes,
// commas, braces, tabs, line breaks, control characters, an empty string, the word NULL, COPY's \N and \.
const B: DossierTable = classified({
  code: 'H45-240101-0002', unit_code: 'U2', receiving_unit: null, procedure_code: 'mã \\ 1', procedure_name: 'Cấp "bản sao", {trích lục} hộ tịch',
  field: '', channel: null, received_at: '2024-01-01 09:15:00', due_at: null, ended_at: null,
  end_from_returned: 0, returned_at: null, status: 'processing', created_batch_id: 1, updated_batch_id: 1,
});
const C: DossierTable = classified({
  code: 'NULL', unit_code: 'U1', receiving_unit: '\\N\r\\.\\', procedure_code: 'NULL', procedure_name: 'Giấy "xác nhận", {tình trạng}', field: 'Hộ\ttịch\n\u0007', channel: 'truc_tiep',
  received_at: '2024-02-15 07:00:00', due_at: '2024-02-20 17:00:00', ended_at: '2024-02-21 16:00:00',
  end_from_returned: 1, returned_at: '2024-02-21 16:00:00', status: 'returned', created_batch_id: 2, updated_batch_id: 2,
});

const byCode = (rows: DossierTable[]) => [...rows].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));

describeEachDatabase('dossier store', (t) => {
  it('loads the stored dossiers of the codes asked for: found ones once each, unknown codes absent', async () => {
    const db = await withUnits(await t.open());
    expect(await loadStoredDossiers(db, ['H45-240101-0001'])).toEqual([]);
    expect(await insertNewDossiers(db, [A, B, C])).toBe(3);

    expect(await loadStoredDossiers(db, ['H45-240101-0001'])).toEqual([A]);
    expect(await loadStoredDossiers(db, ['no-such-code', 'H45-999999-9999'])).toEqual([]);
    expect(await loadStoredDossiers(db, [])).toEqual([]);
    const found = await loadStoredDossiers(db, ['H45-240101-0002', 'no-such-code', 'NULL', 'H45-240101-0002']);
    expect(byCode(found)).toEqual([B, C]);
  });

  it('inserts as new only the dossiers not stored yet, and says how many', async () => {
    const db = await withUnits(await t.open());
    expect(await insertNewDossiers(db, [A])).toBe(1);
    const changedA = { ...A, status: 'returned' as const, updated_batch_id: 9 };
    expect(await insertNewDossiers(db, [changedA, B])).toBe(1);
    const stored = await db.selectFrom('dossiers').select(['code', 'status', 'updated_batch_id']).orderBy('code').execute();
    expect(stored).toEqual([
      { code: A.code, status: A.status, updated_batch_id: A.updated_batch_id },
      { code: B.code, status: B.status, updated_batch_id: B.updated_batch_id },
    ]);
  });

  it('inserts new dossiers and overwrites stored ones in every column but created_batch_id', async () => {
    const db = await withUnits(await t.open());
    await insertNewDossiers(db, [A, B]);
    // A ends up without its end (values turned to null), moves unit; B gets values where it had nulls; D is new.
    const aAgain: DossierTable = classified({
      code: 'H45-240101-0001', unit_code: 'U2', receiving_unit: null, procedure_code: null, procedure_name: null, field: null, channel: null,
      received_at: '2024-01-01 07:59:00', due_at: null, ended_at: null, end_from_returned: 0, returned_at: null,
      status: 'processing', created_batch_id: 5, updated_batch_id: 5,
    });
    const bAgain: DossierTable = classified({
      code: 'H45-240101-0002', unit_code: 'U2', receiving_unit: null, procedure_code: '2.000001', procedure_name: 'Cấp bản sao trích lục',
      field: 'Hộ tịch', channel: 'buu_chinh', received_at: '2024-01-01 09:15:00', due_at: '2024-01-05 17:00:00',
      ended_at: '2024-01-04 11:00:00', end_from_returned: 1, returned_at: '2024-01-04 11:00:00', status: 'returned',
      created_batch_id: 5, updated_batch_id: 5,
    });
    const d: DossierTable = classified({
      code: 'H45-240301-0009', unit_code: 'U1', receiving_unit: null, procedure_code: null, procedure_name: null, field: null, channel: null,
      received_at: '2024-03-01 08:00:00', due_at: null, ended_at: null, end_from_returned: 0, returned_at: null,
      status: 'supplement_requested', created_batch_id: 5, updated_batch_id: 5,
    });
    await insertNewDossiers(db, [d]);
    await overwriteDossiers(db, [aAgain, bAgain]);

    const stored = await db.selectFrom('dossiers').selectAll().orderBy('code').execute();
    expect(stored).toEqual([
      {
        ...NOT_SAID,
        code: 'H45-240101-0001', unit_code: 'U2', receiving_unit: null, procedure_code: null, procedure_name: null, field: null, channel: null,
        received_at: '2024-01-01 07:59:00', due_at: null, ended_at: null, end_from_returned: 0, returned_at: null,
        status: 'processing', created_batch_id: 1, updated_batch_id: 5, outcome: 'open', overdue_from: null,
        due_computed: 0, processing_working_days: null,
      },
      {
        ...NOT_SAID,
        code: 'H45-240101-0002', unit_code: 'U2', receiving_unit: null, procedure_code: '2.000001', procedure_name: 'Cấp bản sao trích lục',
        field: 'Hộ tịch', channel: 'buu_chinh', received_at: '2024-01-01 09:15:00', due_at: '2024-01-05 17:00:00',
        ended_at: '2024-01-04 11:00:00', end_from_returned: 1, returned_at: '2024-01-04 11:00:00', status: 'returned',
        created_batch_id: 1, updated_batch_id: 5, outcome: 'early', overdue_from: '2024-01-06',
        due_computed: 0, processing_working_days: null,
      },
      {
        ...NOT_SAID,
        code: 'H45-240301-0009', unit_code: 'U1', receiving_unit: null, procedure_code: null, procedure_name: null, field: null, channel: null,
        received_at: '2024-03-01 08:00:00', due_at: null, ended_at: null, end_from_returned: 0, returned_at: null,
        status: 'supplement_requested', created_batch_id: 5, updated_batch_id: 5, outcome: 'open', overdue_from: null,
        due_computed: 0, processing_working_days: null,
      },
    ]);
  });

  it('writes and reads back a whole chunk of the size the importer uses', async () => {
    const db = await withUnits(await t.open());
    const size = dossierChunkSize(db);
    expect(size).toBe(t.dialect === 'postgres' ? 5000 : 1333); // SQLite: 32,000 parameters / 24 columns
    const rows: DossierTable[] = Array.from({ length: size }, (_, i) => ({
      ...A, code: `K-${String(i).padStart(5, '0')}`, unit_code: i % 2 ? 'U2' : 'U1', end_from_returned: i % 2, updated_batch_id: i,
    }));
    expect(await insertNewDossiers(db, rows)).toBe(size);
    const codes = rows.map((r) => r.code);
    const loaded = byCode(await loadStoredDossiers(db, codes));
    expect(loaded.length).toBe(size);
    expect(loaded[0]).toEqual({ ...A, code: 'K-00000', unit_code: 'U1', end_from_returned: 0, updated_batch_id: 0 });
    expect(loaded[size - 1]).toEqual(
      t.dialect === 'postgres'
        ? { ...A, code: 'K-04999', unit_code: 'U2', end_from_returned: 1, updated_batch_id: 4999 }
        : { ...A, code: 'K-01332', unit_code: 'U1', end_from_returned: 0, updated_batch_id: 1332 },
    );
  });
});

const row = (key: Pick<DossierHalfMonthTable, 'unit_code' | 'field' | 'channel' | 'half_month'>, counts: Partial<DossierHalfMonthTable>): DossierProcedureHalfMonthTable => ({
  procedure_name: '', ...key, received: 0, ended_early: 0, ended_on_time: 0, ended_late: 0, ended_rejected: 0, ended_withdrawn: 0, overdue_in: 0, overdue_out: 0, ...counts,
});

describeEachDatabase('summary store', (t) => {
  it('inserts rows of new keys and adds to the stored counts of known keys', async () => {
    const db = await withUnits(await t.open());
    await addToSummaryRows(db, 'dossier_half_months', []);
    await addToSummaryRows(db, 'dossier_half_months', [
      row({ unit_code: 'U1', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2024-01-1' }, { received: 3, ended_early: 1, overdue_in: 2 }),
      row({ unit_code: 'U1', field: '', channel: '', half_month: '2024-01-2' }, { received: 1, ended_withdrawn: 1 }),
    ]);
    await addToSummaryRows(db, 'dossier_half_months', [
      row({ unit_code: 'U1', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2024-01-1' }, { received: -1, ended_on_time: 4, ended_late: 2, ended_rejected: 1, overdue_in: -2, overdue_out: 5 }),
      row({ unit_code: 'U1', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2024-01-2' }, { received: 7 }),
      row({ unit_code: 'U2', field: 'Đất "đai"', channel: 'truc_tiep', half_month: '2024-01-1' }, { ended_late: 9 }),
    ]);
    const stored = await db.selectFrom('dossier_half_months').selectAll().orderBy('unit_code').orderBy('half_month').orderBy('field').execute();
    expect(stored).toEqual([
      { unit_code: 'U1', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2024-01-1', received: 2, ended_early: 1, ended_on_time: 4, ended_late: 2, ended_rejected: 1, ended_withdrawn: 0, overdue_in: 0, overdue_out: 5 },
      { unit_code: 'U1', field: '', channel: '', half_month: '2024-01-2', received: 1, ended_early: 0, ended_on_time: 0, ended_late: 0, ended_rejected: 0, ended_withdrawn: 1, overdue_in: 0, overdue_out: 0 },
      { unit_code: 'U1', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2024-01-2', received: 7, ended_early: 0, ended_on_time: 0, ended_late: 0, ended_rejected: 0, ended_withdrawn: 0, overdue_in: 0, overdue_out: 0 },
      { unit_code: 'U2', field: 'Đất "đai"', channel: 'truc_tiep', half_month: '2024-01-1', received: 0, ended_early: 0, ended_on_time: 0, ended_late: 9, ended_rejected: 0, ended_withdrawn: 0, overdue_in: 0, overdue_out: 0 },
    ]);
  });

  it('writes more rows than one statement holds', async () => {
    const db = await withUnits(await t.open());
    const rows = Array.from({ length: 25_000 }, (_, i) => row({ unit_code: 'U1', field: `f${i}`, channel: '', half_month: '2024-01-1' }, { received: 1 }));
    await addToSummaryRows(db, 'dossier_half_months', rows);
    await addToSummaryRows(db, 'dossier_half_months', rows.slice(0, 10));
    const totals = await db.selectFrom('dossier_half_months').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('received').as('received')]).executeTakeFirstOrThrow();
    expect(Number(totals.n)).toBe(25_000);
    expect(Number(totals.received)).toBe(25_010);
  });
});
