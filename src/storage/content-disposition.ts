/**
 * Builds an `attachment` Content-Disposition header (RFC 6266) for `filename`: an ASCII fallback
 * in `filename="…"` and the exact name as RFC 5987 `filename*=UTF-8''…`. Only the last path
 * segment is kept and quotes, backslashes and control characters are dropped, so a user-chosen
 * name can neither inject header syntax nor suggest a directory to the browser.
 */
export function contentDisposition(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim() || 'download';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
