import type { Finding, HttpCallRecord, RequestRecord } from '../../capture/types.js';
import { clampShare, formatMs, formatPercent, formatPlace } from '../evidence.js';
import { answered } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';

/**
 * Where token issuers publish their signing keys and metadata: `/.well-known/jwks.json`,
 * `/.well-known/openid-configuration`, and the `…/keys`, `…/certs`, `…/jwks` of Dex, Google, Keycloak, Okta.
 */
const KEY_SET_PATH = /(?:\/\.well-known\/(?:jwks\.json|openid-configuration)|\/(?:keys|certs|jwks)(?:\.json)?)$/i;

function keySetFetch(call: HttpCallRecord): boolean {
  return call.method === 'GET' && KEY_SET_PATH.test(call.path);
}

/**
 * An issuer's key set fetched again on every request. A JWT verifier keeps the keys it fetched for as long as
 * the key-set object lives (jose's `createRemoteJWKSet`, jwks-rsa's client): one made inside the function that
 * verifies, per call, starts empty each time and fetches them before every verification. The keys change
 * rarely; the fetch is a round trip to the issuer on every request (tens of ms to a remote one). Said when
 * every traced run of the request fetched it: a first request fetching it once is the cache filling.
 */
export const keySetPerRequest: Rule = {
  id: 'key-set-per-request',
  kind: 'cause',
  describe: "a request fetches a token issuer's key set (jwks, keys, certs, openid-configuration) in every run",
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint, runs }): Finding[] => {
      if (runs.length < 2 || !runs.every((run) => (run.http ?? []).some(keySetFetch))) return [];
      const fetches = (request.http ?? []).filter(keySetFetch);
      const [first] = fetches;
      if (!first) return [];
      const requestMs = requestTimeMs(request);
      const waitedMs = fetches.reduce((sum, call) => sum + call.durationMs, 0);
      const finding: Finding = {
        endpoint,
        rule: keySetPerRequest.id,
        severity: severityFor(waitedMs, requestMs),
        title: `${endpoint} fetches the key set ${first.origin}${first.path} on every request (${formatMs(waitedMs)}, ${formatPercent(waitedMs / Math.max(requestMs, 1e-9))} of it)${first.location ? ` at ${formatPlace(first.location)}` : ''}: the verifier that holds the keys is made anew each time`,
        impact: clampShare(waitedMs / Math.max(requestMs, 1e-9)),
        savesMs: waitedMs,
        evidence: [
          { label: 'fetched in', value: `${runs.length} of ${runs.length} runs (${fetchesPerRun(runs)} a run)` },
          { label: 'call', value: `GET ${first.origin}${first.url} (${formatMs(first.durationMs)})` },
          { label: 'request time', value: formatMs(request.wallMs) },
        ],
        suggestion:
          'Make the key set once, at module scope or start-up (`const JWKS = createRemoteJWKSet(new URL(…))` beside the imports, one jwks-rsa client), and pass that one to every verification: it keeps the keys and refetches only for an unknown key id or after its cooldown.',
      };
      if (first.location) finding.location = first.location;
      else finding.noAppLine = 'the fetch carries no application frame';
      return [finding];
    });
  },
};

function fetchesPerRun(runs: readonly RequestRecord[]): string {
  const counts = new Set(runs.map((run) => (run.http ?? []).filter(keySetFetch).length));
  return [...counts].sort((a, b) => a - b).join(' or ');
}
