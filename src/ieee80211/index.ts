/** 802.11 frames and elements for the simulated medium (sans-I/O). */
export * from './elements.js';
export * from './frames.js';
export * from './wps-element.js';
export * from './multi-ap-element.js';
export * from './rsn.js';
export * from './radiotap.js';
export * from './association-policy.js';
export * from './vlan.js';
