import type { FlatTree } from '../model/flat-tree.js';
import { h } from '../ui/dom.js';
import { hideTooltip, showTooltip } from '../ui/tooltip.js';

export interface SunburstOptions {
  color(node: number): string;
  tooltip(node: number): string[];
  label(node: number): string;
  onSelect?(node: number): void;
  dimmed?(): ((node: number) => boolean) | undefined;
}

/**
 * SnakeViz-style sunburst on a canvas: the focused frame in the middle, its
 * callees as rings. `depth` limits the rings, `cutoff` hides slices below a
 * share of the focus. Click a slice to centre it, the middle to go back up.
 */
export class Sunburst {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { attrs: { tabindex: '0', 'aria-label': 'sunburst chart' } });
  private focus = 0;
  private hover = -1;
  depth = 8;
  cutoff = 0.001;

  constructor(
    private tree: FlatTree,
    private readonly options: SunburstOptions,
  ) {
    this.el = h('div', { class: 'sunburst-wrap' }, this.canvas);
    new ResizeObserver(() => this.draw()).observe(this.el);
    this.bind();
  }

  setTree(tree: FlatTree): void {
    this.tree = tree;
    this.focus = 0;
    this.draw();
  }

  setFocus(node: number): void {
    this.focus = node;
    this.draw();
  }

  private geometry(): { size: number; cx: number; ring: number } {
    const size = Math.max(200, Math.min(this.el.clientWidth, 720));
    return { size, cx: size / 2, ring: size / 2 / (this.depth + 1) };
  }

  draw(): void {
    if (this.el.clientWidth === 0) return; // hidden tab: drawn when shown
    const { tree, canvas } = this;
    const { size, cx, ring } = this.geometry();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const dim = this.options.dimmed?.();
    const rootTotal = tree.total[0]! || 1;
    const f0 = tree.x0[this.focus]!;
    const fw = tree.total[this.focus]! / rootTotal || 1;
    const baseDepth = tree.depth[this.focus]!;
    const stack = [this.focus];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const share = tree.total[node]! / rootTotal / fw;
      const d = tree.depth[node]! - baseDepth;
      if (share < this.cutoff || d > this.depth) continue;
      const a0 = ((tree.x0[node]! - f0) / fw) * Math.PI * 2 - Math.PI / 2;
      const a1 = a0 + share * Math.PI * 2;
      ctx.beginPath();
      if (d === 0) ctx.arc(cx, cx, ring, 0, Math.PI * 2);
      else {
        ctx.arc(cx, cx, (d + 1) * ring, a0, a1);
        ctx.arc(cx, cx, d * ring, a1, a0, true);
      }
      ctx.closePath();
      ctx.globalAlpha = dim?.(node) ? 0.22 : 1;
      ctx.fillStyle = this.options.color(node);
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = node === this.hover ? '#000' : 'rgba(255,255,255,0.6)';
      ctx.lineWidth = node === this.hover ? 2 : 0.5;
      ctx.stroke();
      for (let c = tree.childStart[node]!; c < tree.childStart[node + 1]!; c++) stack.push(tree.childList[c]!);
    }
    ctx.fillStyle = '#141414';
    ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const label = this.options.label(this.focus);
    const fit = Math.floor((ring * 2 - 8) / 6.6);
    ctx.fillText(label.length > fit ? `${label.slice(0, Math.max(1, fit - 1))}…` : label, cx, cx);
  }

  /** The slice under a point (CSS pixels in the canvas), or -1. */
  hitTest(px: number, py: number): number {
    const { tree } = this;
    const { cx, ring } = this.geometry();
    const dx = px - cx;
    const dy = py - cx;
    const d = Math.floor(Math.hypot(dx, dy) / ring);
    if (d === 0) return this.focus;
    if (d > this.depth) return -1;
    let angle = Math.atan2(dy, dx) + Math.PI / 2;
    if (angle < 0) angle += Math.PI * 2;
    const rootTotal = tree.total[0]! || 1;
    const fw = tree.total[this.focus]! / rootTotal || 1;
    const fx = tree.x0[this.focus]! + (angle / (Math.PI * 2)) * fw;
    let node = this.focus;
    for (let level = 0; level < d; level++) {
      let next = -1;
      for (let c = tree.childStart[node]!; c < tree.childStart[node + 1]!; c++) {
        const child = tree.childList[c]!;
        if (fx >= tree.x0[child]! && fx < tree.x0[child]! + tree.total[child]! / rootTotal) next = child;
      }
      if (next < 0) return -1;
      node = next;
    }
    return tree.total[node]! / rootTotal / fw < this.cutoff ? -1 : node;
  }

  private bind(): void {
    const c = this.canvas;
    const at = (e: MouseEvent): number => {
      const r = c.getBoundingClientRect();
      return this.hitTest(e.clientX - r.left, e.clientY - r.top);
    };
    c.addEventListener('mousemove', (e) => {
      const node = at(e);
      if (node !== this.hover) {
        this.hover = node;
        this.draw();
      }
      if (node >= 0) showTooltip(this.options.tooltip(node), e.clientX, e.clientY);
      else hideTooltip();
    });
    c.addEventListener('mouseleave', () => {
      this.hover = -1;
      hideTooltip();
      this.draw();
    });
    c.addEventListener('click', (e) => {
      const node = at(e);
      if (node < 0) return;
      const next = node === this.focus ? Math.max(0, this.tree.parent[node]!) : node;
      this.setFocus(next);
      this.options.onSelect?.(next);
    });
    c.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' || e.key === 'Backspace') {
        this.setFocus(Math.max(0, this.tree.parent[this.focus]!));
        e.preventDefault();
      }
    });
  }
}
