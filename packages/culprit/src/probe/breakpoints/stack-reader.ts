/**
 * Reading a paused main thread, from the worker: call frames, `this`, and the
 * locals of each frame (local, block and catch scopes), rendered as short
 * strings. Only inspector calls happen while main is paused (the inspector
 * serves them from its pause loop); mapping and code lines come after resume.
 */
import type { StackFrame } from '../../capture/types.js';
import type { MainThreadDebugger } from './cdp.js';
import { mapLocation, plainLocation, snippetAround } from './locations.js';
import { type RemoteValue, renderRemote } from './render.js';

/** Frames kept, and frames whose locals are read (each costs one inspector round trip per scope). */
const MAX_FRAMES = 25;
const FRAMES_WITH_LOCALS = 12;
const MAX_LOCALS = 30;
const LOCAL_SCOPES = new Set(['local', 'block', 'catch']);

export interface PausedCallFrame {
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber: number };
  scopeChain: Array<{ type: string; object: { objectId?: string } }>;
  this?: RemoteValue;
}

export interface RawPausedFrame {
  scriptId: string;
  line: number;
  column: number;
  functionName: string;
  locals: Record<string, string>;
  async?: boolean;
}

/** V8's async stack trace (Debugger.setAsyncCallStackDepth): the awaiting callers, outermost last. */
export interface AsyncStackTrace {
  callFrames: Array<{ functionName: string; scriptId: string; lineNumber: number; columnNumber: number }>;
  parent?: AsyncStackTrace;
}

const MAX_ASYNC_FRAMES = 20;

/** The awaiting callers: where an ORM builds rows, the app frame is usually here. */
export function asyncFrames(trace: AsyncStackTrace | undefined): RawPausedFrame[] {
  const frames: RawPausedFrame[] = [];
  for (let at = trace; at && frames.length < MAX_ASYNC_FRAMES; at = at.parent) {
    for (const frame of at.callFrames) {
      if (frames.length >= MAX_ASYNC_FRAMES) break;
      frames.push({
        scriptId: frame.scriptId,
        line: frame.lineNumber,
        column: frame.columnNumber,
        functionName: frame.functionName,
        locals: {},
        async: true,
      });
    }
  }
  return frames;
}

/** While paused: positions and locals, nothing else. */
export async function readPausedFrames(
  debug: MainThreadDebugger,
  callFrames: PausedCallFrame[],
): Promise<RawPausedFrame[]> {
  const frames: RawPausedFrame[] = [];
  for (const [index, frame] of callFrames.slice(0, MAX_FRAMES).entries()) {
    const locals: Record<string, string> = {};
    if (index < FRAMES_WITH_LOCALS) {
      if (frame.this && frame.this.type !== 'undefined') locals.this = renderRemote(frame.this);
      for (const scope of frame.scopeChain) {
        if (!LOCAL_SCOPES.has(scope.type) || !scope.object.objectId) continue;
        const props = await debug.post<{ result: Array<{ name: string; value?: RemoteValue }> }>(
          'Runtime.getProperties',
          {
            objectId: scope.object.objectId,
            ownProperties: true,
            generatePreview: true,
          },
        );
        for (const prop of props.result) {
          if (Object.keys(locals).length >= MAX_LOCALS) break;
          if (!(prop.name in locals)) locals[prop.name] = renderRemote(prop.value);
        }
      }
    }
    frames.push({
      scriptId: frame.location.scriptId,
      line: frame.location.lineNumber,
      column: frame.location.columnNumber,
      functionName: frame.functionName,
      locals,
    });
  }
  return frames;
}

/** After resume: original locations and the code lines around them. */
export function toStackFrames(debug: MainThreadDebugger, raw: RawPausedFrame[]): StackFrame[] {
  return raw.map((frame) => {
    const mapped = mapLocation(debug, frame.scriptId, frame.line, frame.column, frame.functionName || '(anonymous)');
    const location = mapped
      ? plainLocation(mapped)
      : { file: '', line: 0, column: 0, functionName: frame.functionName };
    const snippet = mapped?.text !== undefined ? { snippet: snippetAround(mapped.text, mapped.line) } : {};
    return { ...location, ...snippet, locals: frame.locals, ...(frame.async ? { async: true } : {}) };
  });
}
