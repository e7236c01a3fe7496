import type { Capture } from '../capture/types.js';

/**
 * What the HTML report hands to the viewer: one capture, or two to compare.
 * Pure (no `node:*`): the viewer imports this type too.
 */
export type ViewerPayload = { kind: 'single'; capture: Capture } | { kind: 'diff'; before: Capture; after: Capture };

/** Id of the `<script type="application/json">` element that carries the payload. */
export const PAYLOAD_ELEMENT_ID = 'culprit-data';
