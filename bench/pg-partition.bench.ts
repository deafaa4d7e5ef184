import { CompiledQuery, Kysely, PostgresDialect, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { withPgSession } from '../src/db/pg-copy.ts';
import { monthPeriod, yearPeriod } from '../src/domain/periods.ts';
import { computeStats, computeStatsFromDossiers } from '../src/stats/compute.ts';
import { listDossiers } from '../src/stats/dossiers.ts';
import type { StatsQuery } from '../src/stats/types.ts';
import { dossierRow, generateDossiers, GENERATOR_VERSION } from './lib/dossiers.ts';
import { explainPlan, inlineSql } from './lib/explain.ts';
import { OUT_DIR } from './lib/export-files.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { benchRuns, benchSeed, countOption, hasFlag, statsDossiers } from './lib/options.ts';
import { createDatabase, dropDatabase, startPgServer } from './lib/pg-cluster.ts';
import { buildProvince } from './lib/province.ts';
import { ensureStatsDatabase } from './lib/stats-db.ts';
import { formatNumber, printTable } from './lib/table.ts';

// npm run bench:pg-partition [-- --dossiers 5m --runs 3 --copy-rows 1m]
// Issue 16, point 5: does partitioning `dossiers` by year (docs/postgresql.md, "Partitioning by year") pay? Two
// databases with the same dossiers, side by side: bench:pg's statistics database (tthc's schema as migrated) and
// a copy of it whose `dossiers` is partitioned by range on received_at, one partition a year, keyed on
// (received_at, code), with the same secondary indexes on the parent. The same library calls run on both (the
// dossier path: computeStatsFromDossiers, listDossiers, the QĐ 766 progress), alternating, each --runs times;
// then the alternatives that need no partitions, on the main SELECT of some calls (splitDossiers, envelope);
// then a COPY of the same --copy-rows rows into an empty table of each shape, and the sizes. The EXPLAIN ANALYZE
// of --year 2023 --by level and of the calls over sub-periods goes to docs/explain-partitioning.txt (bench/out/
// for other sizes). With TTHC_BENCH_PG_URL both databases are kept on that server and reused by the next run.

const dossiers = statsDossiers();
const seed = benchSeed();
const runs = benchRuns();
const copyRowCount = countOption('copy-rows', 'BENCH_COPY_ROWS', 1_000_000);
const server = await startPgServer();
console.log(`bench:pg-partition — ${formatNumber(dossiers)} dossiers, plain against partitioned by year, ${runs} runs each, seed ${seed}`);
console.log(`${machineLine()} · PostgreSQL ${server.version}${process.env.TTHC_BENCH_PG_URL ? ' (TTHC_BENCH_PG_URL)' : ' (throwaway cluster)'}`);

/** A period's first day and the day after its last. */
interface Span {
  from: string;
  toNext: string;
}
const YEAR_2023: Span = { from: '2023-01-01', toNext: '2024-01-01' };
/**
 * The dossier path's calls of issue 16, point 5, as the CLI makes them. `split`: a call over one period, whose
 * main SELECT is also timed with dossiers read as two index ranges (splitDossiers); `envelope`: a call over
 * sub-periods, whose main SELECT is also timed with the whole period's bounds written in (envelope).
 */
const QUERIES: Array<{ name: string; run: (db: Db) => Promise<unknown[]>; split?: Span; envelope?: Span }> = [
  { name: '(a) stats --year 2023 --by level', run: (db) => computeStatsFromDossiers(db, { period: yearPeriod(2023), by: ['level'] }), split: YEAR_2023 },
  // Each month read apart (wholePeriodOnce: false), as the library read them when docs/partitioning.md was measured:
  // its "read once (offset 0)" alternative is what the library now does by month on PostgreSQL.
  {
    name: '(b) stats --year 2023 --by month,unit',
    run: (db) => computeStatsFromDossiers(db, { period: yearPeriod(2023), by: ['month', 'unit'] }, { wholePeriodOnce: false }),
    envelope: YEAR_2023,
  },
  {
    name: '(c) stats --from 2023-01-01 --to 2023-05-25 --by level',
    run: (db) => computeStatsFromDossiers(db, { period: { from: '2023-01-01', to: '2023-05-25' }, by: ['level'] }),
    split: { from: '2023-01-01', toNext: '2023-05-26' },
  },
  {
    name: '(d) stats --years 2020-2024 --by year,level',
    run: (db) => computeStatsFromDossiers(db, { period: { from: '2020-01-01', to: '2024-12-31' }, by: ['year', 'level'] }),
    envelope: { from: '2020-01-01', toNext: '2025-01-01' },
  },
  // `tthc dossiers --figure resolvedLate --month 2023-03`: the late results of one month.
  { name: '(e) dossiers --figure resolvedLate --month 2023-03', run: (db) => listDossiers(db, { period: monthPeriod('2023-03'), by: [] }, 'resolvedLate') },
  // `tthc stats --year 2023 --by unit --progress-766`: QĐ 766's progress is not in the summaries; computeStats reads the dossiers.
  { name: '(f) stats --year 2023 --by unit --progress-766', run: (db) => computeStats(db, { period: yearPeriod(2023), by: ['unit'], progress766: true }), split: YEAR_2023 },
  { name: '(g) stats --year 2023 --by receiving-unit', run: (db) => computeStatsFromDossiers(db, { period: yearPeriod(2023), by: ['receiving-unit'] }), split: YEAR_2023 },
];
const EXPLAINED: StatsQuery = { period: yearPeriod(2023), by: ['level'] };

const plainName = `tthc_bench_stats_${dossiers}_s${seed}`;
const partitionedName = `${plainName}_by_year`;
const explainFile = dossiers === 5_000_000 ? join(process.cwd(), 'docs', 'explain-partitioning.txt') : join(OUT_DIR, 'explain-partitioning.txt');

try {
  process.stderr.write('plain: ');
  const plainUrl = await createDatabase(server.adminUrl, plainName);
  const { loadSeconds } = await ensureStatsDatabase(plainUrl, dossiers, seed);
  const partitionedUrl = await ensurePartitioned(server.adminUrl, plainName, partitionedName, dossiers);
  const plain = await openDatabase(plainUrl);
  const partitioned = await openDatabase(partitionedUrl);
  // The cheaper alternative, on the plain table: its indexes on received_at and ended_at (schema/0007) used
  // wherever the planner can, sequential scans priced out for the session.
  const indexedUrl = new URL(plainUrl);
  indexedUrl.searchParams.set('options', '-c enable_seqscan=off');
  const indexed = await openDatabase(indexedUrl.toString());
  try {
    // Both analysed just before the timings, so that each is planned from statistics of the same age.
    for (const db of [plain, partitioned]) await sql`analyze`.execute(db);
    const sizes = { plain: await sizesOf(plain), partitioned: await sizesOf(partitioned) };

    // Each call once on each database, untimed (caches, and the rows compared), then alternately timed.
    const timings: Array<{ name: string; plain: number[]; partitioned: number[]; indexed: number[]; rows: number; same: boolean }> = [];
    for (const q of QUERIES) {
      process.stderr.write(`${q.name} … `);
      const a = JSON.stringify(await q.run(plain));
      const b = JSON.stringify(await q.run(partitioned));
      const c = JSON.stringify(await q.run(indexed));
      const timing = { name: q.name, plain: [] as number[], partitioned: [] as number[], indexed: [] as number[], rows: JSON.parse(a).length, same: a === b && a === c };
      for (let i = 0; i < runs; i++) {
        timing.plain.push(await seconds(() => q.run(plain)));
        timing.partitioned.push(await seconds(() => q.run(partitioned)));
        timing.indexed.push(await seconds(() => q.run(indexed)));
      }
      timings.push(timing);
    }
    process.stderr.write('\n');

    // The alternative without partitions: the main SELECT of each one-period call, on the plain table, as sent
    // and with dossiers read as two index ranges; the same SELECT on the partitioned table beside them.
    const splits: Array<{ name: string; plain: number[]; split: number[]; partitioned: number[]; same: boolean }> = [];
    for (const q of QUERIES.filter((x) => x.split)) {
      process.stderr.write(`${q.name}, main SELECT split … `);
      const compiled = await dossierSelect(plain, q.run);
      const rewritten = splitDossiers(compiled, q.split!);
      const rowsOf = async (db: Db, query: CompiledQuery) => JSON.stringify((await db.executeQuery(query)).rows.map((r) => JSON.stringify(r)).sort());
      const same = (await rowsOf(plain, compiled)) === (await rowsOf(plain, rewritten)) && (await rowsOf(plain, compiled)) === (await rowsOf(partitioned, compiled));
      const timing = { name: q.name, plain: [] as number[], split: [] as number[], partitioned: [] as number[], same };
      for (let i = 0; i < runs; i++) {
        timing.plain.push(await seconds(() => plain.executeQuery(compiled)));
        timing.split.push(await seconds(() => plain.executeQuery(rewritten)));
        timing.partitioned.push(await seconds(() => partitioned.executeQuery(compiled)));
      }
      splits.push(timing);
    }
    // A call over several sub-periods joins them as a relation, so no bound on received_at is known when the
    // query is planned and no partition is pruned: the same SELECT with the constant bounds of the whole period
    // added (envelope), on both shapes.
    // On the plain table the bounds alone change nothing (each sub-period still reads the dossiers received
    // before its end, by the index on received_at); read once behind OFFSET 0 (fenced), the bounded dossiers are
    // then joined to the sub-periods.
    const envelopes: Array<{ name: string; plain: number[]; plainEnvelope: number[]; plainFenced: number[]; partitioned: number[]; partitionedEnvelope: number[]; same: boolean }> = [];
    const envelopePlans: string[] = [];
    for (const q of QUERIES.filter((x) => x.envelope)) {
      process.stderr.write(`${q.name}, main SELECT with the envelope … `);
      const compiled = await dossierSelect(plain, q.run);
      const bounded = envelope(compiled, q.envelope!);
      const fenced = envelope(compiled, q.envelope!, true);
      const rowsOf = async (db: Db, query: CompiledQuery) => JSON.stringify((await db.executeQuery(query)).rows.map((r) => JSON.stringify(r)).sort());
      const expected = await rowsOf(plain, compiled);
      const same = expected === (await rowsOf(plain, bounded)) && expected === (await rowsOf(partitioned, bounded)) && expected === (await rowsOf(plain, fenced));
      const timing = { name: q.name, plain: [] as number[], plainEnvelope: [] as number[], plainFenced: [] as number[], partitioned: [] as number[], partitionedEnvelope: [] as number[], same };
      for (let i = 0; i < runs; i++) {
        timing.plain.push(await seconds(() => plain.executeQuery(compiled)));
        timing.plainEnvelope.push(await seconds(() => plain.executeQuery(bounded)));
        timing.plainFenced.push(await seconds(() => plain.executeQuery(fenced)));
        timing.partitioned.push(await seconds(() => partitioned.executeQuery(compiled)));
        timing.partitionedEnvelope.push(await seconds(() => partitioned.executeQuery(bounded)));
      }
      envelopes.push(timing);
      for (const [title, db, query] of [['plain, as sent', plain, compiled], ['plain, bounded and fenced', plain, fenced], ['partitioned, as sent', partitioned, compiled], ['partitioned, bounded', partitioned, bounded]] as const) {
        envelopePlans.push('', `## ${q.name}: ${title}`, '', 'Plan:', await explainPlan(db, query));
      }
    }
    process.stderr.write('\n');

    // The plan of (a) on each shape.
    const sections = [
      'EXPLAIN (ANALYZE, BUFFERS) of computeStatsFromDossiers, tthc stats --year 2023 --by level, on both shapes of dossiers',
      `${formatNumber(dossiers)} dossiers (bench:pg-partition, seed ${seed}), PostgreSQL ${server.version}`,
      machineLine(),
    ];
    const shapes = [
      ['plain: dossiers as tthc migrates it (key code, indexes on received_at, ended_at, (overdue_from, ended_at))', plain],
      ['partitioned by year on received_at (key (received_at, code), the same indexes on each partition)', partitioned],
      ['plain, with enable_seqscan = off (what its indexes can do)', indexed],
    ] as const;
    for (const [title, db] of shapes) {
      const compiled = await dossierSelect(db, (d) => computeStatsFromDossiers(d, EXPLAINED));
      sections.push('', `## ${title}`, '', 'Query (parameters written in):', inlineSql(compiled), '', 'Plan:', await explainPlan(db, compiled));
    }
    const splitA = splitDossiers(await dossierSelect(plain, (d) => computeStatsFromDossiers(d, EXPLAINED)), YEAR_2023);
    sections.push('', '## plain, dossiers read as two index ranges (splitDossiers)', '', 'Query (parameters written in):', inlineSql(splitA), '', 'Plan:', await explainPlan(plain, splitA));
    sections.push('', '', 'EXPLAIN (ANALYZE, BUFFERS) of the main SELECT of a call over sub-periods, with and without the whole period\'s bounds', ...envelopePlans);
    mkdirSync(dirname(explainFile), { recursive: true });
    writeFileSync(explainFile, sections.join('\n') + '\n');

    // COPY of the same rows into an empty table of each shape.
    process.stderr.write(`COPY of ${formatNumber(copyRowCount)} rows … `);
    const copy = await timeCopies(partitioned, copyRowCount, seed, runs);
    process.stderr.write('done\n');

    const best = (xs: number[]) => Math.min(...xs);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const s = (x: number) => formatNumber(x, 2);
    console.log('');
    printTable(
      ['dossier path', 'plain best s', 'median', 'partitioned best s', 'median', 'plain ÷ partitioned', 'plain, seq scan off, best s', 'rows', 'same rows'],
      timings.map((t) => [
        t.name, s(best(t.plain)), s(median(t.plain)), s(best(t.partitioned)), s(median(t.partitioned)), `${(best(t.plain) / best(t.partitioned)).toFixed(2)}×`,
        s(best(t.indexed)), formatNumber(t.rows), t.same ? 'yes' : 'NO',
      ]),
    );
    console.log('');
    printTable(
      ['main SELECT of a one-period call', 'plain s', 'plain, split s', 'partitioned s', 'plain ÷ split', 'plain ÷ partitioned', 'same rows'],
      splits.map((t) => [
        t.name, s(best(t.plain)), s(best(t.split)), s(best(t.partitioned)), `${(best(t.plain) / best(t.split)).toFixed(2)}×`,
        `${(best(t.plain) / best(t.partitioned)).toFixed(2)}×`, t.same ? 'yes' : 'NO',
      ]),
    );
    console.log('');
    printTable(
      ['main SELECT of a call over sub-periods', 'plain s', 'plain + bounds s', 'plain + bounds, fenced s', 'partitioned s', 'partitioned + bounds s', 'plain ÷ plain fenced', 'plain ÷ partitioned + bounds', 'same rows'],
      envelopes.map((t) => [
        t.name, s(best(t.plain)), s(best(t.plainEnvelope)), s(best(t.plainFenced)), s(best(t.partitioned)), s(best(t.partitionedEnvelope)),
        `${(best(t.plain) / best(t.plainFenced)).toFixed(2)}×`, `${(best(t.plain) / best(t.partitionedEnvelope)).toFixed(2)}×`, t.same ? 'yes' : 'NO',
      ]),
    );
    console.log('');
    const mb = (bytes: number) => `${formatNumber(bytes / 1024 / 1024)} MB`;
    printTable(
      ['', 'plain', 'partitioned', 'partitioned ÷ plain'],
      [
        [`COPY of ${formatNumber(copyRowCount)} rows into an empty table, best s`, s(best(copy.plain)), s(best(copy.partitioned)), `${(best(copy.partitioned) / best(copy.plain)).toFixed(2)}×`],
        ['  the same, rows/s', formatNumber(copyRowCount / best(copy.plain)), formatNumber(copyRowCount / best(copy.partitioned)), ''],
        [`  table and indexes after it, MB`, `${mb(copy.sizes.plain.table)} + ${mb(copy.sizes.plain.indexes)}`, `${mb(copy.sizes.partitioned.table)} + ${mb(copy.sizes.partitioned.indexes)}`, `${((copy.sizes.partitioned.table + copy.sizes.partitioned.indexes) / (copy.sizes.plain.table + copy.sizes.plain.indexes)).toFixed(2)}×`],
        ['dossiers: table, MB', mb(sizes.plain.table), mb(sizes.partitioned.table), `${(sizes.partitioned.table / sizes.plain.table).toFixed(2)}×`],
        ['dossiers: indexes, MB', mb(sizes.plain.indexes), mb(sizes.partitioned.indexes), `${(sizes.partitioned.indexes / sizes.plain.indexes).toFixed(2)}×`],
        ['database, MB', mb(sizes.plain.database), mb(sizes.partitioned.database), `${(sizes.partitioned.database / sizes.plain.database).toFixed(2)}×`],
      ],
    );
    console.log(`partitions: ${sizes.partitioned.partitions.join(', ')}`);
    if (loadSeconds) console.log(`(plain database loaded in ${loadSeconds.toFixed(0)} s)`);
    if (timings.some((t) => !t.same) || splits.some((t) => !t.same) || envelopes.some((t) => !t.same)) console.log('WARNING: some calls gave different rows on the two shapes');
    console.log(`\nEXPLAIN ANALYZE of (a) on both shapes: ${explainFile}`);
    saveResults('pg-partition', { dossiers, seed, runs, copyRows: copyRowCount, postgres: server.version, timings, splits, envelopes, copy, sizes });
  } finally {
    await plain.destroy();
    await partitioned.destroy();
    await indexed.destroy();
  }
} finally {
  server.stop();
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

/** Kysely on a database of the server, for the statements tthc's own schema has no type for. */
function rawDb(url: string): Kysely<any> {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
}

function urlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The partitioned copy of the plain database: made from it as a template (same units, summaries, migrations),
 * then its `dossiers` rebuilt as a partitioned table and filled from the plain one. Reused when it already holds
 * a partitioned `dossiers` with the same count.
 */
async function ensurePartitioned(adminUrl: string, plainName: string, name: string, expected: number): Promise<string> {
  const url = urlOf(adminUrl, name);
  const admin = rawDb(adminUrl);
  try {
    const { rows } = await sql`select 1 from pg_database where datname = ${name}`.execute(admin);
    if (rows.length) {
      const db = rawDb(url);
      try {
        const { rows: [row] } = await sql<{ kind: string; n: string }>`select (select relkind from pg_class where relname = 'dossiers' and relnamespace = 'public'::regnamespace) as kind,
          (select count(*) from dossiers) as n`.execute(db);
        if (row.kind === 'p' && Number(row.n) === expected) return url;
      } finally {
        await db.destroy();
      }
      await dropDatabase(adminUrl, name);
    }
    process.stderr.write('partitioned copy: ');
    const started = performance.now();
    await sql`create database ${sql.id(name)} template ${sql.id(plainName)}`.execute(admin);
    process.stderr.write(`cloned in ${((performance.now() - started) / 1000).toFixed(0)} s … `);
  } finally {
    await admin.destroy();
  }
  const db = rawDb(url);
  try {
    const started = performance.now();
    const shape = await shapeOf(db, 'dossiers');
    const { rows: [span] } = await sql<{ first: string; last: string }>`select min(received_at) as first, max(received_at) as last from dossiers`.execute(db);
    const years = yearsBetween(span.first, span.last);
    await db.transaction().execute(async (trx) => {
      await sql`alter table dossiers rename to dossiers_plain`.execute(trx);
      await createPartitioned(trx, 'dossiers_plain', 'dossiers', years);
      await sql`insert into dossiers select * from dossiers_plain`.execute(trx);
      await sql`drop table dossiers_plain`.execute(trx);
      await addKeys(trx, 'dossiers', shape);
    });
    await sql`vacuum analyze`.execute(db);
    await sql`analyze dossiers`.execute(db);
    process.stderr.write(`partitioned in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  } finally {
    await db.destroy();
  }
  return url;
}

interface Shape {
  /** CREATE INDEX statements of the secondary indexes (all but the primary key's). */
  indexes: string[];
  /** Foreign keys: name and definition. */
  foreignKeys: Array<{ name: string; definition: string }>;
}

async function shapeOf(db: Kysely<any>, table: string): Promise<Shape> {
  const { rows: indexes } = await sql<{ definition: string }>`select pg_get_indexdef(i.indexrelid) as definition from pg_index i
    where i.indrelid = ${table}::regclass and not i.indisprimary order by 1`.execute(db);
  const { rows: foreignKeys } = await sql<{ name: string; definition: string }>`select conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where conrelid = ${table}::regclass and contype = 'f' order by 1`.execute(db);
  const { rows: referencing } = await sql`select 1 from pg_constraint where confrelid = ${table}::regclass`.execute(db);
  if (referencing.length) throw new Error(`${table} is referenced by a foreign key: the bench does not know how to move it`);
  return { indexes: indexes.map((r) => r.definition), foreignKeys };
}

function yearsBetween(first: string, last: string): number[] {
  const years: number[] = [];
  for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) years.push(y);
  return years;
}

/** `target` like `source` (columns, defaults, checks), partitioned by range on received_at, one partition a year. */
async function createPartitioned(db: Kysely<any>, source: string, target: string, years: number[]): Promise<void> {
  await sql`create table ${sql.id(target)} (like ${sql.id(source)} including defaults including constraints) partition by range (received_at)`.execute(db);
  for (const y of years) {
    await sql`create table ${sql.id(`${target}_${y}`)} partition of ${sql.id(target)} for values from (${sql.lit(`${y}-01-01`)}) to (${sql.lit(`${y + 1}-01-01`)})`.execute(db);
  }
}

/**
 * The key, foreign keys and secondary indexes of `shape` on `table`: the key (received_at, code), since a
 * partitioned table's unique keys must contain the partition key; each index made on the parent is made on
 * every partition. The indexes are named after `table`.
 */
async function addKeys(db: Kysely<any>, table: string, shape: Shape, key = ['received_at', 'code']): Promise<void> {
  await sql`alter table ${sql.id(table)} add primary key (${sql.join(key.map((c) => sql.id(c)))})`.execute(db);
  for (const fk of shape.foreignKeys) {
    await sql`alter table ${sql.id(table)} add constraint ${sql.id(fk.name.replace(/^dossiers/, table))} ${sql.raw(fk.definition)}`.execute(db);
  }
  for (const definition of shape.indexes) {
    const m = /^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?(?:\S+\.)?\w+ (USING .*)$/.exec(definition);
    if (!m) throw new Error(`unexpected index definition: ${definition}`);
    await sql.raw(`CREATE ${m[1] ?? ''}INDEX ${m[2].replace(/^dossiers(_plain)?/, table)} ON ${table} ${m[3]}`).execute(db);
  }
}

/** Table and index sizes of dossiers (of its partitions when partitioned), and of the whole database. */
async function sizesOf(db: Db | Kysely<any>, table = 'dossiers') {
  // pg_partition_tree gives nothing for a plain table: then the table itself.
  const { rows: [row] } = await sql<{ table: string; indexes: string; database: string }>`
    with parts as (select relid from pg_partition_tree(${table}) where isleaf
      union all select ${table}::regclass where not exists (select 1 from pg_partition_tree(${table})))
    select sum(pg_relation_size(relid)) as table, sum(pg_indexes_size(relid)) as indexes, pg_database_size(current_database()) as database from parts`.execute(db);
  const { rows: parts } = await sql<{ name: string }>`select relid::text as name from pg_partition_tree(${table}) where isleaf and level > 0 order by 1`.execute(db);
  return { table: Number(row.table), indexes: Number(row.indexes), database: Number(row.database), partitions: parts.map((p) => p.name) };
}

/** The SELECT on dossiers that `run` sends (the largest one: a call also reads the units). */
async function dossierSelect(db: Db, run: (db: Db) => Promise<unknown>): Promise<CompiledQuery> {
  const nodes: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs) {
      if (args.node.kind === 'SelectQueryNode') nodes.push(args.node);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return args.result;
    },
  };
  await run(db.withPlugin(plugin));
  const compiled = nodes.map((node) => db.getExecutor().compileQuery(node, { queryId: 'explain' })).filter((c) => c.sql.includes('"dossiers"'));
  if (!compiled.length) throw new Error('no SELECT on dossiers was sent');
  return compiled.reduce((a, b) => (b.sql.length > a.sql.length ? b : a));
}

/**
 * The query with `dossiers` read as the dossiers received in the period (a range of the index on received_at)
 * and those received before it and not ended before it (the carried over, by the index on ended_at), which is
 * what the partitioned table's plan reads; the query's own conditions still apply on top, so the rows are the same.
 * What a change of the dossier path's SQL, not of the schema, could do.
 */
function splitDossiers(query: CompiledQuery, period: Span): CompiledQuery {
  const from = `'${period.from}'`;
  const toNext = `'${period.toNext}'`;
  const table = 'from "dossiers" as "d"';
  if (query.sql.split(table).length !== 2) throw new Error('the query does not read dossiers once');
  const split = `from (select * from dossiers where received_at >= ${from} and received_at < ${toNext}
    union all select * from dossiers where received_at < ${from} and (ended_at is null or ended_at >= ${from})) as "d"`;
  return CompiledQuery.raw(query.sql.replace(table, split), [...query.parameters]);
}

/**
 * The query with `dossiers` read through the whole period's own condition (received by its last day, not ended
 * before its first: what every sub-period's `relevant` implies) written as constants, which the planner can prune
 * partitions by. The query's conditions still apply, so the rows are the same. `fenced`: behind OFFSET 0, so that
 * the planner reads the bounded dossiers once instead of once per sub-period.
 */
function envelope(query: CompiledQuery, period: Span, fenced = false): CompiledQuery {
  const table = 'from "dossiers" as "d"';
  if (query.sql.split(table).length !== 2) throw new Error('the query does not read dossiers once');
  const bounded = `from (select * from dossiers where received_at < '${period.toNext}' and (ended_at is null or ended_at >= '${period.from}')${fenced ? ' offset 0' : ''}) as "d"`;
  return CompiledQuery.raw(query.sql.replace(table, bounded), [...query.parameters]);
}

/**
 * COPY of the same `count` generated rows (COPY's text format, written once under bench/out/) into an empty
 * table of each shape, with tthc's key, foreign key and secondary indexes, each in its own transaction, alternately.
 */
async function timeCopies(db: Db, count: number, seed: number, runs: number) {
  const file = join(OUT_DIR, `dossier-rows-${count}-s${seed}-v${GENERATOR_VERSION}.copy`);
  const columns = await writeCopyFile(file, count, seed);
  const raw = db as unknown as Kysely<any>;
  const shape = await shapeOf(raw, 'dossiers');
  const { rows: [span] } = await sql<{ first: string; last: string }>`select min(received_at) as first, max(received_at) as last from dossiers`.execute(raw);
  const result = { plain: [] as number[], partitioned: [] as number[], sizes: {} as Record<'plain' | 'partitioned', Awaited<ReturnType<typeof sizesOf>>> };
  const targets = [
    { name: 'copy_plain', shape: 'plain' as const, times: result.plain, create: async () => {
      await sql`create table copy_plain (like dossiers including defaults including constraints)`.execute(raw);
      await addKeys(raw, 'copy_plain', shape, ['code']);
    } },
    { name: 'copy_partitioned', shape: 'partitioned' as const, times: result.partitioned, create: async () => {
      // Partitions for the rows' years as well as the database's.
      await createPartitioned(raw, 'dossiers', 'copy_partitioned', yearsBetween(`${Math.min(2019, Number(span.first.slice(0, 4)))}`, `${Math.max(2026, Number(span.last.slice(0, 4)))}`));
      await addKeys(raw, 'copy_partitioned', shape);
    } },
  ];
  try {
    for (let i = 0; i < runs; i++) {
      for (const t of targets) {
        await sql`drop table if exists ${sql.id(t.name)} cascade`.execute(raw);
        await t.create();
        const started = performance.now();
        const stored = await db.transaction().execute((trx) =>
          withPgSession(trx, (session) => session.copyFromStream(`copy ${t.name} (${columns.join(', ')}) from stdin`, createReadStream(file))));
        t.times.push((performance.now() - started) / 1000);
        if (stored !== count) throw new Error(`COPY stored ${stored} rows, not ${count}`);
        result.sizes[t.shape] = await sizesOf(raw, t.name);
      }
    }
  } finally {
    for (const t of targets) await sql`drop table if exists ${sql.id(t.name)} cascade`.execute(raw);
  }
  return result;
}

/** The generator's first `count` dossiers as COPY text; returns the columns in file order. */
async function writeCopyFile(file: string, count: number, seed: number): Promise<string[]> {
  const province = buildProvince(seed);
  const rows = generateDossiers(count, seed, province);
  const first = rows.next();
  if (first.done) throw new Error('generator gave nothing');
  const columns = Object.keys(dossierRow(first.value, first.value.unit.code));
  if (existsSync(file)) return columns;
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const escape = (v: unknown) => (v === null || v === undefined ? '\\N' : String(v).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!));
  let next: IteratorResult<(typeof first)['value']> = first;
  let lines: string[] = [];
  for (let i = 0; i < count && !next.done; i++, next = rows.next()) {
    const row = dossierRow(next.value, next.value.unit.code) as unknown as Record<string, unknown>;
    lines.push(columns.map((c) => escape(row[c])).join('\t'));
    if (lines.length === 10_000) {
      if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
      lines = [];
    }
  }
  if (lines.length) out.write(lines.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return columns;
}
