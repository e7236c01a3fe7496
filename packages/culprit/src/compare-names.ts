/**
 * `a.localeCompare(b)` for names, without ICU where it can be helped: the first `localeCompare` of a
 * process builds ICU's collator (its list of available locales), ~68 M instructions, about 17 ms of
 * CPU, a tenth of the CLI's own work in a diagnose (bench/probe/README.md, diagscale3), spent to break
 * ties between class names and operation kinds. For names of ASCII letters and digits the order of
 * ICU's root collation is known: letters compare without case and after digits, a prefix comes first,
 * and between names that differ only in case the first lowercase letter wins. Other names go to ICU.
 */
const ALNUM = /^[A-Za-z0-9]*$/;

/** Negative, zero or positive as `a.localeCompare(b)` (the sign only, as sorting needs). */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  if (!ALNUM.test(a) || !ALNUM.test(b)) return a.localeCompare(b);
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  // the same letters: the first position where the case differs decides, lowercase first
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === lowerA[i] ? -1 : 1;
  }
  return 0;
}
