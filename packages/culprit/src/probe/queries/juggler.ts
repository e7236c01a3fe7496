/**
 * LoopBack's juggler (loopback-datasource-juggler, under LoopBack 4's
 * repositories and LoopBack 3's models) runs a model's statements through
 * callbacks: `find` hands the connector a callback, the connector calls the
 * driver from it, and the driver's stack holds none of the app's frames (a
 * query per item of a page was an N+1 with no line). The model methods the
 * app calls run synchronously in its code, so they lend their stack and
 * request to every statement below them (entry-issuer.ts), the outermost
 * only: `findOne` calls `find`, `findById` calls `findOne`. They are patched
 * on `DataAccessObject` as its file loads, before a data source mixes them
 * into any model. Statements are recorded by the driver hooks.
 */
import { type EntryOptions, lendFromEntries } from './entry-issuer.js';
import { onCommonJsFile, packageFile } from './module-hook.js';

const MODEL_METHODS =
  /^(?:find|findOne|findById|findByIds|count|exists|create|createAll|upsert|updateOrCreate|patchOrCreate|upsertWithWhere|patchOrCreateWithWhere|replaceOrCreate|findOrCreate|destroyAll|deleteAll|remove|deleteById|destroyById|removeById|updateAll|update|replaceById)$/;
const INSTANCE_METHODS =
  /^(?:save|updateAttribute|updateAttributes|patchAttributes|replaceAttributes|delete|remove|destroy|reload)$/;
const ENTRY: EntryOptions = { label: 'juggler issuer', outermost: true };

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('loopback-datasource-juggler', 'lib/dao.js'), (exports) => {
    if (typeof exports !== 'function') return;
    lendFromEntries(exports, MODEL_METHODS, ENTRY);
    const proto = (exports as { prototype?: object }).prototype;
    if (proto) lendFromEntries(proto, INSTANCE_METHODS, ENTRY);
  });
}
