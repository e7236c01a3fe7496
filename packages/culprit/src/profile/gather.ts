/**
 * Gathering a profile from a running target: warm-up, a timing pass (CPU
 * sampling), then a separate count pass (precise coverage, count mode), then
 * sources and source maps for the frames; the result is the profile model.
 *
 * The passes stay apart because count mode deoptimizes the code (+55% request
 * time measured), which would distort the times. Talks to the target only
 * through `RunningTarget`, so module and command modes behave the same.
 */
import type { ProfileData, RequestRecord, SourceLocation } from '../capture/types.js';
import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import { requestsFailed } from '../target/request-failure.js';
import { sentNote } from '../target/send-notes.js';
import type { RawScriptCoverage, RunningTarget, TargetRequest } from '../target/types.js';
import { buildProfile, generatedKey, positionsToMap, scriptsToRead } from './build-profile.js';
import { constructionsIn } from './constructions.js';

export interface GatherOptions {
  request: TargetRequest;
  warmup: number;
  runs: number;
  intervalUs: number;
  /** Profile even when the request answers ≥ 400 or fails. */
  allowErrors: boolean;
  /**
   * Run the count pass (exact calls, queries, constructions: the request sent
   * `runs` more times). Off for a POST sent once: calls are then unknown.
   */
  countPass?: boolean;
  /** Called as requests complete, for a progress line. */
  onProgress?: (phase: 'warmup' | 'timing' | 'counting' | 'mapping', done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Gathered {
  profile: ProfileData;
  /** Requests of the timing pass, with queries and constructions from the count pass. */
  requests: RequestRecord[];
  /** How the data was made, for the capture's notes. */
  notes: string[];
  /** How many times the passes sent the request, as a note. */
  sent: string;
}

export async function gatherProfile(target: RunningTarget, options: GatherOptions): Promise<Gathered> {
  const sentBefore = target.sent;
  const send = async (phase: 'warmup' | 'timing' | 'counting', i: number, total: number) => {
    let observed: RequestRecord;
    try {
      observed = await target.send(options.request, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      if (!isCulpritError(error) || error.code !== 'CULPRIT_E_INTERRUPTED') throw error;
      throw new CulpritError('CULPRIT_E_INTERRUPTED', `interrupted during the ${phase} pass; nothing was profiled`);
    }
    const failed = options.allowErrors
      ? undefined
      : requestsFailed([observed], 'fix the request or pass --allow-errors to profile it anyway');
    if (failed) throw failed;
    options.onProgress?.(phase, i + 1, total);
    return observed;
  };

  for (let i = 0; i < options.warmup; i++) await send('warmup', i, options.warmup);

  await target.probe.startCpuProfile({ intervalUs: options.intervalUs });
  const requests: RequestRecord[] = [];
  try {
    for (let i = 0; i < options.runs; i++) requests.push(await send('timing', i, options.runs));
  } catch (error) {
    // A profiler left running would slow the target; the request's failure is what to report.
    await target.probe.stopCpuProfile().catch(() => undefined);
    throw error;
  }
  const cpuProfile = await target.probe.stopCpuProfile();

  // The count pass also records queries (its times are distorted anyway); one
  // coverage take per request gives each request's constructions.
  const coverageTakes: RawScriptCoverage[][] = [];
  const counted: RequestRecord[] = [];
  const countPass = options.countPass !== false;
  if (countPass) {
    await target.probe.configureTrace({ queries: true, constructions: false, stacks: false });
    await target.probe.startCallCounts();
    try {
      await target.probe.takeCallCounts(); // reset: count the runs below only
      for (let i = 0; i < options.runs; i++) {
        counted.push(await send('counting', i, options.runs));
        coverageTakes.push(await target.probe.takeCallCounts());
      }
    } finally {
      await target.probe.stopCallCounts().catch(() => undefined); // a target stopped by Ctrl-C cannot answer
      await target.probe.configureTrace({ queries: false, constructions: false, stacks: false }).catch(() => undefined);
    }
  }

  options.onProgress?.('mapping', 0, 1);
  const sources = new Map<string, string>();
  const unreadable: string[] = [];
  await Promise.all(
    scriptsToRead(cpuProfile, coverageTakes).map(async (scriptId) => {
      try {
        sources.set(scriptId, await target.probe.scriptSource(scriptId));
      } catch (error) {
        // A script gone since (an eval'd one collected): its functions keep their time, lose their counts.
        unreadable.push(`${scriptId} (${error instanceof Error ? error.message : String(error)})`);
      }
    }),
  );
  const positions = positionsToMap(cpuProfile, coverageTakes, sources);
  const mapped = positions.length ? await target.probe.mapLocations(positions) : [];
  const locations = new Map<string, SourceLocation | null>();
  positions.forEach((p, i) => {
    locations.set(generatedKey(p.url, p.line, p.column), mapped[i] ?? null);
  });

  const profile = buildProfile({
    cpuProfile,
    coverageTakes,
    sources,
    locations,
    sampleIntervalUs: options.intervalUs,
    requestCount: options.runs,
    countedRequests: countPass ? options.runs : 0,
    loopsMs: requests.map((r) => r.wallMs),
    keepTimeline: true,
  });
  // Timing-pass requests keep their times; queries and constructions come from the same request's count run.
  requests.forEach((request, i) => {
    request.queries = counted[i]?.queries ?? [];
    const folded = counted[i]?.foldedQueries;
    if (folded) request.foldedQueries = folded;
    else delete request.foldedQueries;
    request.constructions = constructionsIn(coverageTakes[i] ?? [], sources, locations);
  });
  const notes = [
    countPass
      ? 'requests: times from the timing pass; queries and constructions from the count pass (the same request run ' +
        'again under count-mode coverage, whose deoptimized JavaScript slows query times there)'
      : 'no count pass (it would send the request again): calls, queries and constructions are unknown',
  ];
  const sent = sentNote(
    options.request,
    target.sent - sentBefore,
    `profile: ${options.warmup} warm-up, ${options.runs} timed${countPass ? `, ${options.runs} counted` : ''}`,
  );
  if (unreadable.length) {
    notes.push(
      `calls unknown for ${unreadable.length} script(s) whose source could not be read: ${unreadable.slice(0, 3).join('; ')}`,
    );
  }
  return { profile, requests, notes, sent };
}
