import * as hdr from 'hdr-histogram-js';
import type { Capture, QueryRecord } from '../../capture/types.js';

/** The request, findings and load-run parts of fake captures (see fake-capture.ts). */

export function fakeRequests(random: () => number, s: number): Capture['requests'] {
  return Array.from({ length: 10 }, (_, i) => {
    const queries: QueryRecord[] = [
      {
        driver: 'pg',
        sql: 'SELECT "e"."id", "e"."title" FROM "ephemera" "e" WHERE "e"."id" = ?',
        durationMs: 1.2,
        rows: 1,
        location: { file: '/app/src/api/viewsets.ts', line: 33, column: 20 },
      },
      {
        driver: 'pg',
        sql: 'SELECT "i"."id", "i"."url" FROM "image" "i" WHERE "i"."ephemera_id" = ?',
        durationMs: 0.8,
        rows: 3,
        location: { file: '/app/src/api/serializers.ts', line: 80, column: 12 },
      },
      ...(s > 0.5
        ? [
            {
              driver: 'pg',
              sql: 'SELECT "e"."id", "e"."title", "e"."body" FROM "ephemera" "e"',
              durationMs: 61.5,
              rows: 23_159,
              location: { file: '/app/src/api/viewsets.ts', line: 44, column: 9 },
            },
          ]
        : []),
    ];
    return {
      id: i + 1,
      method: 'GET',
      url: '/api/ephemera/13373/?img=?&expand=?&referrer=?',
      status: 200,
      wallMs: (300 + random() * 80) * s + 40,
      cpuMs: (260 + random() * 40) * s + 20,
      bytes: 18_432,
      items: 1,
      blockingMs: 280 * s,
      queries,
      constructions: [
        ...(s > 0.5
          ? [
              {
                className: 'Ephemera',
                count: 23_159,
                location: { file: '/app/src/models/ephemera.ts', line: 12, column: 1 },
              },
            ]
          : [{ className: 'Ephemera', count: 1 }]),
        { className: 'Image', count: 3 },
      ],
    };
  });
}

export function fakeFindings(): NonNullable<Capture['findings']> {
  return [
    {
      rule: 'table-scan-in-request',
      severity: 'critical',
      title:
        'src/api/viewsets.ts:44 loads the whole ephemera table (23,159 rows) on every request: `if (this.queryset && …)`',
      impact: 0.71,
      location: {
        file: '/app/src/api/viewsets.ts',
        line: 44,
        column: 9,
        functionName: 'EphemeraViewSet.getSerializer',
      },
      snippet: {
        startLine: 41,
        lines: [
          '  getSerializer(instance: Ephemera) {',
          '    const context = this.context();',
          '    // debug: remove',
          '    if (this.queryset && (await this.queryset.length) > 0) {',
          "      log('has rows');",
          '    }',
          '    return new EphemeraSerializer(instance, context);',
        ],
      },
      evidence: [
        { label: 'rows per request', value: '23,159 (1 expected)' },
        { label: 'Ephemera constructions', value: '231,590 over 10 requests' },
        { label: 'query', value: 'SELECT "e"."id", "e"."title", "e"."body" FROM "ephemera" "e"' },
      ],
      suggestion: 'Remove the truthiness test of the lazy query, or test `exists()` instead.',
    },
    {
      rule: 'n-plus-one',
      severity: 'info',
      title: 'src/api/serializers.ts:80 runs one image query per item',
      impact: 0.02,
      evidence: [{ label: 'queries', value: '1 per request' }],
    },
  ];
}

export function fakeBench(random: () => number, s: number): NonNullable<Capture['bench']> {
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < 500; i++) h.recordValue(Math.round((300 + random() ** 2 * 300) * s * 1000 + 20_000));
  const ms = (p: number): number => h.getValueAtPercentile(p) / 1000;
  return {
    url: 'http://127.0.0.1:3000/api/ephemera/13373/',
    requests: 500,
    errors: 0,
    durationS: 200 * s,
    rps: 2.5 / s,
    latencyMs: {
      min: h.minNonZeroValue / 1000,
      mean: h.mean / 1000,
      max: h.maxValue / 1000,
      p50: ms(50),
      p75: ms(75),
      p90: ms(90),
      p95: ms(95),
      p99: ms(99),
      p999: ms(99.9),
    },
    statusCodes: { '200': 500 },
    errorKinds: {},
    bytes: 500 * 18_432,
    histogram: hdr.encodeIntoCompressedBase64(h),
  };
}
