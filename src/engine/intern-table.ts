/**
 * A bounded table of token strings, looked up by a hash computed while scanning, so a word seen
 * before is returned as the same string object without slicing a new one: less garbage, and
 * comparisons and Map lookups on identical objects are cheap. When full it starts over.
 */
const SIZE = 1 << 16;
const MASK = SIZE - 1;
const LIMIT = (SIZE * 3) >> 2;
const PROBES = 8;

export class InternTable {
  private slots: (string | undefined)[] = new Array<string | undefined>(SIZE);
  private count = 0;

  /** The string text[s, e) whose scan hash is `hash`. */
  get(text: string, s: number, e: number, hash: number): string {
    const len = e - s;
    let idx = hash & MASK;
    for (let p = 0; p < PROBES; p++) {
      const cand = this.slots[idx];
      if (cand === undefined) {
        const str = text.slice(s, e);
        if (this.count >= LIMIT) this.reset();
        this.slots[hash & MASK] = str;
        this.count++;
        return str;
      }
      if (cand.length === len && sameText(cand, text, s, len)) return cand;
      idx = (idx + 1) & MASK;
    }
    return text.slice(s, e);
  }

  private reset(): void {
    this.slots = new Array<string | undefined>(SIZE);
    this.count = 0;
  }
}

/** cand === text[s, s + len): a plain loop for short words beats a builtin call. */
function sameText(cand: string, text: string, s: number, len: number): boolean {
  if (len > 16) return text.startsWith(cand, s);
  for (let i = 0; i < len; i++) if (cand.charCodeAt(i) !== text.charCodeAt(s + i)) return false;
  return true;
}

/** The scan hash: h = h × 31 + code, 32-bit. */
export function hashStep(h: number, code: number): number {
  return (Math.imul(h, 31) + code) | 0;
}
