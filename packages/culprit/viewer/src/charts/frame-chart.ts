import type { FlatTree } from '../model/flat-tree.js';
import { h } from '../ui/dom.js';
import { hideTooltip, showTooltip } from '../ui/tooltip.js';

/** What a frame chart needs to know about its frames; the chart knows nothing of profiles. */
export interface FrameChartOptions {
  /** Root at the bottom (flame graph) instead of the top (icicle). */
  flip: boolean;
  color(node: number): string;
  label(node: number): string;
  tooltip(node: number): string[];
  /** Frames to dim (0) or keep (1), by node; undefined = none dimmed. */
  dimmed?(): ((node: number) => boolean) | undefined;
  /** Frames to outline (the selected function's). */
  outlined?(node: number): boolean;
  onSelect?(node: number): void;
  onFocusChange?(path: number[]): void;
}

const ROW = 18;
const CHAR_W = 6.6;

/**
 * Icicle / flame graph on a canvas: click a frame to zoom to it, wheel to
 * zoom around the pointer, drag to pan, arrows to walk frames, Enter to zoom,
 * Escape to go back. Only frames wider than half a pixel are visited, so a
 * 50,000-node tree draws in a few milliseconds.
 */
export class FrameChart {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { attrs: { tabindex: '0', 'aria-label': 'call tree chart' } });
  private readonly ctx: CanvasRenderingContext2D;
  private tree: FlatTree;
  private focus = 0;
  private view: [number, number] = [0, 1];
  private cursor = -1;
  private hover = -1;
  private width = 0;
  private pending = false;
  private drag: { x: number; view: [number, number]; moved: boolean } | undefined;

  constructor(
    tree: FlatTree,
    private readonly options: FrameChartOptions,
  ) {
    this.tree = tree;
    this.el = h('div', { class: 'chart-scroll' }, this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    new ResizeObserver(() => this.redraw()).observe(this.el);
    this.bindPointer();
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  setTree(tree: FlatTree): void {
    this.tree = tree;
    this.focus = 0;
    this.cursor = -1;
    this.view = [0, 1];
    this.options.onFocusChange?.([0]);
    this.redraw();
  }

  /** Zooms so `node` fills the width and sits on the first row. */
  zoomTo(node: number): void {
    const { tree } = this;
    this.focus = node;
    const x0 = tree.x0[node]!;
    this.view = [x0, x0 + Math.max(1e-9, tree.total[node]! / (tree.total[0]! || 1))];
    this.options.onFocusChange?.(this.pathOf(node));
    this.redraw();
  }

  /** Current zoom path, root first. */
  pathOf(node: number): number[] {
    const path: number[] = [];
    for (let n = node; n >= 0; n = this.tree.parent[n]!) path.push(n);
    return path.reverse();
  }

  redraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  /** Draws now; returns how many frames were painted (the bench reads it). */
  draw(): number {
    const started = performance.now();
    const painted = this.paint();
    // A named measure per draw: the bench reads them, nothing else does.
    performance.measure('culprit-draw', { start: started, end: performance.now() });
    return painted;
  }

  private paint(): number {
    const { tree, canvas, ctx } = this;
    const width = this.el.clientWidth;
    if (width === 0) return 0;
    const rows = tree.maxDepth - tree.depth[this.focus]! + 1;
    const height = Math.max(rows * ROW, 60);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    this.width = width;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    const dim = this.options.dimmed?.();
    const [v0, v1] = this.view;
    const scale = width / (v1 - v0);
    const rootTotal = tree.total[0]! || 1;
    const baseDepth = tree.depth[this.focus]!;
    let painted = 0;
    const stack = [this.focus];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const x = (tree.x0[node]! - v0) * scale;
      const w = (tree.total[node]! / rootTotal) * scale;
      if (w < 0.5 || x > width || x + w < 0) continue;
      const d = tree.depth[node]! - baseDepth;
      const y = this.options.flip ? height - (d + 1) * ROW : d * ROW;
      painted++;
      this.paintFrame(node, x, y, w, dim ? dim(node) : false);
      for (let c = tree.childStart[node]!; c < tree.childStart[node + 1]!; c++) stack.push(tree.childList[c]!);
    }
    return painted;
  }

  private paintFrame(node: number, x: number, y: number, w: number, dimmed: boolean): void {
    const { ctx } = this;
    const left = Math.max(x, 0);
    const right = Math.min(x + w, this.width);
    ctx.globalAlpha = dimmed ? 0.22 : 1;
    ctx.fillStyle = this.options.color(node);
    ctx.fillRect(left, y, Math.max(right - left - 0.5, 0.5), ROW - 1);
    ctx.globalAlpha = 1;
    if (node === this.cursor || node === this.hover || this.options.outlined?.(node)) {
      ctx.strokeStyle = node === this.cursor ? '#000' : node === this.hover ? '#333' : '#c00';
      ctx.lineWidth = node === this.cursor || (node !== this.hover && this.options.outlined?.(node)) ? 2 : 1;
      ctx.strokeRect(left + 1, y + 1, Math.max(right - left - 2.5, 0.5), ROW - 3);
    }
    const room = right - left - 6;
    if (room < CHAR_W * 3) return;
    let label = this.options.label(node);
    const fit = Math.floor(room / CHAR_W);
    if (label.length > fit) label = `${label.slice(0, Math.max(fit - 1, 1))}…`;
    ctx.fillStyle = dimmed ? 'rgba(20,20,20,0.45)' : '#141414';
    ctx.fillText(label, left + 3, y + ROW / 2);
  }

  /** The frame under a point in canvas CSS pixels, or -1. */
  hitTest(px: number, py: number): number {
    const { tree } = this;
    const height = this.canvas.clientHeight;
    const row = Math.floor((this.options.flip ? height - py : py) / ROW);
    if (row < 0) return -1;
    const fx = this.view[0] + (px / this.width) * (this.view[1] - this.view[0]);
    const rootTotal = tree.total[0]! || 1;
    let node = this.focus;
    if (fx < tree.x0[node]! || fx > tree.x0[node]! + tree.total[node]! / rootTotal) return -1;
    for (let d = 0; d < row; d++) {
      let next = -1;
      for (let c = tree.childStart[node]!; c < tree.childStart[node + 1]!; c++) {
        const child = tree.childList[c]!;
        const x0 = tree.x0[child]!;
        if (fx >= x0 && fx < x0 + tree.total[child]! / rootTotal) {
          next = child;
          break;
        }
      }
      if (next < 0) return -1;
      node = next;
    }
    return node;
  }

  private bindPointer(): void {
    const c = this.canvas;
    const local = (e: MouseEvent): [number, number] => {
      const r = c.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    c.addEventListener('mousedown', (e) => {
      this.drag = { x: e.clientX, view: [...this.view], moved: false };
    });
    window.addEventListener('mouseup', () => {
      setTimeout(() => {
        this.drag = undefined;
      }, 0);
    });
    c.addEventListener('mousemove', (e) => {
      if (this.drag && (e.buttons & 1) === 1 && Math.abs(e.clientX - this.drag.x) > 3) {
        this.drag.moved = true;
        const span = this.drag.view[1] - this.drag.view[0];
        const shift = ((this.drag.x - e.clientX) / this.width) * span;
        this.setView(this.drag.view[0] + shift, this.drag.view[1] + shift);
        return;
      }
      const [x, y] = local(e);
      const node = this.hitTest(x, y);
      if (node !== this.hover) {
        this.hover = node;
        this.redraw();
      }
      if (node >= 0) showTooltip(this.options.tooltip(node), e.clientX, e.clientY);
      else hideTooltip();
    });
    c.addEventListener('mouseleave', () => {
      this.hover = -1;
      hideTooltip();
      this.redraw();
    });
    c.addEventListener('click', (e) => {
      if (this.drag?.moved) return;
      const [x, y] = local(e);
      const node = this.hitTest(x, y);
      if (node < 0) return;
      this.cursor = node;
      this.zoomTo(node);
      this.options.onSelect?.(node);
    });
    c.addEventListener(
      'wheel',
      (e) => {
        // Ctrl/Cmd + wheel zooms around the pointer, horizontal or Shift + wheel pans, plain wheel scrolls the page.
        const [x] = local(e);
        const [v0, v1] = this.view;
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          const at = v0 + (x / this.width) * (v1 - v0);
          const factor = Math.exp(e.deltaY * 0.002);
          this.setView(at - (at - v0) * factor, at + (v1 - at) * factor);
        } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          e.preventDefault();
          const shift = ((e.shiftKey ? e.deltaY : e.deltaX) / this.width) * (v1 - v0);
          this.setView(v0 + shift, v1 + shift);
        }
      },
      { passive: false },
    );
  }

  private setView(a: number, b: number): void {
    const { tree } = this;
    const lo = tree.x0[this.focus]!;
    const hi = lo + tree.total[this.focus]! / (tree.total[0]! || 1);
    const span = Math.min(Math.max(b - a, (hi - lo) * 1e-6), hi - lo);
    const start = Math.min(Math.max(a, lo), hi - span);
    this.view = [start, start + span];
    this.redraw();
  }

  private onKey(e: KeyboardEvent): void {
    const { tree } = this;
    let node = this.cursor >= 0 ? this.cursor : this.focus;
    const siblings = (n: number): number[] => {
      const p = tree.parent[n]!;
      return p < 0 ? [n] : Array.from(tree.childList.subarray(tree.childStart[p]!, tree.childStart[p + 1]!));
    };
    const up = this.options.flip ? 'ArrowDown' : 'ArrowUp';
    const down = this.options.flip ? 'ArrowUp' : 'ArrowDown';
    if (e.key === up && tree.parent[node]! >= 0 && node !== this.focus) node = tree.parent[node]!;
    else if (e.key === down && tree.childStart[node + 1]! > tree.childStart[node]!)
      node = tree.childList[tree.childStart[node]!]!;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const sib = siblings(node);
      const at = sib.indexOf(node) + (e.key === 'ArrowLeft' ? -1 : 1);
      if (at >= 0 && at < sib.length && node !== this.focus) node = sib[at]!;
    } else if (e.key === 'Enter') {
      this.zoomTo(node);
      this.options.onSelect?.(node);
    } else if (e.key === 'Escape' || e.key === 'Backspace') {
      this.zoomTo(Math.max(0, tree.parent[this.focus]!));
    } else return;
    e.preventDefault();
    this.cursor = node;
    const r = this.canvas.getBoundingClientRect();
    const [v0, v1] = this.view;
    const x = ((tree.x0[node]! - v0) / (v1 - v0)) * this.width;
    const d = tree.depth[node]! - tree.depth[this.focus]!;
    const y = this.options.flip ? r.height - (d + 1) * ROW : d * ROW;
    showTooltip(this.options.tooltip(node), r.left + Math.max(0, x) + 10, r.top + y + ROW);
    this.redraw();
  }
}
