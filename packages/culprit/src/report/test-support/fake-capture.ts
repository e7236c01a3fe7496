import type { CallTreeNode, Capture, ProfileFunction } from '../../capture/types.js';
import { fakeBench, fakeFindings, fakeRequests } from './fake-capture-parts.js';

/**
 * Realistic hand-made captures for the viewer's tests and bench, following
 * the schema: an API request whose serializer builds every row of a table
 * (the story's bug), plus as many extra call-tree nodes as asked for.
 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const packages = ['typeorm', 'express', 'body-parser', 'pg', 'reflect-metadata', 'lodash', 'qs', 'debug'];
const verbs = [
  'get',
  'load',
  'build',
  'serialize',
  'resolve',
  'handle',
  'parse',
  'map',
  'hydrate',
  'transform',
  'emit',
  'read',
];
const nouns = [
  'Ephemera',
  'Image',
  'Query',
  'Row',
  'Entity',
  'Column',
  'Relation',
  'Request',
  'Params',
  'Field',
  'Cache',
  'Stream',
];

export interface FakeOptions {
  /** Call-tree nodes to generate (the fixed story part adds about 12). */
  nodes?: number;
  seed?: number;
  /** Scales every time: 1 = the slow "before", 0.3 ≈ the fixed "after". */
  slowFactor?: number;
  withFindings?: boolean;
  withBench?: boolean;
}

export function fakeCapture(options: FakeOptions = {}): Capture {
  const { nodes: want = 2000, seed = 1, slowFactor = 1, withFindings = true, withBench = true } = options;
  const random = rng(seed);
  const functions: ProfileFunction[] = [];
  const fnOf = (f: Omit<ProfileFunction, 'selfMs' | 'totalMs' | 'calls'> & { calls?: number | null }): number => {
    functions.push({ calls: null, ...f, selfMs: 0, totalMs: 0 });
    return functions.length - 1;
  };
  const root = fnOf({ name: '(root)', file: '', line: 0, column: 0, category: 'root' });
  const idle = fnOf({ name: '(idle)', file: '', line: 0, column: 0, category: 'idle' });
  const gc = fnOf({ name: '(garbage collector)', file: '', line: 0, column: 0, category: 'gc' });
  const program = fnOf({ name: '(program)', file: '', line: 0, column: 0, category: 'program' });
  const tick = fnOf({
    name: 'processTicksAndRejections',
    file: 'node:internal/process/task_queues',
    line: 95,
    column: 5,
    category: 'node',
    calls: 40,
  });
  const handle = fnOf({
    name: 'handle',
    file: '/app/node_modules/express/lib/router/layer.js',
    line: 86,
    column: 3,
    category: 'dependency',
    package: 'express',
    calls: 120,
  });
  const retrieve = fnOf({
    name: 'EphemeraViewSet.retrieve',
    file: '/app/src/api/viewsets.ts',
    line: 31,
    column: 3,
    category: 'app',
    calls: 10,
  });
  const getSerializer = fnOf({
    name: 'EphemeraViewSet.getSerializer',
    file: '/app/src/api/viewsets.ts',
    line: 42,
    column: 3,
    category: 'app',
    calls: 10,
  });
  const find = fnOf({
    name: 'Repository.find',
    file: '/app/node_modules/typeorm/repository/Repository.js',
    line: 210,
    column: 5,
    category: 'dependency',
    package: 'typeorm',
    calls: 10,
  });
  const transform = fnOf({
    name: 'RawSqlResultsToEntityTransformer.transform',
    file: '/app/node_modules/typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer.js',
    line: 38,
    column: 5,
    category: 'dependency',
    package: 'typeorm',
    calls: 10,
  });
  const model = fnOf({
    name: 'Ephemera',
    file: '/app/src/models/ephemera.ts',
    line: 12,
    column: 1,
    category: 'app',
    calls: 231_590,
  });
  const serialize = fnOf({
    name: 'EphemeraSerializer.toJSON',
    file: '/app/src/api/serializers.ts',
    line: 77,
    column: 3,
    category: 'app',
    calls: 10,
  });
  const pool: number[] = [];
  for (let i = 0; i < Math.max(50, Math.ceil(want / 25)); i++) {
    const kind = random();
    const name = `${verbs[Math.floor(random() * verbs.length)]}${nouns[Math.floor(random() * nouns.length)]}${i}`;
    if (kind < 0.35)
      pool.push(
        fnOf({
          name,
          file: `/app/src/${nouns[i % nouns.length]!.toLowerCase()}/${name}.ts`,
          line: 1 + (i % 300),
          column: 3,
          category: 'app',
          calls: Math.floor(random() * 5000),
        }),
      );
    else if (kind < 0.85) {
      const pkg = packages[Math.floor(random() * packages.length)]!;
      pool.push(
        fnOf({
          name,
          file: `/app/node_modules/${pkg}/lib/${name}.js`,
          line: 1 + (i % 900),
          column: 10,
          category: 'dependency',
          package: pkg,
          calls: Math.floor(random() * 20000),
        }),
      );
    } else
      pool.push(
        fnOf({
          name,
          file: `node:internal/${name}`,
          line: 1 + (i % 500),
          column: 1,
          category: 'node',
          calls: Math.floor(random() * 900),
        }),
      );
  }
  const nodes: CallTreeNode[] = [];
  const add = (fn: number, parent: number, selfMs: number): number => {
    nodes.push({ fn, parent, selfSamples: Math.round(selfMs * 10), selfMs, totalMs: 0 });
    return nodes.length - 1;
  };
  const s = slowFactor;
  // The fix (slowFactor < 0.5) removes the table load: only the story's frames shrink, the rest stays.
  const st = slowFactor < 0.5 ? 0.01 : slowFactor;
  const r = add(root, -1, 0);
  add(idle, r, 120);
  add(gc, r, 40 * st);
  add(program, r, 15);
  const t = add(tick, r, 0.5);
  const hnd = add(handle, t, 1);
  const ret = add(retrieve, hnd, 2);
  const gs = add(getSerializer, ret, 1);
  const fd = add(find, gs, 60 * st);
  const tr = add(transform, fd, 90 * st);
  add(model, tr, 600 * st);
  add(serialize, ret, 30);
  // Random bulk: breadth-first, each node gets 0–4 children, mostly from its own package.
  const queue = [hnd, ret, tr, t];
  while (nodes.length < want && queue.length > 0) {
    const parent = queue.shift()!;
    const kids = 1 + Math.floor(random() * random() * 5);
    for (let k = 0; k < kids && nodes.length < want; k++) {
      const fn = pool[Math.floor(random() * pool.length)]!;
      const child = add(fn, parent, random() ** 3 * 4);
      queue.push(child);
      if (random() < 0.3) queue.push(child);
    }
  }
  finishTimes(nodes, functions);
  return {
    schema: 'culprit.capture/1',
    createdAt: '2026-11-24T12:00:00.000Z',
    tool: { name: 'culprit', version: '0.1.0', command: 'culprit profile --app src/app.ts /api/ephemera/13373/' },
    target: { mode: 'module', module: 'src/app.ts', framework: 'express', nodeVersion: 'v20.20.2', platform: 'linux' },
    requests: fakeRequests(random, s),
    profile: {
      sampleIntervalUs: 100,
      requestCount: 10,
      durationMs: nodes[0]!.totalMs,
      countedRequests: 10,
      functions,
      nodes,
    },
    ...(withFindings ? { findings: fakeFindings() } : {}),
    ...(withBench ? { bench: fakeBench(random, s) } : {}),
    notes: ['Count pass ran separately: call counts are exact, times come from the timing pass.'],
    stops: [
      {
        spec: 'src/models/ephemera.ts:12 if this.id === 20000',
        requestId: 1,
        hitsBeforeMatch: 19_999,
        overheadMs: 2_400,
        frames: [
          {
            file: '/app/src/models/ephemera.ts',
            line: 12,
            column: 1,
            functionName: 'Ephemera',
            locals: { id: '20000', title: "'Postcard from Ghent'" },
          },
          {
            file: '/app/node_modules/typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer.js',
            line: 38,
            column: 5,
            functionName: 'transform',
            package: 'typeorm',
            locals: { rawResults: 'Array(23159)' },
          },
          {
            file: '/app/src/api/viewsets.ts',
            line: 44,
            column: 9,
            functionName: 'EphemeraViewSet.getSerializer',
            locals: { instance: 'Ephemera {id: 13373}', 'this.queryset': 'QuerySet<Ephemera> (lazy)' },
            snippet: {
              startLine: 43,
              lines: [
                '    // debug: remove',
                '    if (this.queryset && (await this.queryset.length) > 0) {',
                "      log('has rows');",
              ],
            },
          },
        ],
      },
    ],
    logs: [
      {
        spec: 'src/api/viewsets.ts:44 this.queryset.model.name',
        requestId: 1,
        values: ["'Ephemera'"],
        location: { file: '/app/src/api/viewsets.ts', line: 44, column: 9 },
      },
    ],
  };
}

/** Fills node totals (children after parents, so walk backwards) and per-function self/total (recursion once). */
function finishTimes(nodes: CallTreeNode[], functions: ProfileFunction[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    n.totalMs += n.selfMs;
    if (n.parent >= 0) nodes[n.parent]!.totalMs += n.totalMs;
  }
  const ancestorsHave = (i: number, fn: number): boolean => {
    for (let p = nodes[i]!.parent; p >= 0; p = nodes[p]!.parent) if (nodes[p]!.fn === fn) return true;
    return false;
  };
  nodes.forEach((n, i) => {
    const f = functions[n.fn]!;
    f.selfMs += n.selfMs;
    if (!ancestorsHave(i, n.fn)) f.totalMs += n.totalMs;
  });
}
