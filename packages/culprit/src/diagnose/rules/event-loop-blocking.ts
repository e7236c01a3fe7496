import type { Finding } from '../../capture/types.js';
import { formatMs, formatPlace } from '../evidence.js';
import type { CpuFacts } from '../facts/cpu-facts.js';
import { answered } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { stretchStatement } from '../facts/stretch-statement.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

/**
 * A symptom: one synchronous stretch that holds every other request back.
 * It is folded into the cause that spends that time when one was found; on
 * its own it says that no app line could be charged with it.
 */
export const eventLoopBlocking: Rule = {
  id: 'event-loop-blocking',
  kind: 'symptom',
  describe: `a request blocks the event loop for >= ${settings.blockingMs} ms in one synchronous stretch`,
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint }): Finding[] => {
      const blockingMs = request.blockingMs ?? 0;
      if (blockingMs < settings.blockingMs) return [];
      // a stretch is CPU or descheduling, and its CPU is at most the request's: only that is the app's to save,
      // in the unit causes are ranked in (see request-time.ts)
      const ownMs = request.cpuMs > 0 ? Math.min(blockingMs, request.cpuMs) : blockingMs;
      const evidence = [
        { label: 'longest synchronous stretch', value: formatMs(blockingMs) },
        { label: 'request time', value: formatMs(request.wallMs) },
      ];
      if (ownMs < blockingMs)
        evidence.push({
          label: 'descheduled',
          value: `at least ${formatMs(blockingMs - ownMs)} of it: the request used ${formatMs(request.cpuMs)} of CPU in all (a loaded machine)`,
        });
      // no app frame on the stack through it: the statement whose rows it handled, or which it prepared, names the call
      const statement = stretchStatement(request);
      const finding: Finding = {
        rule: eventLoopBlocking.id,
        // unexplained by any cause, it is context for the reader, not a thing to fix by itself
        severity: 'info',
        endpoint,
        title: `${endpoint} blocks the event loop for ${formatMs(blockingMs)}: no other request is served meanwhile${statement ? `; it ${statement.relation === 'handled' ? 'handles the result of' : 'prepares'} the statement sent at ${formatPlace(statement.location)}, in the library's own code` : ''}`,
        impact: ownMs / Math.max(requestTimeMs(request), 1e-9),
        savesMs: ownMs,
        evidence,
      };
      if (statement) {
        finding.location = statement.location;
        evidence.push({ label: 'statement', value: statement.sql.slice(0, 200) });
        finding.suggestion =
          statement.relation === 'handled'
            ? 'Ask for fewer rows or relations at that call (the columns and children the response needs, a page), or plain rows instead of entities: building them is the stretch.'
            : 'Give that call less to prepare: save only what changed (an update of the changed columns) instead of an entity with its loaded relations, which the ORM merges and compares one by one before it writes.';
      } else finding.noAppLine = noAppLine(facts.cpu);
      return [finding];
    });
  },
};

/** A package's own code holding this share of the samples outside any app frame is named as where the stretch runs. */
const PACKAGE_SHARE = 0.5;

/** Why no app line is named: the library whose own code runs outside any app frame, else the busiest app function. */
function noAppLine(cpu: CpuFacts | undefined): string {
  if (!cpu) return 'no profile was taken (run without --no-profile to see which code runs in that stretch)';
  const idle = cpu.idlePackage;
  if (idle && idle.share >= PACKAGE_SHARE)
    return `${(idle.share * 100).toFixed(0)}% of the sampled CPU (${formatMs(idle.msPerRequest)} per request) is ${idle.pkg}'s own code with no app frame above it, most in ${idle.top.name} (${idle.top.file}:${idle.top.line}): a library's work the app reaches through its configuration, not a call`;
  const busiest = cpu.hotspots[0];
  return busiest
    ? `the samples charge no single app line with it (the busiest, ${busiest.fn.name}, has ${formatMs(busiest.msPerRequest)} per request)`
    : 'the samples charge no app line with it';
}
