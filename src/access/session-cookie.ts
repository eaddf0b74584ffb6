/**
 * The console's signed session in a cookie: `HttpOnly` (page scripts cannot read it, so a script
 * injected into the page cannot carry it off), `SameSite=Strict` (other sites cannot make the browser
 * send it), `Path=/v1` (only API calls carry it), `Secure` over HTTPS. The API key itself never
 * reaches the browser's storage: sign-in sends it once to `POST /v1/sessions`, which answers with
 * this cookie instead of a token.
 *
 * Requests that change something with cookie credentials must also carry `x-parcelgate-console: 1`
 * (a header another site cannot add without a CORS preflight this API never grants), on top of
 * SameSite, against cross-site request forgery.
 */

/** Name of the session cookie. */
export const sessionCookieName = 'parcelgate_session';

/** Header that cookie-authenticated requests other than GET/HEAD/OPTIONS must carry. */
export const consoleRequestHeader = 'x-parcelgate-console';

/** The value of one cookie in a `Cookie` request header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` value holding a session token for `maxAgeSeconds` (0 deletes the cookie). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${sessionCookieName}=${token}`,
    'Path=/v1',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Whether a method changes state (and so needs the console header with cookie credentials). */
export const unsafeMethod = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);
