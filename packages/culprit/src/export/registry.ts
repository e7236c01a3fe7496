/**
 * Exporters by format id: each turns the profile model into a file other
 * tools open. The CLI's `--export FORMAT=FILE` choices are this map's keys.
 */
import type { ProfileData } from '../capture/types.js';
import { collapsedExporter } from './collapsed.js';
import { cpuprofileExporter } from './cpuprofile.js';
import { pprofExporter } from './pprof.js';
import { speedscopeExporter } from './speedscope.js';

export interface Exporter {
  /** One line for help text: what opens the file. */
  description: string;
  /** Usual file extension, with the dot. */
  extension: string;
  /** The file's bytes (text exporters return a string). */
  encode(profile: ProfileData, meta: ExportMeta): string | Uint8Array;
}

export interface ExportMeta {
  /** Shown as the profile's name in viewers (e.g. `GET /api/ephemera/13373/`). */
  name: string;
}

export const exporters = {
  cpuprofile: cpuprofileExporter,
  speedscope: speedscopeExporter,
  pprof: pprofExporter,
  collapsed: collapsedExporter,
} as const satisfies Record<string, Exporter>;

export type ExportFormat = keyof typeof exporters;

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(exporters, value);
}
