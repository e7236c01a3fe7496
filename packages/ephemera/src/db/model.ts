// Base of every model, as Django's `Model`: TypeORM runs its constructor once
// for every instance it builds from a row (`new Ephemeron()` → `Model`), so
// "objects constructed" is one function in a profile, as `base.py:__init__`
// was in the story (231,590 calls to serve one postcard).
export abstract class Model {
  /** Per-instance ORM bookkeeping, as Django's `_state`; hidden from JSON and spreads. */
  declare readonly _state: { constructedAt: number };

  constructor() {
    Object.defineProperty(this, '_state', { value: { constructedAt: Date.now() }, enumerable: false });
  }
}
