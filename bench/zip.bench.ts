import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { SheetXmlScanner } from '../src/import/readers/sheet-xml.ts';
import { SharedStringsBuilder, type SharedStrings } from '../src/import/readers/xlsx-shared-strings.ts';
import { openZip } from '../src/import/readers/xlsx-zip.ts';
import { cpuSince, reportResult, runWorker } from './lib/child.ts';
import { ensureExport } from './lib/export-files.ts';
import { benchSeed, flag, importRows } from './lib/options.ts';

// npm run bench:zip [-- --rows 1000000 --runs 3 --file FILE.xlsx]
// The .xlsx reader's zip layer (xlsx-zip.ts: yauzl's directory and raw reads, inflated in 128 KiB chunks, CRC-32
// by zlib.crc32) against yauzl's own streams (its 16 KiB inflate), and a CRC-32 in JavaScript (slicing-by-8)
// against zlib.crc32 (issue 11). Each run is a child process of its own, so its peak RSS is its alone. Two
// measures per zip layer:
//  - zip:  open the archive and stream the sheet part's bytes, CRC-32 checked (yauzl checks none: zlib.crc32 is
//          added so that both do the same work);
//  - read: the reader's whole read on top of it (shared strings, then the sheet through SheetXmlScanner).

type Layer = 'reader' | 'yauzl';
type Mode = 'zip' | 'read';
const LAYERS: Layer[] = ['reader', 'yauzl'];
const MODES: Mode[] = ['zip', 'read'];
const SHEET = 'xl/worksheets/sheet1.xml';
const STRINGS = 'xl/sharedStrings.xml';

/** An opened archive, whatever the layer: streams of an entry's uncompressed bytes, CRC-32 checked. */
interface Archive {
  stream(name: string, chunkSize: number): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

async function openReader(path: string): Promise<Archive> {
  const zip = await openZip(path);
  return {
    stream: (name, chunkSize) => zip.stream(zip.get(name)!, chunkSize),
    close: async () => zip.close(),
  };
}

async function openYauzl(path: string): Promise<Archive> {
  const zip = await yauzl.openPromise(path, { autoClose: false });
  const entries = new Map<string, yauzl.Entry>();
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      zip.once('entry', resolve);
      zip.once('end', () => resolve(null));
      zip.once('error', reject);
      zip.readEntry();
    });
    zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
    if (!entry) break;
    entries.set(entry.fileName, entry);
  }
  return {
    async *stream(name) {
      const entry = entries.get(name)!;
      const source: Readable = await zip.openReadStreamPromise(entry);
      let crc = 0;
      let total = 0;
      for await (const chunk of source as AsyncIterable<Buffer>) {
        crc = zlib.crc32(chunk, crc);
        total += chunk.length;
        yield chunk;
      }
      if (total !== entry.uncompressedSize || crc !== entry.crc32) throw new Error(`${name}: size or CRC-32 mismatch`);
    },
    close: async () => zip.close(),
  };
}

function openArchive(layer: Layer, path: string): Promise<Archive> {
  return layer === 'reader' ? openReader(path) : openYauzl(path);
}

async function child(layer: Layer, mode: Mode, path: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const archive = await openArchive(layer, path);
  let bytes = 0;
  let rows = 0;
  if (mode === 'zip') {
    for await (const chunk of archive.stream(SHEET, 128 * 1024)) bytes += chunk.length;
  } else {
    const builder = new SharedStringsBuilder(0);
    for await (const chunk of archive.stream(STRINGS, 256 * 1024)) builder.push(chunk);
    const strings: SharedStrings = builder.end();
    // In the bench file only the date cells carry a style: every styled number is read as a Date, as the reader does.
    const scanner = new SheetXmlScanner({ date1904: false, isDateStyle: (s) => s > 0, sharedString: (i) => strings.get(i) });
    for await (const chunk of archive.stream(SHEET, 128 * 1024)) {
      bytes += chunk.length;
      rows += scanner.push(chunk).length;
    }
    rows += scanner.end().length;
  }
  await archive.close();
  reportResult({ rows, bytes, seconds: (performance.now() - start) / 1000, cpuSeconds: cpuSince(cpu0) });
}

// CRC-32 (IEEE 802.3, as zip uses it) in JavaScript, eight bytes at a time ("slicing-by-8").
const CRC_TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
})();

class Crc32 {
  private crc = -1;

  update(bytes: Uint8Array): void {
    const t = CRC_TABLES;
    let crc = this.crc;
    let i = 0;
    const n = bytes.length;
    const end8 = n - (n & 7);
    for (; i < end8; i += 8) {
      const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const b = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
      crc =
        t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
        t[768 + (b & 0xff)] ^ t[512 + ((b >>> 8) & 0xff)] ^ t[256 + ((b >>> 16) & 0xff)] ^ t[b >>> 24];
    }
    for (; i < n; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    this.crc = crc;
  }

  digest(): number {
    return (this.crc ^ -1) >>> 0;
  }
}

/** MB/s of each CRC-32 over the first 64 MiB of the sheet's bytes (best of five). */
async function crcChild(path: string): Promise<void> {
  const zip = await openZip(path);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of zip.stream(zip.get(SHEET)!, 128 * 1024)) {
    if (size >= 64 * 1024 * 1024) break;
    chunks.push(chunk);
    size += chunk.length;
  }
  zip.close();
  const time = (run: () => number) => {
    let best = Infinity;
    let value = 0;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      value = run();
      best = Math.min(best, performance.now() - t);
    }
    return { mbPerSecond: Math.round(size / 1e6 / (best / 1000)), value };
  };
  const own = time(() => {
    const crc = new Crc32();
    for (const chunk of chunks) crc.update(chunk);
    return crc.digest();
  });
  const native = time(() => {
    let crc = 0;
    for (const chunk of chunks) crc = zlib.crc32(chunk, crc);
    return crc;
  });
  if (own.value !== native.value) throw new Error('the two CRC-32 differ');
  reportResult({ rows: 0, seconds: 0, cpuSeconds: 0, bytes: size, ownMBps: own.mbPerSecond, zlibMBps: native.mbPerSecond });
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as Layer, args[2] as Mode, args[3]);
} else if (args[0] === '--crc') {
  await crcChild(args[1]);
} else {
  if (typeof zlib.crc32 !== 'function') throw new Error(`zlib.crc32 is missing on Node ${process.version}`);
  const path = flag('file') ?? (await ensureExport('xlsx', importRows(), benchSeed())).path;
  const runs = Number(flag('runs') ?? 3);
  const script = fileURLToPath(import.meta.url).replace(/^.*\/bench\//, '');
  console.log(`${path}, Node ${process.version}, ${runs} runs of each (interleaved), best and median`);
  for (const mode of MODES) {
    const results = new Map<Layer, Array<{ seconds: number; cpuSeconds: number; peakMB: number; rows: number; bytes: number }>>();
    for (let run = 0; run < runs; run++) {
      for (const layer of LAYERS) {
        const result = await runWorker(script, ['--child', layer, mode, path]);
        results.set(layer, [...(results.get(layer) ?? []), result as never]);
      }
    }
    for (const layer of LAYERS) {
      const list = results.get(layer)!;
      const stat = (key: 'seconds' | 'cpuSeconds' | 'peakMB') => {
        const values = list.map((r) => r[key]).sort((a, b) => a - b);
        return `${values[0].toFixed(2)} / ${values[Math.floor(values.length / 2)].toFixed(2)}`;
      };
      console.log(
        `${mode.padEnd(4)} ${layer.padEnd(9)} wall s ${stat('seconds')}, CPU s ${stat('cpuSeconds')}, peak MB ${stat('peakMB')}` +
          ` (${list[0].rows} rows, ${Math.round(list[0].bytes / 1e6)} MB of XML)`,
      );
    }
  }
  const crc = await runWorker(script, ['--crc', path]);
  console.log(`CRC-32 over ${Math.round(Number(crc.bytes) / 1e6)} MB: JavaScript ${crc.ownMBps} MB/s, zlib.crc32 ${crc.zlibMBps} MB/s`);
}
