import type { TestProject } from 'vitest/node';
import { findPgBin, startThrowawayCluster } from '../../scripts/pg-cluster.ts';

// Starts a throwaway PostgreSQL cluster for the test run (or uses TTHC_TEST_PG_URL), so that every test that
// touches a database runs on SQLite and on a real PostgreSQL server. Without PostgreSQL binaries the
// PostgreSQL half is skipped with one line, unless TTHC_TEST_REQUIRE_PG=1 (set by .ci/run) makes that fatal.

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
  }
}

// Durability is not what the tests check: without fsync the suite runs faster.
const TEST_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];

export default async function setup(project: TestProject) {
  if (process.env.TTHC_TEST_PG_URL) {
    project.provide('pgAdminUrl', process.env.TTHC_TEST_PG_URL);
    return;
  }
  const bin = findPgBin();
  if (!bin) {
    const message = 'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: the PostgreSQL half of the tests is skipped';
    if (process.env.TTHC_TEST_REQUIRE_PG === '1') throw new Error(`${message} (TTHC_TEST_REQUIRE_PG=1 forbids that)`);
    console.warn(message);
    project.provide('pgAdminUrl', null);
    return;
  }
  const cluster = await startThrowawayCluster(bin, TEST_SETTINGS);
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
