import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { levelFromDebugFlags, Logger, LogLevel, parseLogLevelName } from '../../src/util/logger.js';

function logger(level: LogLevel, showKeys: boolean) {
  const lines: string[] = [];
  return { lines, log: new Logger({ level, showKeys, sink: (l) => lines.push(l) }) };
}

describe('Logger', () => {
  it('masks key material as [REMOVED] unless keys are shown (-K)', () => {
    const masked = logger(LogLevel.Debug, false);
    masked.log.key('WPS: Network Key', 'fronthaulpass');
    assert.deepEqual(masked.lines, ['WPS: Network Key - hexdump(len=13): [REMOVED]']);
    const shown = logger(LogLevel.Debug, true);
    shown.log.key('WPS: PSK1', Buffer.from([0x9a, 0xcd, 0x01]));
    assert.deepEqual(shown.lines, ['WPS: PSK1 - hexdump(len=3): 9a cd 01']);
  });

  it('-d gives debug, -dd message dumps; below the level nothing is written', () => {
    assert.equal(levelFromDebugFlags(0), LogLevel.Info);
    assert.equal(levelFromDebugFlags(1), LogLevel.Debug);
    assert.equal(levelFromDebugFlags(2), LogLevel.MsgDump);
    const info = logger(LogLevel.Info, true);
    info.log.debug('hidden');
    info.log.key('hidden', 'secret');
    info.log.hexdump(LogLevel.MsgDump, 'frame', Buffer.from([1]));
    info.log.info('shown');
    assert.deepEqual(info.lines, ['shown']);
    const dump = logger(LogLevel.MsgDump, false);
    dump.log.hexdump(LogLevel.MsgDump, 'RX EAPOL', Buffer.from([0x01, 0x00]));
    assert.deepEqual(dump.lines, ['RX EAPOL - hexdump(len=2): 01 00']);
  });

  it('LOG_LEVEL at run time: names and numbers as wpa_supplicant takes them, timestamps only with a clock', () => {
    assert.deepEqual(parseLogLevelName('debug'), { name: 'DEBUG', level: LogLevel.Debug });
    assert.deepEqual(parseLogLevelName('0'), { name: 'EXCESSIVE', level: LogLevel.MsgDump });
    assert.deepEqual(parseLogLevelName('5'), { name: 'ERROR', level: LogLevel.Error });
    assert.equal(parseLogLevelName('6'), null);
    assert.equal(parseLogLevelName('verbose'), null);
    const lines: string[] = [];
    const log = new Logger({ level: LogLevel.Info, showKeys: false, sink: (l) => lines.push(l), clock: () => 1_500, timestamps: false });
    log.debug('before');
    log.setLevel('DEBUG', LogLevel.Debug, true);
    log.debug('after');
    assert.equal(log.levelName, 'DEBUG');
    assert.deepEqual(lines, ['1.500000: after']);
    const noClock = new Logger({ level: LogLevel.Info, showKeys: false, sink: () => {} });
    noClock.setLevel('INFO', LogLevel.Info, true);
    assert.equal(noClock.timestamps, false);
  });

  it('secret text is masked the same way', () => {
    const masked = logger(LogLevel.Debug, false);
    masked.log.secretText(LogLevel.Debug, 'PIN: ', '12345670');
    assert.deepEqual(masked.lines, ['PIN: [REMOVED]']);
  });
});
