/**
 * A GraphQL query sent by POST reads, as a GET does: the GraphQL spec makes
 * query fields free of side effects (mutations are the operations that write),
 * and clients POST queries because documents outgrow URLs. So a POST whose
 * JSON body holds only query operations may be sent again and profiled like a
 * GET; a mutation or subscription anywhere in it keeps the method's rule. Pure.
 */

/** True when `body` is a GraphQL request (or a batch of them) whose documents define no mutation or subscription. */
export function isGraphqlRead(body: string | undefined, contentType: string | undefined): boolean {
  if (body === undefined || (contentType !== undefined && !/\bjson\b/i.test(contentType))) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false; // not JSON: not a GraphQL request, whatever its content type says
  }
  const operations = Array.isArray(parsed) ? parsed : [parsed];
  return operations.length > 0 && operations.every(readsOnly);
}

function readsOnly(operation: unknown): boolean {
  if (typeof operation !== 'object' || operation === null) return false;
  const { query } = operation as { query?: unknown };
  if (typeof query !== 'string') return false;
  const kinds = operationKinds(query);
  return kinds.length > 0 && kinds.every((kind) => kind === 'query');
}

/**
 * The kind of each operation a document defines, in order: `query` for the
 * shorthand `{ … }`; fragments are not operations. Strings, block strings and
 * comments are skipped so a word inside them is never read as a keyword.
 */
export function operationKinds(document: string): string[] {
  const kinds: string[] = [];
  let depth = 0;
  for (let i = 0; i < document.length; ) {
    const c = document[i] as string;
    if (c === '#') {
      const end = document.indexOf('\n', i);
      i = end < 0 ? document.length : end + 1;
    } else if (document.startsWith('"""', i)) {
      i = blockStringEnd(document, i + 3);
    } else if (c === '"') {
      i = stringEnd(document, i + 1);
    } else if (c === '{') {
      if (depth === 0 && !definitionOpen(kinds)) kinds.push('query');
      depth++;
      i++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) kinds.push(CLOSED);
      i++;
    } else if (depth === 0 && /[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_]\w*/.exec(document.slice(i))?.[0] ?? c;
      if (!definitionOpen(kinds) && /^(?:query|mutation|subscription|fragment)$/.test(word)) kinds.push(word);
      i += word.length;
    } else i++;
  }
  return kinds.filter((kind) => kind !== CLOSED && kind !== 'fragment');
}

/** Marks the end of a definition's selection set in the list operationKinds builds. */
const CLOSED = '';

/** A definition's keyword was read and its selection set has not closed yet. */
function definitionOpen(kinds: readonly string[]): boolean {
  const last = kinds.at(-1);
  return last !== undefined && last !== CLOSED;
}

function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i + 1;
  }
  return text.length;
}

function blockStringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && text.startsWith('"""', i + 1)) i += 3;
    else if (text.startsWith('"""', i)) return i + 3;
  }
  return text.length;
}
