/**
 * The `partial:` label: a capture that lacks part of what was asked (Ctrl-C,
 * a request without its record, a pass not run) says so in a note starting
 * with this prefix, so every reader shows it and nothing diagnoses the
 * capture as whole. Pure.
 */
import type { Capture } from './types.js';

const PREFIX = 'partial: ';

/** A note labelling the capture partial. */
export function partialNote(why: string): string {
  return `${PREFIX}${why}`;
}

/** The capture's partial labels, empty when it is whole. */
export function partialNotes(capture: Pick<Capture, 'notes'>): string[] {
  return (capture.notes ?? []).filter((note) => note.startsWith(PREFIX));
}
