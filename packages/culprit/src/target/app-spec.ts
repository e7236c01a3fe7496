/**
 * `--app MODULE#NAME`: the module, and optionally the one export to serve (or,
 * for a function without parameters, to call as the app's factory). Without a
 * name, module mode calls nothing but a documented factory (probe/host/choose-export.ts).
 */
export interface AppSpec {
  modulePath: string;
  exportName?: string;
}

/** Splits at the last `#` when what follows is an identifier (paths may hold `#` elsewhere). */
export function splitAppSpec(spec: string): AppSpec {
  const at = spec.lastIndexOf('#');
  const name = at < 0 ? '' : spec.slice(at + 1);
  if (at <= 0 || !/^[A-Za-z_$][\w$]*$/.test(name)) return { modulePath: spec };
  return { modulePath: spec.slice(0, at), exportName: name };
}
