/** Library entry point of `onboard`. */
export * from './wsc/index.js';
export type { WscFrame, WscHandler, WscHandlerResult } from './eap/wsc-handler.js';
export { WscOpCode } from './eap/wsc-handler.js';
export { systemRng, ScriptedRng } from './util/rng.js';
export type { Rng } from './util/rng.js';
export { formatMac, parseMac } from './util/mac.js';
export * as config from './config/index.js';
