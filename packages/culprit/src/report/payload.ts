import type { EmbeddedCapture } from './pack-nodes.js';

/**
 * What the HTML report hands to the viewer: one capture, or two to compare.
 * Pure (no `node:*`): the viewer imports this type too.
 */
export type ViewerPayload = (
  | { kind: 'single'; capture: EmbeddedCapture }
  | { kind: 'diff'; before: EmbeddedCapture; after: EmbeddedCapture }
) & {
  /**
   * Latency at percentiles 0, 1, …, 100 (ms) of the shown capture's bench,
   * decoded from its HDR histogram on the node side so the viewer needs no decoder.
   */
  benchQuantilesMs?: number[];
  /** One sentence per capture whose profile was reduced for display (merged small frames); shown on every view. */
  reductions?: string[];
};

/** Id of the `<script type="application/json">` element that carries the payload. */
export const PAYLOAD_ELEMENT_ID = 'culprit-data';
