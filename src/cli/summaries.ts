// The one-line summary of each command: its --help description, and the list that `tthc --help` prints
// without loading the commands themselves.
export const SUMMARIES = {
  import: 'Import dossier exports (.xlsx, .csv, or folders of them) into the database, one transaction per file',
  units: 'The unit catalogue (đơn vị): import, reform mapping, list, history',
  procedures: 'The procedure catalogue (thủ tục hành chính): import and list',
  batches: 'List the import batches: what was imported, when, from which file, with its counts',
  rejects: 'List the rows that imports rejected, with their reasons and their (non-personal) values: csv and xlsx give one column per column of the export, so that a clerk can fix them and import the file again',
  stats: 'Counts and rates of the counting rules (docs/rules.md) for a period: new receipts by channel, carried over, resolved, withdrawn, pending',
  dossiers: 'List the dossiers behind one figure of `tthc stats` or of a report sheet (same period and filters), to trace a number',
  rank: 'Rank units by the QĐ 766 index (docs/index-766.md) for a period: points of each indicator the dossiers give, total, score on 100, rank within each level and class (Tốt/Khá/…)',
  report: 'Excel workbook of the published tables (yearly, monthly, per unit, form 06, catalogue, targets, charts, text), or the Word report in the form of Decree 30/2020 (.docx, or .pdf through LibreOffice)',
  verify: "Recompute from the dossiers alone each dossier's stored outcome and overdue day, the summaries by half-month (by unit, and by procedure too) and the flow identity of every unit and month (carried over + received = resolved + withdrawn + pending); list every difference, exit code 1 when any",
  check: 'Check the figures of a published report: against the database (recomputed value, difference, the dossiers behind it) or, with --self, against themselves (totals, rates, flow, months); exit code 1 when any is wrong',
  demo: 'Generate a Hạ Hoà-like district dataset and part of a province across the 2025 reform (exports and catalogues), import them into ./tthc-demo.db (or --db) and print the yearly table by level of Hạ Hoà for 2020–2023',
  serve: "The office's web page on this computer: dashboard, dossiers behind each figure, import, report, checks, and a JSON API under /api/",
} as const;
