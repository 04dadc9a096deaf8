/**
 * Child process for the kill -9 test: a StaDaemon that adds a network and saves its configuration
 * in a loop, printing "saved N" after each SAVE_CONFIG that answered OK (N = networks in the file).
 *   node save-config-child.js CONF
 */
import { readFileSync } from 'node:fs';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { realScheduler } from '../../src/sim/scheduler.js';

const confPath = process.argv[2]!;
const daemon = new StaDaemon({
  ifname: 'wlan0',
  confPath,
  conf: parseWpaSupplicantConfOrThrow(readFileSync(confPath), { file: confPath }).config,
  macAddress: Buffer.from('020000000100', 'hex'),
  scheduler: realScheduler,
  link: { startAttempt: () => {}, stopAttempt: () => {} },
  emit: () => {},
});
const command = (raw: string) => {
  const [name = '', ...args] = raw.split(' ');
  return daemon.handle({ client: '', command: name, args, raw });
};

for (let n = 1; ; n++) {
  const id = (await command('ADD_NETWORK')).trim();
  await command(`SET_NETWORK ${id} ssid "network-${n}-${'x'.repeat(20)}"`);
  await command(`SET_NETWORK ${id} psk "passphrase-${n}-${'y'.repeat(40)}"`);
  if ((await command('SAVE_CONFIG')) === 'OK\n') process.stdout.write(`saved ${n}\n`);
}
