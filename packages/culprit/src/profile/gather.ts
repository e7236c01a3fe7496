/**
 * Gathering a profile from a running target: warm-up and a timing pass under
 * the CPU profiler (the warm-up's samples dropped), then a separate count pass (precise coverage, count mode), then
 * sources and source maps for the frames; the result is the profile model.
 *
 * The passes stay apart because count mode deoptimizes the code (+55% request
 * time measured), which would distort the times. Talks to the target only
 * through `RunningTarget`, so module and command modes behave the same.
 */
import type { Construction, ProfileData, RequestRecord, SourceLocation } from '../capture/types.js';
import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import {
  type PassBudget,
  passSpent,
  spentReason,
  steadyAfterWarmup,
  steadyAfterWarmupReason,
} from '../target/pass-budget.js';
import { requestsFailed } from '../target/request-failure.js';
import { sentNote } from '../target/send-notes.js';
import type { HeldRequest, RawScriptCoverage, RunningTarget, TargetRequest } from '../target/types.js';
import { buildProfile, generatedKey, positionsToMap, scriptsToRead } from './build-profile.js';
import { constructionsIn } from './constructions.js';
import { sourceFromDisk } from './disk-sources.js';

/** Each script's URL, as the profile's frames and the coverage takes name it. */
function scriptUrls(
  cpuProfile: { nodes: ReadonlyArray<{ callFrame: { scriptId: string; url: string } }> },
  takes: ReadonlyArray<readonly RawScriptCoverage[]>,
): Map<string, string> {
  const urls = new Map<string, string>();
  for (const { callFrame } of cpuProfile.nodes) if (callFrame.url) urls.set(callFrame.scriptId, callFrame.url);
  for (const take of takes) for (const script of take) if (script.url) urls.set(script.scriptId, script.url);
  return urls;
}

export interface GatherOptions {
  request: TargetRequest;
  warmup: number;
  runs: number;
  /** Stop the timing pass before `runs` once its requests took this long (diagnose without -n). */
  budget?: PassBudget;
  intervalUs: number;
  /** Profile even when the request answers ≥ 400 or fails. */
  allowErrors: boolean;
  /**
   * Run the count pass (exact calls, queries, constructions: the request sent
   * `runs` more times). Off for a POST sent once: calls are then unknown.
   */
  countPass?: boolean;
  /**
   * The count pass already ran (diagnose's trace pass counted calls): its
   * records and one coverage take per request. No request is sent again.
   */
  counted?: CountedRun;
  /**
   * Awaited after the timing pass with its requests, before the mapping: may
   * add runs to `counted` (diagnose traces again when its one traced run was cold).
   */
  recount?: (timed: RequestRecord[]) => Promise<void>;
  /**
   * Awaited after the warm-up with its records, before the timed runs
   * (diagnose records the warm-up's queries to compare its work with the
   * traced run's, and stops recording them here).
   */
  afterWarmup?: (records: RequestRecord[]) => Promise<void>;
  /**
   * The timing pass may stop at one timed run that took no longer than the
   * last warm-up, within the budget's `steadyWithin` (`steadyAfterWarmup`).
   */
  warmupPairs?: boolean;
  /** Called as requests complete, for a progress line. */
  onProgress?: (phase: 'warmup' | 'timing' | 'counting' | 'mapping', done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A pass run under call counting: each request's record and the coverage taken right after it. */
export interface CountedRun {
  records: RequestRecord[];
  takes: RawScriptCoverage[][];
}

export interface Gathered {
  profile: ProfileData;
  /** Requests of the timing pass, with queries and constructions from the count pass. */
  requests: RequestRecord[];
  /** Each counted request's constructions, in order (the timing pass may have sent fewer). */
  countedConstructions: Construction[][];
  /** How the data was made, for the capture's notes. */
  notes: string[];
  /** How many times the passes sent the request, as a note. */
  sent: string;
}

const FAILED_ADVICE = 'fix the request or pass --allow-errors to profile it anyway';

export async function gatherProfile(target: RunningTarget, options: GatherOptions): Promise<Gathered> {
  const sentBefore = target.sent;
  // with the time to the response's end as the CLI saw it, as the timed runs are measured
  const send = async (phase: 'warmup' | 'timing' | 'counting', i: number, total: number) => {
    let observed: RequestRecord;
    let elapsedMs: number;
    try {
      const held = await target.sendHeld(options.request, options.signal ? { signal: options.signal } : {});
      elapsedMs = held.elapsedMs;
      observed = await held.record();
    } catch (error) {
      if (!isCulpritError(error) || error.code !== 'CULPRIT_E_INTERRUPTED') throw error;
      throw new CulpritError('CULPRIT_E_INTERRUPTED', `interrupted during the ${phase} pass; nothing was profiled`);
    }
    const failed = options.allowErrors ? undefined : requestsFailed([observed], FAILED_ADVICE);
    if (failed) throw failed;
    options.onProgress?.(phase, i + 1, total);
    return { observed, elapsedMs };
  };
  const sendHeld = async (i: number, total: number): Promise<HeldRequest> => {
    try {
      const sent = await target.sendHeld(options.request, options.signal ? { signal: options.signal } : {});
      options.onProgress?.('timing', i + 1, total);
      return sent;
    } catch (error) {
      if (!isCulpritError(error) || error.code !== 'CULPRIT_E_INTERRUPTED') throw error;
      throw new CulpritError('CULPRIT_E_INTERRUPTED', 'interrupted during the timing pass; nothing was profiled');
    }
  };

  // the profiler runs through the warm-up (its samples dropped): code V8 optimizes there keeps its inlined functions
  await target.probe.startCpuProfile({ intervalUs: options.intervalUs });
  const held: HeldRequest[] = [];
  // the probe holds the timed records until the profile stops; the budget counts time as the CLI saw it
  const elapsed: number[] = [];
  let warmupMs: number | undefined;
  const steady = (): boolean => options.warmupPairs === true && steadyAfterWarmup(options.budget, warmupMs, elapsed);
  try {
    const warmed: RequestRecord[] = [];
    for (let i = 0; i < options.warmup; i++) {
      const { observed, elapsedMs } = await send('warmup', i, options.warmup);
      warmed.push(observed);
      warmupMs = elapsedMs;
    }
    await options.afterWarmup?.(warmed);
    await target.probe.startCpuWindow();
    for (let i = 0; i < options.runs && !passSpent(options.budget, elapsed) && !steady(); i++) {
      const sent = await sendHeld(i, options.runs);
      held.push(sent);
      elapsed.push(sent.elapsedMs);
      if (!options.allowErrors && (sent.status === 0 || sent.status >= 400)) break; // its record says why
    }
  } catch (error) {
    // A profiler left running would slow the target; the request's failure is what to report.
    await target.probe.stopCpuProfile().catch(() => undefined);
    throw error;
  }
  const cpuProfile = await target.probe.stopCpuProfile();
  const requests: RequestRecord[] = [];
  for (const sent of held) requests.push(await sent.record());
  const failed = options.allowErrors ? undefined : requestsFailed(requests, FAILED_ADVICE);
  if (failed) throw failed;
  const beforeRecount = target.sent;
  await options.recount?.(requests);
  const recounted = target.sent - beforeRecount; // the caller's sends, noted by the caller

  // The count pass also records queries (its times are distorted anyway); one
  // coverage take per request gives each request's constructions.
  const coverageTakes: RawScriptCoverage[][] = options.counted ? [...options.counted.takes] : [];
  const counted: RequestRecord[] = options.counted ? [...options.counted.records] : [];
  const countPass = options.countPass !== false || options.counted !== undefined;
  if (countPass && !options.counted) {
    await target.probe.configureTrace({ queries: true, constructions: false, stacks: false });
    await target.probe.startCallCounts(); // counters at zero: the runs below only
    try {
      for (let i = 0; i < options.runs; i++) {
        counted.push((await send('counting', i, options.runs)).observed);
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
  const toRead = scriptsToRead(cpuProfile, coverageTakes);
  // a file that hashes as the source V8 ran is that source: read here, not sent over the socket
  const hashes = (await target.probe.scriptHashes?.(toRead).catch(() => undefined)) ?? [];
  const urls = scriptUrls(cpuProfile, coverageTakes);
  await Promise.all(
    toRead.map(async (scriptId, i) => {
      const hash = hashes[i];
      const url = urls.get(scriptId);
      const onDisk = hash && url ? sourceFromDisk(url, hash) : undefined;
      if (onDisk !== undefined) {
        sources.set(scriptId, onDisk);
        return;
      }
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
    requestCount: requests.length,
    countedRequests: options.counted ? options.counted.takes.length : countPass ? options.runs : 0,
    loopsMs: requests.map((r) => r.wallMs),
    keepTimeline: true,
  });
  const countedConstructions = coverageTakes.map((take) => constructionsIn(take, sources, locations));
  // Timing-pass requests keep their times; queries and constructions come from the same request's count run.
  requests.forEach((request, i) => {
    const count = counted[i];
    // the probe times the timing pass and nothing else (its body metering would be in the profile)
    if (count) {
      request.bytes = count.bytes;
      if (count.items !== undefined) request.items = count.items;
      if (count.itemsPath !== undefined) request.itemsPath = count.itemsPath;
    }
    request.queries = counted[i]?.queries ?? [];
    const folded = counted[i]?.foldedQueries;
    if (folded) request.foldedQueries = folded;
    else delete request.foldedQueries;
    request.constructions = countedConstructions[i] ?? [];
  });
  const notes = [
    options.counted
      ? 'requests: times from the timing pass; queries and constructions from the trace pass (run under ' +
        'count-mode coverage, whose deoptimized JavaScript slows query times there)'
      : countPass
        ? 'requests: times from the timing pass; queries and constructions from the count pass (the same request run ' +
          'again under count-mode coverage, whose deoptimized JavaScript slows query times there)'
        : 'no count pass (it would send the request again): calls, queries and constructions are unknown',
  ];
  const sent = sentNote(
    options.request,
    target.sent - sentBefore - recounted,
    `profile: ${options.warmup} warm-up, ${requests.length} timed${
      requests.length >= options.runs
        ? ''
        : steady()
          ? `, ${steadyAfterWarmupReason(elapsed[0] ?? 0, options.budget)}`
          : `, ${spentReason(elapsed, options.budget)}`
    }${options.counted ? ' (calls counted in the trace pass)' : countPass ? `, ${options.runs} counted` : ''}`,
  );
  if (unreadable.length) {
    notes.push(
      `calls unknown for ${unreadable.length} script(s) whose source could not be read: ${unreadable.slice(0, 3).join('; ')}`,
    );
  }
  return { profile, requests, countedConstructions, notes, sent };
}
