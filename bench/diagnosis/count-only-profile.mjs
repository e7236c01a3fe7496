// A saved capture's profile cut to its call counts: no samples, no times, as a diagnose that sent no warm-up
// and no timed run would have had. Shared by skip-rule.mjs and trace-only.mjs.
export const countOnly = (profile) =>
  profile && {
    ...profile,
    requestCount: 0,
    durationMs: 0,
    nodes: [],
    timeline: undefined,
    loopsMs: undefined,
    functions: profile.functions
      .filter((f) => f.calls !== null)
      .map(({ hotLine, ...f }) => ({ ...f, selfMs: 0, totalMs: 0 })),
  };
