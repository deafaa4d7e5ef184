import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

// A local tool's web page, guarded against the web pages a browser has open at the same time:
// - DNS rebinding: a site whose name resolves to 127.0.0.1 would reach the server with its own name in the Host
//   header; only requests addressed to a loopback name (or the --host the server was started on) are answered.
// - Cross-site requests: every POST carries the token the pages hold (a form field or the X-CSRF-Token header),
//   which another site cannot read, and, when the browser sends an Origin, it must be this server's own.
// - A strict Content-Security-Policy: scripts, styles and images from the server only, no inline script.

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host name of a Host header, without its port. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '');
}

export function allowedHost(header: string | undefined, bound: string): boolean {
  if (!header) return false;
  const name = hostName(header);
  return LOOPBACK_NAMES.has(name) || name === bound.toLowerCase();
}

/** Answers 403 to a request whose Host header names another site. */
export function hostCheck(bound: string): MiddlewareHandler {
  return async (c, next) => {
    if (!allowedHost(c.req.header('host'), bound)) {
      return c.text('Từ chối: địa chỉ máy chủ trong yêu cầu không phải localhost hay 127.0.0.1.', 403);
    }
    await next();
  };
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Refuses a state-changing request without the page's token, or sent by a page of another origin. The token is
 * read from the X-CSRF-Token header or, on the routes that take a form (`formRoutes`), from its `csrf` field,
 * which those routes check once they have read the body (formTokenValid).
 */
export function csrfCheck(token: string, formRoutes: ReadonlySet<string>): MiddlewareHandler {
  const refuse = (c: Parameters<MiddlewareHandler>[0], why: string) => c.text(`Từ chối: ${why}.`, 403);
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== c.req.header('host')) return refuse(c, 'yêu cầu đến từ một trang khác');
    }
    const header = c.req.header('x-csrf-token');
    if (header !== undefined) return sameToken(header, token) ? next() : refuse(c, 'sai mã chống giả mạo (CSRF)');
    const isForm = /^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '');
    if (isForm && formRoutes.has(c.req.path)) return next();
    return refuse(c, 'thiếu mã chống giả mạo (CSRF)');
  };
}

/** Whether a form's `csrf` field holds the token. */
export function formTokenValid(form: FormData, token: string): boolean {
  const value = form.get('csrf');
  return typeof value === 'string' && sameToken(value, token);
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', 'no-store');
};
