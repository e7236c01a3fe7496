import { h } from './dom.js';

/** One floating tooltip shared by every chart; lines are text, first line bold. */
const tip = h('div', { class: 'tooltip', attrs: { role: 'tooltip' } });
let attached = false;

export function showTooltip(lines: string[], clientX: number, clientY: number): void {
  if (!attached) {
    document.body.appendChild(tip);
    attached = true;
  }
  tip.replaceChildren(...lines.map((line, i) => h(i === 0 ? 'strong' : 'div', {}, line)));
  tip.style.display = 'block';
  const { innerWidth, innerHeight } = window;
  const rect = tip.getBoundingClientRect();
  const x = clientX + 14 + rect.width > innerWidth ? Math.max(4, clientX - rect.width - 14) : clientX + 14;
  const y = clientY + 14 + rect.height > innerHeight ? Math.max(4, clientY - rect.height - 14) : clientY + 14;
  tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}

export function hideTooltip(): void {
  tip.style.display = 'none';
}
