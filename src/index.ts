/** Library entry point of `onboard`. */
export * from './wsc/index.js';
export { pmkFromPassphrase } from './wpa/keys.js';
export { systemRng, ScriptedRng } from './util/rng.js';
export type { Rng } from './util/rng.js';
export { formatMac, parseMac } from './util/mac.js';
export * as config from './config/index.js';
