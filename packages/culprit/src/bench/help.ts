import { benchFlags } from './flags.js';

/** `culprit bench --help`, generated from the flag table so no flag goes undocumented. */
export function benchHelp(): string {
  const rows = Object.values(benchFlags).map((spec) => {
    const names = spec.names.map((n) =>
      n.length === 1 || n === 'host' || n.startsWith('disable-') ? `-${n}` : `--${n}`,
    );
    const value = 'value' in spec ? ` ${spec.value}` : '';
    return [`${names.join(', ')}${value}`, spec.help] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    'culprit bench URL: send HTTP load and report latencies (hey-compatible flags and report).',
    '',
    'Usage: culprit bench [options] URL',
    '',
    'Options:',
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`),
    '',
    'Flags take one dash or two (-host, --host). Unlike hey: -q is the TOTAL rate over all',
    'connections (hey multiplies it by -c); -n 10 -c 3 sends exactly 10; percentiles are exact at',
    'small n; times print in µs/ms/s. Under -q, latency counts from each intended send time',
    '(coordinated-omission correction, as wrk2) and sends that fell behind are counted.',
    '',
    'Examples:',
    '  culprit bench -n 10 -c 1 http://127.0.0.1:3000/api/items',
    "  culprit bench -z 10s -c 50 -q 500 --fail-if 'p99>200ms' http://127.0.0.1:3000/",
    '  culprit bench --json --save before.json http://127.0.0.1:3000/   (then: culprit compare)',
    '',
  ].join('\n');
}
