/**
 * The part of a filter an index can seek by. A filter that ANDs a plain comparison (`post = 'p1'`) with an
 * OR of alternatives (an access check, `(acl IS NULL OR acl && '{…}')`; a soft delete, `(deleted_at IS NULL OR
 * deleted_at > now())`) is found through the comparison: no single index seeks an OR, and its alternatives
 * often keep most rows, so its columns are no key to propose, B-tree or GIN. A filter that is only an OR keeps
 * its columns. Pure.
 */

/** `filter` without its OR'ed conjuncts when another conjunct remains; literals become `''`. */
export function keyedConjuncts(filter: string): string {
  const text = filter.replace(/^\s*Filter:\s*/, '').replace(/'(?:[^']|'')*'/g, "''");
  const conjuncts = splitTopLevel(unwrap(text), 'AND');
  if (conjuncts.length < 2) return text;
  const plain = conjuncts.filter((conjunct) => splitTopLevel(unwrap(conjunct), 'OR').length < 2);
  return plain.length > 0 && plain.length < conjuncts.length ? plain.join(' AND ') : text;
}

/** The expression inside parentheses that wrap all of it: `((a) AND (b))` gives `(a) AND (b)`. */
function unwrap(text: string): string {
  let inner = text.trim();
  while (inner.startsWith('(') && closingOf(inner, 0) === inner.length - 1) inner = inner.slice(1, -1).trim();
  return inner;
}

function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The operands of `operator` (AND or OR) outside any parentheses. */
function splitTopLevel(text: string, operator: 'AND' | 'OR'): string[] {
  const parts: string[] = [];
  const word = new RegExp(`^\\s${operator}\\s`, 'i');
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && word.test(text.slice(i, i + operator.length + 2))) {
      // `BETWEEN a AND b` is one comparison, not two conjuncts
      if (operator === 'AND' && /\bBETWEEN\s+\S+\s*$/i.test(text.slice(start, i))) continue;
      parts.push(text.slice(start, i).trim());
      start = i + operator.length + 2;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}
