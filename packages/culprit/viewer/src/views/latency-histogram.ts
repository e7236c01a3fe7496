import { fmtMs, h } from '../ui/dom.js';
import { hideTooltip, showTooltip } from '../ui/tooltip.js';

/**
 * Latency histogram drawn from percentiles 0..100: each percentile step is 1%
 * of requests, binned into 30 equal-width latency buckets (hey's layout).
 */
export function latencyHistogram(quantiles: number[]): HTMLElement {
  const min = quantiles[0] ?? 0;
  const max = quantiles[quantiles.length - 1] ?? 0;
  const bins = 30;
  const width = (max - min) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (let p = 1; p < quantiles.length; p++) {
    const v = quantiles[p]!;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  }
  const canvas = h('canvas', { class: 'histogram', attrs: { 'aria-label': 'latency histogram' } });
  const cssW = 600;
  const cssH = 140;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = cssW * dpr;
  canvas.height = cssH * dpr;
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  const top = Math.max(...counts, 1);
  const barW = cssW / bins;
  ctx.fillStyle = 'hsl(210 60% 55%)';
  counts.forEach((c, i) => {
    const bh = (c / top) * (cssH - 20);
    ctx.fillRect(i * barW + 1, cssH - 16 - bh, barW - 2, bh);
  });
  ctx.fillStyle = '#888';
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText(fmtMs(min), 2, cssH - 3);
  ctx.textAlign = 'right';
  ctx.fillText(fmtMs(max), cssW - 2, cssH - 3);
  canvas.addEventListener('mousemove', (e) => {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((e.offsetX / cssW) * bins)));
    showTooltip(
      [`${fmtMs(min + i * width)} – ${fmtMs(min + (i + 1) * width)}`, `${counts[i]}% of requests`],
      e.clientX,
      e.clientY,
    );
  });
  canvas.addEventListener('mouseleave', hideTooltip);
  return canvas;
}
