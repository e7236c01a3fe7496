import type { ProfileFunction } from '../../../src/capture/types.js';
import type { FlatTree } from './flat-tree.js';

/** Which functions match a query: case-insensitive substring of name, file or package; `/re/` for a regex. */
export function matchFunctions(functions: ProfileFunction[], query: string): Uint8Array | undefined {
  const q = query.trim();
  if (!q) return undefined;
  let test: (text: string) => boolean;
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (re) {
    try {
      const regex = new RegExp(re[1]!, re[2]!.includes('i') ? 'i' : '');
      test = (text) => regex.test(text);
    } catch {
      const lower = q.toLowerCase();
      test = (text) => text.toLowerCase().includes(lower);
    }
  } else {
    const lower = q.toLowerCase();
    test = (text) => text.toLowerCase().includes(lower);
  }
  const out = new Uint8Array(functions.length);
  functions.forEach((f, i) => {
    if (test(String(f.name)) || test(String(f.file)) || (f.package !== undefined && test(String(f.package))))
      out[i] = 1;
  });
  return out;
}

/** Share of the root's time under matching frames, counting nested matches once, plus how many frames matched. */
export function matchedShare(tree: FlatTree, matches: Uint8Array): { share: number; frames: number; ms: number } {
  const covered = new Uint8Array(tree.size);
  let ms = 0;
  let frames = 0;
  for (let i = 0; i < tree.size; i++) {
    const parent = tree.parent[i]!;
    const inherited = parent >= 0 && covered[parent] === 1;
    if (matches[tree.fn[i]!]) {
      frames++;
      if (!inherited) ms += tree.total[i]!;
      covered[i] = 1;
    } else if (inherited) {
      covered[i] = 1;
    }
  }
  return { share: ms / (tree.total[0]! || 1), frames, ms };
}
