import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { tempDir } from '../helpers/databases.ts';

// Workbooks written by hand for the .xlsx reader's tests: the zip and the XML as other spreadsheet programs write
// them, so that each test says exactly which parts and which XML it reads.

/** A zip of the given parts, in the given order; `stored` parts are not compressed. */
export function zip(parts: Array<[string, string | Buffer]>, stored: string[] = []): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of parts) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const method = stored.includes(name) ? 0 : 8;
    const compressed = method === 0 ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a workbook whose sheets are `sheets` (XML of their <sheetData> content), default namespace. */
export function workbookParts(options: {
  sheets: string[];
  sharedStrings?: string;
  styles?: string;
  workbookPr?: string;
  prefix?: string;
}): Array<[string, string]> {
  const p = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix ? `xmlns:${options.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const parts: Array<[string, string]> = [];
  // The sheets first, as exceljs's streaming writer puts them: the reader must not depend on the order.
  options.sheets.forEach((data, i) => {
    parts.push([`xl/worksheets/sheet${i + 1}.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n<${p}worksheet ${ns}><${p}sheetData>${data}</${p}sheetData></${p}worksheet>`]);
  });
  if (options.sharedStrings !== undefined) {
    parts.push(['xl/sharedStrings.xml', `<?xml version="1.0"?><${p}sst ${ns}>${options.sharedStrings}</${p}sst>`]);
  }
  if (options.styles !== undefined) parts.push(['xl/styles.xml', `<${p}styleSheet ${ns}>${options.styles}</${p}styleSheet>`]);
  const sheetList = options.sheets.map((_, i) => `<${p}sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rIdS${i + 1}"/>`).join('');
  parts.push(['xl/workbook.xml', `<${p}workbook ${ns} xmlns:r="${REL}">${options.workbookPr ?? ''}<${p}sheets>${sheetList}</${p}sheets></${p}workbook>`]);
  const rels = options.sheets.map((_, i) => `<Relationship Id="rIdS${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  if (options.sharedStrings !== undefined) rels.push(`<Relationship Id="rIdSS" Type="${REL}/sharedStrings" Target="/xl/sharedStrings.xml"/>`);
  if (options.styles !== undefined) rels.push(`<Relationship Id="rIdSt" Type="${REL}/styles" Target="styles.xml"/>`);
  parts.push(['xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`]);
  parts.push(['_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`]);
  parts.push(['[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>']);
  return parts;
}

export function writeWorkbook(parts: Array<[string, string | Buffer]>, stored: string[] = [], name = 'wb.xlsx'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, zip(parts, stored));
  return path;
}
