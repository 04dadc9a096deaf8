// Type-aware lint. The sans-I/O boundary is enforced here: the protocol core
// (src/wsc, src/eap, src/ieee80211, src/wpa, src/util, src/netlink, src/ieee1905, src/easymesh) may not import anything that
// touches sockets, files, processes or wall-clock timers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'dgram', 'node:dgram',
  'child_process', 'node:child_process', 'timers', 'node:timers', 'timers/promises', 'node:timers/promises',
  'os', 'node:os', 'process', 'node:process', 'http', 'node:http', 'worker_threads', 'node:worker_threads',
];

// Node 20's global Buffer is an accessor: every use of it calls a getter. The registration path
// (npm run bench: outside node:crypto) names node:buffer's export instead.
const bufferGlobal = { name: 'Buffer', message: "import { Buffer } from 'node:buffer': the global is a getter called on every use." };
const registrationPathFolders = ['util', 'wsc', 'eap'];

// Comments cite what a behaviour comes from (the WSC or IEEE clause, the RFC, the hostap function or
// file), so every reference can be followed from a clone. A private notes file cannot.
const citations = {
  rules: {
    'followable-references': {
      meta: { type: 'problem', schema: [], messages: { unfollowable: 'This cites {{what}}, which users of the project do not have: cite the specification clause or the hostap function it comes from.' } },
      create(context) {
        return {
          Program() {
            // Comments and strings (test names) alike; across a comment's line break too.
            const text = context.sourceCode.text;
            for (const found of text.matchAll(/\bfacts(?:[\s*/]+sheet)?[\s*/]+§|\bfacts sheet\b|shared\/docs\//g)) {
              const loc = context.sourceCode.getLocFromIndex(found.index);
              context.report({ loc, messageId: 'unfollowable', data: { what: found[0].replace(/[\s*/]+/g, ' ') } });
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/**', 'native/**', 'bin/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { onboard: citations },
    rules: {
      'onboard/followable-references': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Wire values arrive as plain numbers and are compared with the protocol's enums on purpose.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The plain-JavaScript examples are outside the TypeScript project: no type-aware rules.
    files: ['examples/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { Buffer: 'readonly', console: 'readonly', process: 'readonly' },
    },
  },
  {
    files: ['src/daemon/eap-links.ts', 'src/sim/ethernet-segment.ts'],
    rules: { 'no-restricted-globals': ['error', bufferGlobal] },
  },
  {
    // node:test's describe()/it() return promises the runner itself tracks.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  // Inside the core, imports run one way only (bottom first): util; wpa and netlink; wsc; eap and
  // ieee80211, which carry WSC messages. The EAP method depends on the WSC core as hostap's
  // eap_wsc.c depends on src/wps, never the reverse, and the four-way handshake knows nothing of WPS.
  // Each folder names the core folders it must not import (the 1905 / EasyMesh side sits on top).
  ...Object.entries({
    util: ['wpa', 'netlink', 'wsc', 'eap', 'ieee80211', 'pcap', 'ieee1905', 'easymesh'],
    wpa: ['netlink', 'wsc', 'eap', 'ieee80211', 'pcap', 'ieee1905', 'easymesh'],
    netlink: ['wpa', 'wsc', 'eap', 'ieee80211', 'pcap', 'ieee1905', 'easymesh'],
    wsc: ['netlink', 'eap', 'ieee80211', 'pcap', 'ieee1905', 'easymesh'],
    eap: ['netlink', 'ieee80211', 'pcap', 'ieee1905', 'easymesh'],
    ieee80211: ['netlink', 'eap', 'pcap', 'ieee1905', 'easymesh'],
    ieee1905: [],
    easymesh: [],
  }).map(([folder, above]) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'The protocol core is sans-I/O: pass bytes, time and randomness in.' })),
        patterns: [
          { group: ['**/drivers/**', '**/daemon/**', '**/ctrl/**', '**/cli/**', '**/config/**', '**/sim/**', '**/demo/**'], message: 'The core must not depend on the layers around it.' },
          ...(above.length === 0 ? [] : [{ group: above.map((name) => `**/${name}/**`), message: `src/${folder} sits below ${above.join(', ')} in the core: move what both need down (src/util) or to the lower one.` }]),
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Inject time: use receive(..., now) / handleTimeout(now).' },
        { name: 'setInterval', message: 'Inject time.' },
        { name: 'process', message: 'The core does not touch the process.' },
        ...(registrationPathFolders.includes(folder) ? [bufferGlobal] : []),
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Inject time.' },
        { object: 'Math', property: 'random', message: 'Use the injected Rng (system CSPRNG in production).' },
      ],
    },
  })),
);
