import { VAR, WILDCARD } from './tokenizer.ts';

const isVar = (key: string): boolean => key.charCodeAt(0) === 0;

/** The similarity reported for "all compared positions but one match" (see `similarity`). */
export const ONE_OFF_SIMILARITY = 0.99;
/** …when at least this many positions were compared. */
export const ONE_OFF_MIN_COMPARED = 3;

/**
 * Similarity of a message (token keys) to a cluster template of the same length: the share of
 * compared positions that match. A position that is a variable in both is not compared at all, so a
 * message made mostly of masked values still matches its own template (Drain counts those positions
 * as mismatches, which is what makes Drain3 create thousands of clusters with one identical
 * template). A template variable absorbs any word; a template word must be equal.
 */
export function similarity(template: readonly string[], keys: readonly string[], n: number): number {
  let compared = 0;
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const t = template[i] as string;
    const m = keys[i] as string;
    if (t === m) {
      if (!isVar(t)) {
        compared++;
        matched++;
      }
      continue;
    }
    const tVar = isVar(t);
    if (tVar && isVar(m)) continue;
    compared++;
  }
  if (compared === 0) return 1;
  // one differing word in three or more compared positions is always allowed: short messages with one
  // variable word (`session closed for bob`) would otherwise never reach a high threshold
  return compared >= ONE_OFF_MIN_COMPARED && matched === compared - 1 ? Math.max(matched / compared, ONE_OFF_SIMILARITY) : matched / compared;
}

/**
 * Generalises a template with a message in place: differing words become the wildcard; a word
 * against a named variable takes the variable; two different variable names become the wildcard.
 * Returns whether the template changed.
 */
export function mergeTemplate(template: string[], keys: readonly string[], n: number): boolean {
  let changed = false;
  for (let i = 0; i < n; i++) {
    const t = template[i] as string;
    const m = keys[i] as string;
    if (t === m) continue;
    if (isVar(t)) {
      if (isVar(m) && t !== WILDCARD) {
        template[i] = WILDCARD;
        changed = true;
      }
      continue;
    }
    template[i] = isVar(m) ? m : WILDCARD;
    changed = true;
  }
  return changed;
}

/** Whether a template/key entry is a variable. */
export function isVariableKey(key: string): boolean {
  return isVar(key);
}

/** The variable name of a VAR key. */
export function variableName(key: string): string {
  return key.slice(VAR.length);
}
