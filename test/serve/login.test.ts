import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/databases.ts';
import { serveDatabase, tinyDatabase, TINY_2023, type TestServer } from './fixtures.ts';

// A server with a password (what `--host` other than loopback requires): nothing without a session or the
// password, a session cookie that scripts cannot read, and a limit on wrong passwords.

const PASSWORD = 'mot-mat-khau-dai';
let server: TestServer;

beforeAll(async () => {
  server = await serveDatabase(await tinyDatabase(tempDir('tthc-serve-login-')), { password: PASSWORD });
});
afterAll(async () => {
  await server?.stop();
});

const login = (password: string, token = server.token) => {
  const form = new FormData();
  form.append('csrf', token);
  form.append('password', password);
  form.append('tiep', '/?year=2023');
  return fetch(`${server.url}/dang-nhap`, { method: 'POST', body: form, redirect: 'manual' });
};

describe('a server with a password', () => {
  it('sends a page without a session to the login, and refuses the API', async () => {
    const page = await fetch(`${server.url}/?year=2023`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/dang-nhap?tiep=%2F%3Fyear%3D2023');
    expect((await fetch(`${server.url}/api/stats?year=2023`)).status).toBe(401);
    expect((await fetch(`${server.url}/dang-nhap`)).status).toBe(200);
  });

  it('refuses a wrong password and a login without the form token; the right one gives an HttpOnly session', async () => {
    expect((await login('sai-mat-khau')).status).toBe(401);
    expect((await login(PASSWORD, 'sai')).status).toBe(403);
    const ok = await login(PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/?year=2023');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tthc_session=[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${server.url}/?year=2023`, { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`data-value="${TINY_2023.receivedTotal}"`);
  });

  it('takes the password as a bearer token for scripts', async () => {
    const response = await fetch(`${server.url}/api/stats?year=2023`, { headers: { authorization: `Bearer ${PASSWORD}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Array<{ receivedTotal: number }>)[0].receivedTotal).toBe(TINY_2023.receivedTotal);
  });

  it('stops taking passwords from an address after five wrong ones', async () => {
    // One wrong password was tried above.
    for (let i = 0; i < 4; i++) expect((await login(`sai-${i}-mat-khau`)).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(429);
    expect((await fetch(`${server.url}/api/stats?year=2023`, { headers: { authorization: `Bearer ${PASSWORD}` } })).status).toBe(429);
  });
});
