/** Dark and light: follows the system unless the user toggles (remembered when storage is available). */
const KEY = 'culprit-theme';

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // file:// or privacy mode may refuse storage; the system preference applies
  }
}

export function initTheme(): void {
  const theme = stored() ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = theme;
}

export function toggleTheme(): void {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // not remembered; still switched
  }
}
