/**
 * The few pieces of the tar format (POSIX ustar, with a PAX record for names over 100 bytes) that
 * logsift writes itself. Writing headers here, instead of through a tar library's stream, is what
 * lets each part be gzipped on its own while it is written (see gzip-entry-part.ts): an archive is
 * then gzip members concatenated, which every gunzip reads as one stream (RFC 1952 §2.2).
 */

export const TAR_BLOCK = 512;

/** Two zero blocks end a tar archive. */
export const TAR_END = Buffer.alloc(2 * TAR_BLOCK);

/** Zero bytes that pad an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** The size field: octal up to 8 GiB − 1, GNU base-256 beyond (what GNU tar and bsdtar read). */
function writeSize(buf: Buffer, size: number): void {
  if (size < 0o77777777777) {
    writeOctal(buf, 124, 12, size);
    return;
  }
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    buf[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  buf[124] = 0x80;
}

function header(name: string, size: number, mtime: Date, type: '0' | 'x'): Buffer {
  const buf = Buffer.alloc(TAR_BLOCK);
  buf.write(name, 0, 100, 'utf8');
  writeOctal(buf, 100, 8, 0o644);
  writeOctal(buf, 108, 8, 0);
  writeOctal(buf, 116, 8, 0);
  writeSize(buf, size);
  writeOctal(buf, 136, 12, Math.max(0, Math.floor(mtime.getTime() / 1000)));
  buf.fill(0x20, 148, 156);
  buf.write(type, 156, 1, 'ascii');
  buf.write('ustar\u000000', 257, 8, 'ascii');
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return buf;
}

/** A PAX record `"<len> path=<name>\n"`, where len counts the whole record including itself. */
function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let len = bodyBytes + 1;
  while (String(len).length + bodyBytes !== len) len = String(len).length + bodyBytes;
  return Buffer.from(`${len}${body}`);
}

/**
 * The header block(s) of a regular file entry: one ustar header, preceded by a PAX header and
 * record when the name does not fit ustar's 100-byte field.
 */
export function tarFileHeader(name: string, size: number, mtime: Date): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tar entry size ${size}`);
  if (Buffer.byteLength(name) <= 100) return header(name, size, mtime, '0');
  const record = paxPath(name);
  const short = Buffer.from(name).subarray(0, 100).toString('utf8').replace(/\uFFFD+$/, '');
  return Buffer.concat([
    header(`PaxHeader/${short}`.slice(0, 100), record.length, mtime, 'x'),
    record,
    tarPadding(record.length),
    header(short, size, mtime, '0'),
  ]);
}
