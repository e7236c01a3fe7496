/**
 * `culprit/register`'s settings, read from the environment (pure: takes the
 * variables, returns the settings and what was wrong). The OTLP variables are
 * the OpenTelemetry specification's, so an app already configured for an
 * OpenTelemetry SDK needs nothing new; culprit's own variables start with
 * CULPRIT_. A bad value never stops the app: it is reported and ignored.
 */

export interface RegisterConfig {
  /** Where spans go (`…/v1/traces`); absent: no OTLP export. */
  tracesEndpoint?: string;
  /** Extra request headers (auth tokens for a vendor's endpoint). */
  headers: Record<string, string>;
  serviceName: string;
  /** Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES). */
  resourceAttributes: Record<string, string>;
  /** Share of requests recorded, 0..1 (a request whose traceparent says "sampled" is always recorded). */
  sampleRate: number;
  /**
   * Requests recorded per second at most by the share (a caller's sampled
   * traceparent is always followed); 0: no limit. A recorded request costs
   * the app more than it takes itself (its queries' stacks, the export's
   * encoding): 10% of 1,000 requests/s made ephemera's clean endpoints cost
   * 1.13–1.19× their CPU (bench/register/overhead.mjs).
   */
  maxSampledPerSecond: number;
  /** Milliseconds an export may take before it is abandoned (its spans dropped). */
  exportTimeoutMs: number;
  /** Pyroscope-compatible server (`http://host:4040`); absent: no CPU profiles. */
  pyroscopeUrl?: string;
  /** Seconds of CPU profile per upload to Pyroscope. */
  profileSeconds: number;
  /** Records waiting for the export thread beyond which new ones are dropped. */
  maxPending: number;
}

export interface ConfigResult {
  config: RegisterConfig;
  /** One line per ignored value: what it was and what is expected. */
  problems: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** `a=1,b=x%20y` (the W3C baggage-like list the spec uses for headers and resource attributes). */
export function parseKeyValues(text: string, what: string, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!key) {
      problems.push(`${what}: ignored '${pair.trim()}': expected key=value pairs separated by commas`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      out[key] = pair.slice(eq + 1).trim(); // not percent-encoded: take it as written
    }
  }
  return out;
}

function number(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name}='${text}' ignored: expected a number from ${min} to ${max}; using ${fallback}`);
    return fallback;
  }
  return value;
}

function url(env: Env, name: string, problems: string[]): string | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  try {
    const parsed = new URL(text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return text;
  } catch {
    // reported below
  }
  problems.push(`${name}='${text}' ignored: expected an http:// or https:// URL`);
  return undefined;
}

/** The traces URL the spec derives: a signal-specific endpoint as given, the base one with `/v1/traces` appended. */
function tracesEndpoint(env: Env, problems: string[]): string | undefined {
  const specific = url(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', problems);
  if (specific) return specific;
  const base = url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', problems);
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** Settings from the environment; nothing here throws. */
export function readRegisterConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const headers = {
    ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS ?? '', 'OTEL_EXPORTER_OTLP_HEADERS', problems),
    ...parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? '', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', problems),
  };
  const resourceAttributes = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES ?? '', 'OTEL_RESOURCE_ATTRIBUTES', problems);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol !== undefined && protocol !== 'http/protobuf') {
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL='${protocol}' ignored: culprit sends http/protobuf only`);
  }
  const timeout =
    env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT === undefined
      ? 'OTEL_EXPORTER_OTLP_TIMEOUT'
      : 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT';
  const config: RegisterConfig = {
    headers,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || resourceAttributes['service.name'] || 'unknown_service:node',
    resourceAttributes,
    sampleRate: number(env, 'CULPRIT_SAMPLE_RATE', 0.1, 0, 1, problems),
    maxSampledPerSecond: number(env, 'CULPRIT_SAMPLE_MAX_PER_SECOND', 20, 0, 1_000_000, problems),
    exportTimeoutMs: number(env, timeout, 10_000, 1, 600_000, problems),
    profileSeconds: number(env, 'CULPRIT_PROFILE_SECONDS', 10, 1, 300, problems),
    maxPending: number(env, 'CULPRIT_MAX_PENDING', 256, 1, 100_000, problems),
  };
  const traces = tracesEndpoint(env, problems);
  if (traces) config.tracesEndpoint = traces;
  const pyroscope = url(env, 'CULPRIT_PYROSCOPE_URL', problems);
  if (pyroscope) config.pyroscopeUrl = pyroscope.replace(/\/+$/, '');
  return { config, problems };
}
