/**
 * Signatures: MurmurHash3 x86_128 (seed 0) of the template's UTF-8 bytes, written as 32 hex digits
 * (h1..h4, each little-endian, the byte order of the reference implementation). Implemented here so
 * the engine needs no crypto module; the same template gives the same signature in every process.
 */
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const le32 = (b: Uint8Array, i: number): number =>
  ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;

/** The four 32-bit words of MurmurHash3 x86_128. */
export function murmur3x86x128(bytes: Uint8Array, seed = 0): [number, number, number, number] {
  const len = bytes.length;
  const nblocks = len >>> 4;
  let h1 = seed >>> 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  for (let b = 0; b < nblocks; b++) {
    const i = b * 16;
    let k1 = le32(bytes, i);
    let k2 = le32(bytes, i + 4);
    let k3 = le32(bytes, i + 8);
    let k4 = le32(bytes, i + 12);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const tail = nblocks * 16;
  const rest = len & 15;
  const byte = (j: number): number => (j < rest ? (bytes[tail + j] as number) : 0);
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  if (rest > 12) {
    k4 = byte(12) | (byte(13) << 8) | (byte(14) << 16);
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  }
  if (rest > 8) {
    k3 = byte(8) | (byte(9) << 8) | (byte(10) << 16) | (byte(11) << 24);
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  }
  if (rest > 4) {
    k2 = byte(4) | (byte(5) << 8) | (byte(6) << 16) | (byte(7) << 24);
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  }
  if (rest > 0) {
    k1 = byte(0) | (byte(1) << 8) | (byte(2) << 16) | (byte(3) << 24);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  }
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const encoder = new TextEncoder();

function leHex(word: number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ((word >>> (i * 8)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

/** The 32-hex signature of a template string (lone surrogates are encoded as U+FFFD). */
export function signatureOf(template: string): string {
  const [a, b, c, d] = murmur3x86x128(encoder.encode(template));
  return leHex(a) + leHex(b) + leHex(c) + leHex(d);
}
