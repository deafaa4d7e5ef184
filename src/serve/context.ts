import type { Db } from '../db/connection.ts';
import { UserError } from '../domain/errors.ts';
import type { FilterChoices } from './forms.ts';
import type { ImportWorker } from './import-thread.ts';

/** What every route needs: the open database and the server's settings. */
export interface ServeContext {
  /** The connection the pages read from. */
  db: Db;
  /** The connection imports write to (the same as db on PostgreSQL, or when no second connection was opened). */
  writer: Db;
  /** Imports in a thread of their own, when the pages have a reader of their own (SQLite in WAL); else they use writer. */
  importWorker?: ImportWorker;
  /** The database as the user named it (a path or a redacted URL), shown on the pages. */
  dbLabel: string;
  /** This run's token against cross-site requests. */
  csrf: string;
  /** Largest upload accepted, in bytes. */
  uploadLimit: number;
  /** Runs one import at a time: imports of several uploads never interleave. */
  serialize<T>(work: () => Promise<T>): Promise<T>;
}

/** An error in what the user asked for (a period, a filter, a file): shown as its message, not as a failure. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UserError;
}

export function serializer(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const next = last.then(work, work);
    last = next.catch(() => undefined);
    return next;
  };
}

/** The units and fields the filter form offers: the unit catalogue, and the fields given (those with data). */
export async function filterChoices(ctx: ServeContext, fields: readonly (string | null | undefined)[]): Promise<FilterChoices> {
  const units = await ctx.db.selectFrom('units').select(['code', 'name']).execute();
  return {
    units: units.sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    fields: [...new Set(fields.filter((f): f is string => !!f))].sort((a, b) => a.localeCompare(b, 'vi')),
  };
}
