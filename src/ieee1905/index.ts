/** The sans-I/O IEEE 1905.1 layer: CMDU and TLV codecs, fragmentation, reassembly, duplicate detection and the AL entity. */
export * from './cmdu.js';
export * from './tlvs.js';
export * from './fragmentation.js';
export * from './duplicates.js';
export * from './al-entity.js';
