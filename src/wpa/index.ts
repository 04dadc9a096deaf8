/** WPA2-Personal: keys, EAPOL-Key frames and the four-way handshake (sans-I/O). */
export * from './keys.js';
export * from './eapol-key.js';
export * from './handshake.js';
