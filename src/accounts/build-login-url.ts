/** Path of the page that exchanges a one-time login token (the HTTP layer serves it). */
export const LOGIN_PATH = '/login';

/**
 * The link printed on first start, like Jupyter's: `<publicUrl>/login?token=<one-time token>`.
 * The page posts the token to the login exchange and keeps the API token it gets back.
 */
export function buildLoginUrl(publicUrl: string, loginToken: string): string {
  const url = new URL(LOGIN_PATH.slice(1), `${publicUrl.replace(/\/+$/, '')}/`);
  url.searchParams.set('token', loginToken);
  return url.toString();
}
