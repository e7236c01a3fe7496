// Three functions whose CPU cost is fixed by their iteration counts, called
// once per request: the attribution bench checks culprit reports their shares.
// Each loops on its own (so V8 optimizes it on-stack rather than inlining it
// into the handler, which is never hot enough to be optimized itself).

export function burnSixty(units) {
  let x = 1;
  for (let i = 0; i < 60 * units; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}

export function burnThirty(units) {
  let x = 2;
  for (let i = 0; i < 30 * units; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}

export function burnTen(units) {
  let x = 3;
  for (let i = 0; i < 10 * units; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}

export const UNITS = 20_000;

/** One request's work: ~60/30/10 of its CPU in the three burners. */
export function work() {
  return burnSixty(UNITS) + burnThirty(UNITS) + burnTen(UNITS);
}
