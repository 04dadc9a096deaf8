/**
 * `onboard controller -c FILE [-d[d]] [-K] [-t]`: the Multi-AP Controller (src/easymesh Controller)
 * on the 1905 interfaces of the file. It answers AP-Autoconfiguration Searches and M1s with the
 * M2s of the BSSs its `bss_info` lines list for that Agent (a tear-down M2 when none matches the
 * radio). `RENEW [AL MAC]` on its control socket, or SIGHUP / `RELOAD` after re-reading the file,
 * sends AP-Autoconfiguration Renew so every Agent asks for its configuration again.
 */
import { bssConfigsFrom, parseBssInfoLine } from '../config/bss-info.js';
import type { BssInfoEntry } from '../config/bss-info.js';
import { ConfigError } from '../config/diagnostics.js';
import { parseControllerConf } from '../config/mesh-conf.js';
import type { ControllerFileConfig } from '../config/mesh-conf.js';
import type { ControllerEvent } from '../easymesh/controller.js';
import { Controller } from '../easymesh/controller.js';
import type { BssConfig } from '../easymesh/bss.js';
import { formatMac, isMacText, parseMac } from '../util/mac.js';
import type { MeshRole, MeshRoleContext } from './mesh.js';
import { meshDeviceInfo, runMeshDaemon } from './mesh.js';
import type { ProcessIo } from './process-io.js';
import { processIo } from './process-io.js';
import { banner } from './version.js';

export const CONTROLLER_USAGE = `${banner('the Multi-AP Controller (EasyMesh AP-Autoconfiguration over IEEE 1905.1)')}

usage: onboard controller [-hdKtv] -c <configuration file>

options:
   -c   configuration file: interface= (the 1905 interfaces), al_mac=, ctrl_interface=, the WSC
        device identity (device_name=, manufacturer=, uuid=, ...) and one bss_info= line per BSS,
        in the Wi-Fi Alliance test harness form
        <AL MAC> <opclass 8x|11x|12x|N> <SSID> <auth 0x..> <encr 0x..> <key> <backhaul 0|1> <fronthaul 0|1>
   -d   show more debug messages (-dd for even more)
   -K   include key data in debug messages
   -t   include timestamps in debug messages
   -v   show version

control interface (onboard cli -p DIR -i IFNAME COMMAND):
   status, ping, renew [AL MAC] (AP-Autoconfiguration Renew), agents, reload (re-read the file,
   then Renew, as SIGHUP does), terminate
example:
  onboard controller -c examples/mesh-controller.conf -d
`;

/** The bss_info lines of the file, each read by the test harness form's parser; errors name FILE:LINE. */
function bssEntries(config: ControllerFileConfig, file: string): { entries: BssInfoEntry[]; errors: ConfigError[] } {
  const entries: BssInfoEntry[] = [];
  const errors: ConfigError[] = [];
  for (const line of config.bssInfo) {
    try {
      entries.push(parseBssInfoLine(line.text, file, line.line));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  }
  return { entries, errors };
}

function controllerRole(context: MeshRoleContext<ControllerFileConfig>): MeshRole<ControllerFileConfig, ControllerEvent> {
  const { log, emit, run, config, confPath } = context;
  let bssConfigs: BssConfig[] = bssConfigsFrom(bssEntries(config, confPath).entries);
  const controller = new Controller({
    alMac: context.alMac,
    interfaces: context.transports.map((t) => ({ name: t.ifname, mac: t.mac })),
    device: meshDeviceInfo(config, context.alMac, 'onboard-controller'),
    bssConfigs,
  });
  const renew = (alMac?: Buffer) => run((now) => controller.renew(now, alMac ? { alMac } : {}), 'AP-Autoconfiguration Renew');
  log.info(`controller: ${bssConfigs.length} BSS configuration(s) for ${new Set(bssConfigs.map((c) => formatMac(c.alMac))).size} Agent(s)`);
  return {
    node: controller,
    onEvent: (event) => {
      switch (event.kind) {
        case 'search-answered':
          emit(`MESH-SEARCH-ANSWERED al_mac=${formatMac(event.alMac)} band=${event.band}`);
          return;
        case 'm2-sent':
          emit(`MESH-M2-SENT al_mac=${formatMac(event.alMac)} radio=${formatMac(event.radioId)} ${event.teardown ? 'teardown' : `bss=${event.bsses.map((b) => b.ssid.toString('utf8')).join(',')}`}`);
          return;
        case 'renew-sent':
          emit(`MESH-RENEW-SENT mid=${event.messageId}${event.alMac ? ` al_mac=${formatMac(event.alMac)}` : ''}`);
          return;
        case 'topology':
          log.debug(`controller: topology of ${formatMac(event.alMac)}: ${event.interfaces.map((i) => formatMac(i.mac)).join(' ')}`);
          return;
        case 'refused':
          return;
      }
    },
    start: () => run((now) => controller.start(now), 'the controller\'s start'),
    status: () => `role=controller\nagents=${controller.agents.size}\nbss_configs=${bssConfigs.length}\n`,
    command: (ctx) => {
      switch (ctx.command) {
        case 'RENEW': {
          const target = ctx.args[0];
          if (target !== undefined && (!isMacText(target) || parseMac(target)[0]! & 1)) return 'FAIL\n';
          renew(target !== undefined ? parseMac(target) : undefined);
          return 'OK\n';
        }
        case 'AGENTS':
          return [...controller.agents.values()]
            .map((a) => `${formatMac(a.alMac)} profile=${a.profile ?? '-'} radios=${[...a.radios.values()].map((r) => formatMac(r.radioId)).join(',')}\n`)
            .join('');
        default:
          return undefined;
      }
    },
    reload: (next) => {
      bssConfigs = bssConfigsFrom(bssEntries(next, confPath).entries);
      controller.setBssConfigs(bssConfigs);
      log.info(`controller: ${bssConfigs.length} BSS configuration(s); sending Renew`);
      renew();
      return true;
    },
    close: () => undefined,
  };
}

export function runController(argv: string[], io: ProcessIo = processIo): Promise<number> {
  return runMeshDaemon<ControllerFileConfig, ControllerEvent>(
    {
      name: 'controller',
      usage: CONTROLLER_USAGE,
      parse: parseControllerConf,
      check: (config, file) => bssEntries(config, file).errors,
      role: controllerRole,
    },
    argv,
    io,
  );
}
