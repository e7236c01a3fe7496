/**
 * A count with its thousands grouped as en-US writes them (30,001). `toLocaleString('en-US')` gives the
 * same, but its first call in a process loads ICU's number formatting, 11–12 ms of CPU: a tenth of the
 * CLI's own work in `culprit diagnose CAPTURE.json` (bench/probe/README.md, diagscale2). Integers are
 * grouped here; other numbers keep ICU's rounding and grouping.
 */
export function groupDigits(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  if (Object.is(value, -0)) return '-0';
  const digits = String(Math.abs(value));
  const head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
}
