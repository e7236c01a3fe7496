// The current mysql2 (TracingChannels) through the same cases as the old ones
// (fixtures/mysql2-*): the patched path must never record a statement twice here.
import { mysql2Cases } from './test-support/mysql2-cases.js';

await mysql2Cases(import.meta.url);
