import type { ProfileModel } from '../model/profile-model.js';
import { matchFunctions } from '../model/search.js';

/** The state every view shares: the selected function (linked across charts and table) and the search. */
export interface AppState {
  selectedFn: number;
  query: string;
  /** Per function: 1 when it matches the search; undefined without a search. */
  matches: Uint8Array | undefined;
}

type Listener = (state: AppState) => void;

export class Store {
  readonly state: AppState = { selectedFn: -1, query: '', matches: undefined };
  private readonly listeners: Listener[] = [];

  constructor(readonly model: ProfileModel | undefined) {}

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  select(fn: number): void {
    if (fn === this.state.selectedFn) return;
    this.state.selectedFn = fn;
    this.emit();
  }

  search(query: string): void {
    this.state.query = query;
    this.state.matches = this.model ? matchFunctions(this.model.functions, query) : undefined;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.state);
  }
}
