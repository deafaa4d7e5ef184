import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatCount, formatPercent } from '../domain/numbers.ts';
import { viDay, type Period } from '../domain/periods.ts';
import { filterLabel, periodLabel } from '../report/labels.ts';
import type { StatsQuery } from '../stats/types.ts';

// The pages are HTML written on the server with hono's `html` template tag, which escapes every value put into
// it (only `raw` and nested templates go in as they are): no text from the database or a file can become markup.

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
export { html, raw };

/** The pages of the site, in the order of its menu. */
export const PAGES = [
  { path: '/', title: 'Tổng quan' },
  { path: '/ho-so', title: 'Hồ sơ' },
  { path: '/nhap-du-lieu', title: 'Nhập dữ liệu' },
  { path: '/bao-cao', title: 'Báo cáo' },
  { path: '/kiem-tra', title: 'Kiểm tra' },
] as const;

export interface LayoutOptions {
  title: string;
  /** The menu entry to mark as the current page. */
  current: string;
  /** The CSRF token, put in a meta tag for the script's POSTs. */
  csrf: string;
  body: Html;
}

export function layout({ title, current, csrf, body }: LayoutOptions): Html {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${csrf}">
<title>${title} – tthc</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">tthc</a>
<nav>${PAGES.map((p) => html`<a href="${p.path}"${p.path === current ? raw(' aria-current="page"') : ''}>${p.title}</a>`)}</nav>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A count as vi-VN writes it, as a link to the dossiers behind it when `href` is given. */
export function countLink(n: number, href: string | undefined, figure?: string): Html {
  const text = formatCount(n);
  if (!href) return html`${text}`;
  return html`<a class="num" href="${href}" data-figure="${figure ?? ''}" data-value="${String(n)}">${text}</a>`;
}

export const percent = (fraction: number | null | undefined): string => formatPercent(fraction);

/** A message box: a user's error, a warning, a note. */
export function notice(kind: 'error' | 'warning' | 'info', lines: readonly string[]): Html {
  if (!lines.length) return html``;
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${lines.map((l) => html`<p>${l}</p>`)}</div>`;
}

/** The days of a period after its name, unless the name already says them: "(01/01/2023 – 25/05/2023)". */
export function periodDays(period: Period): string {
  return periodLabel(period).startsWith('Từ ngày') ? '' : `(${viDay(period.from)} – ${viDay(period.to)})`;
}

/** A stored time 'yyyy-MM-dd HH:mm:ss' as vi-VN writes it: "25/05/2023 16:31". */
export function viTime(time: string | null | undefined): string {
  return time ? `${viDay(time.slice(0, 10))} ${time.slice(11, 16)}` : '';
}

/** The line that says what a page counts: the period by name and days, and the filters. */
export function scopeLine(query: StatsQuery): Html {
  const filters = filterLabel(query.filters);
  return html`<p class="scope">Kỳ: <strong>${periodLabel(query.period)}</strong> ${periodDays(query.period)}${filters ? html`; ${filters}` : ''}</p>`;
}
