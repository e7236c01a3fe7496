/**
 * A line diff (longest common subsequence) for snapshot failures: `-` for
 * what the snapshot recorded, `+` for what ran now, two spaces for both.
 * Snapshots hold tens of lines, so the quadratic table is fine. Pure.
 */
export function lineDiff(recorded: readonly string[], now: readonly string[]): string[] {
  const rows = recorded.length;
  const cols = now.length;
  const table: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(cols + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] =
        recorded[i] === now[j] ? (table[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(table[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < cols) {
    if (i < rows && j < cols && recorded[i] === now[j]) {
      out.push(`  ${recorded[i]}`);
      i++;
      j++;
    } else if (i < rows && (j >= cols || (table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0))) {
      out.push(`- ${recorded[i]}`); // what went first, as diff(1) does
      i++;
    } else {
      out.push(`+ ${now[j]}`);
      j++;
    }
  }
  return out;
}
