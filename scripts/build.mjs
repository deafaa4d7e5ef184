// Builds dist/: the CLI, the library and the parse worker as ES modules, bundled by esbuild with code splitting,
// so that a command loads only the chunks it uses; then (unless --js-only) the library's type declarations by tsc.
//
// Pure-JavaScript ES-module dependencies (kysely, zod, date-fns, commander, csv-*) are bundled: loaded from
// node_modules they are hundreds of small files, and `tthc --help` spent most of its time resolving them. Native,
// CommonJS and large ones stay external and are loaded only by the commands that use them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLED = new Set(['kysely', 'zod', 'date-fns', 'commander', 'csv-parse', 'csv-stringify']);
const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(root, 'package.json'), 'utf8')));
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));

// The JavaScript of an earlier build goes (chunk names change with their contents); dist/types stays for tsc.
mkdirSync(join(root, 'dist'), { recursive: true });
for (const name of readdirSync(join(root, 'dist'))) if (name.endsWith('.js')) rmSync(join(root, 'dist', name));
await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/cli/index.ts',
    index: 'src/index.ts',
    'parse-worker': 'src/import/parse-worker.ts',
    'import-worker': 'src/serve/import-worker.ts',
  },
  outdir: 'dist',
  // Chunks sit beside the entries: the parse worker is found as ./parse-worker.js from any of them.
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  // commander is CommonJS: its require() of Node's modules needs a real require in an ES module.
  banner: { js: "import { createRequire as __tthcCreateRequire } from 'node:module'; const require = __tthcCreateRequire(import.meta.url);" },
  legalComments: 'none',
  // Smaller files parse faster at every start; identifiers are kept, so that a stack trace stays readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
writeFileSync(join(root, 'dist', 'package.json'), '{ "type": "module" }\n');

if (!process.argv.includes('--js-only')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
