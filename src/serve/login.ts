import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html, notice, type Html } from './html.ts';

// A password for a server other computers reach (--host other than loopback): one login form, a session
// cookie (HttpOnly, SameSite=Strict), and at most MAX_FAILURES wrong passwords per address per window. Scripts
// may send the password as `Authorization: Bearer <password>` instead of logging in.

export const SESSION_COOKIE = 'tthc_session';
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const SESSION_MS = 12 * 60 * 60 * 1000;

const digest = (text: string) => createHash('sha256').update(text).digest();

export class Login {
  private readonly password: Buffer;
  private readonly sessions = new Map<string, number>();
  private readonly failures = new Map<string, number[]>();

  constructor(password: string) {
    this.password = digest(password);
  }

  /** Whether a password is the server's (compared in constant time, as digests of equal length). */
  matches(given: string): boolean {
    return timingSafeEqual(digest(given), this.password);
  }

  /** Whether the address has used up its wrong passwords for now. */
  blocked(address: string, now = Date.now()): boolean {
    const recent = (this.failures.get(address) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    this.failures.set(address, recent);
    return recent.length >= MAX_FAILURES;
  }

  failed(address: string, now = Date.now()): void {
    this.failures.set(address, [...(this.failures.get(address) ?? []), now]);
  }

  newSession(now = Date.now()): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, now + SESSION_MS);
    return id;
  }

  valid(session: string | undefined, now = Date.now()): boolean {
    if (!session) return false;
    const until = this.sessions.get(session);
    if (until === undefined) return false;
    if (until < now) {
      this.sessions.delete(session);
      return false;
    }
    return true;
  }

  /** Lets through the login page, the assets, a valid session cookie or the password as a bearer token. */
  guard(): MiddlewareHandler {
    return async (c, next) => {
      if (c.req.path === '/dang-nhap' || c.req.path.startsWith('/assets/')) return next();
      if (this.valid(getCookie(c, SESSION_COOKIE))) return next();
      const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
      if (bearer) {
        const address = clientAddress(c);
        if (this.blocked(address)) return c.json({ error: 'sai mật khẩu quá nhiều lần, hãy thử lại sau 15 phút' }, 429);
        if (this.matches(bearer[1])) return next();
        this.failed(address);
        return c.json({ error: 'sai mật khẩu' }, 401);
      }
      if (c.req.path.startsWith('/api/')) return c.json({ error: 'cần đăng nhập' }, 401);
      return c.redirect(`/dang-nhap?tiep=${encodeURIComponent(c.req.path + new URL(c.req.url).search)}`, 303);
    };
  }

  /** POST /dang-nhap: a session for the right password, else the form again (401), or 429 after too many. */
  async handle(c: Context, form: FormData, csrf: string, page: (body: Html, status: 200 | 401 | 429) => Promise<Response>): Promise<Response> {
    const address = clientAddress(c);
    const next = safeNext(String(form.get('tiep') ?? '/'));
    if (this.blocked(address)) return page(loginForm(csrf, next, 'Sai mật khẩu quá nhiều lần: hãy thử lại sau 15 phút.'), 429);
    if (!this.matches(String(form.get('password') ?? ''))) {
      this.failed(address);
      return page(loginForm(csrf, next, 'Sai mật khẩu.'), 401);
    }
    setCookie(c, SESSION_COOKIE, this.newSession(), { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: SESSION_MS / 1000 });
    return c.redirect(next, 303);
  }
}

/** Only a path of this server may follow the login: never another site. */
function safeNext(next: string): string {
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function loginForm(csrf: string, next: string, error?: string): Html {
  return html`${error ? notice('error', [error]) : ''}
<form class="login" method="post" action="/dang-nhap">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="tiep" value="${safeNext(next)}">
<label>Mật khẩu <input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Đăng nhập</button>
</form>`;
}
