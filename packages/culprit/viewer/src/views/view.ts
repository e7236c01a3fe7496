/** One tab of the viewer. */
export interface View {
  id: string;
  label: string;
  el: HTMLElement;
  /** Called each time the tab becomes visible (charts size themselves then). */
  show(): void;
}
