import type { QueryRecord, SourceLocation } from '../capture/types.js';

/** A frame of the user's own code: not a dependency, not Node's internals. */
export function isAppFrame(frame: SourceLocation): boolean {
  return frame.package === undefined && !frame.file.startsWith('node:') && !frame.file.includes('/node_modules/');
}

/** The application frames of a query's stack, outermost (the handler) first. */
export function appChain(query: QueryRecord): SourceLocation[] {
  return (query.stack ?? []).filter(isAppFrame).reverse();
}

const frameKey = (frame: SourceLocation): string => `${frame.file}#${frame.functionName ?? ''}`;

/**
 * The line to blame for a query that should not have run: where its call path
 * leaves the path every other query of the request took. In the story, the
 * table load and the normal fetch both start in the view's retrieve(); the
 * table load then goes through get_serializer(), and that frame (the leftover
 * truthiness test) is the answer, not the ORM wrapper that finally ran the
 * SQL. Frames compare by file and function, since the same function calls
 * from different lines. Falls back to the issuing frame without stacks.
 */
export function divergingFrame(suspect: QueryRecord, others: readonly QueryRecord[]): SourceLocation | undefined {
  const chain = appChain(suspect);
  if (chain.length === 0) return suspect.location;
  let shared = 0;
  for (const other of others) {
    if (other === suspect) continue;
    const otherChain = appChain(other);
    let common = 0;
    while (
      common < chain.length &&
      common < otherChain.length &&
      frameKey(chain[common] as SourceLocation) === frameKey(otherChain[common] as SourceLocation)
    ) {
      common++;
    }
    shared = Math.max(shared, common);
  }
  if (shared === 0) return suspect.location ?? chain[chain.length - 1];
  return chain[Math.min(shared, chain.length - 1)];
}

/** `retrieve (viewset.ts:80) → getSerializer (incident.ts:14) → …` for evidence lines. */
export function formatChain(chain: readonly SourceLocation[]): string {
  return chain
    .map((frame) => `${frame.functionName || '(anonymous)'} (${baseName(frame.file)}:${frame.line})`)
    .join(' → ');
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
