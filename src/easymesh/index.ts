/** The sans-I/O EasyMesh layer: Multi-AP Controller and Agent AP-Autoconfiguration over IEEE 1905.1. */
export * from './bss.js';
export * from './autoconfig-wsc.js';
export * from './node.js';
export * from './controller.js';
export * from './agent.js';
