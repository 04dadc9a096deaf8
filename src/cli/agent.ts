/**
 * `onboard agent -c FILE [-d[d]] [-K] [-t]`: the Multi-AP Agent (src/easymesh Agent) on the 1905
 * interfaces of the file. It searches for the Controller, sends an M1 per radio, and brings up the
 * BSSs the M2s describe on its local AP through the AP's control interface (hostapd or onboard ap:
 * the radio's `bss_ctrl=` sockets, see src/daemon/mesh-local-ap.ts), as prplMesh's agent drives
 * hostapd. With `backhaul_sta_ctrl=`, a backhaul STA (wpa_supplicant or onboard sta) that has no
 * network yet is started on `WPS_PBC multi_ap=1` first.
 */
import { parseAgentConf } from '../config/mesh-conf.js';
import type { AgentFileConfig } from '../config/mesh-conf.js';
import { ConfigError } from '../config/diagnostics.js';
import { ctrlRequest } from '../ctrl/unix-dgram.js';
import { LocalApDriver } from '../daemon/mesh-local-ap.js';
import type { CtrlRequest } from '../daemon/mesh-local-ap.js';
import type { AgentEvent, AgentRadio } from '../easymesh/agent.js';
import { Agent } from '../easymesh/agent.js';
import { FreqBand } from '../ieee1905/tlvs.js';
import { expectOnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import { RfBand } from '../wsc/constants.js';
import type { MeshRole, MeshRoleContext } from './mesh.js';
import { meshDeviceInfo, runMeshDaemon } from './mesh.js';
import type { ProcessIo } from './process-io.js';
import { processIo } from './process-io.js';
import { banner } from './version.js';

export const AGENT_USAGE = `${banner('the Multi-AP Agent (EasyMesh AP-Autoconfiguration over IEEE 1905.1)')}

usage: onboard agent [-hdKtv] -c <configuration file>

options:
   -c   configuration file: interface= (the 1905 interfaces), al_mac=, ctrl_interface=, the WSC
        device identity, backhaul_sta_ctrl= (optional), then per radio a section
          radio=<name>  radio_mac=<RUID>  band=2.4|5  bss_ctrl=<AP control socket> [...]
        whose bss_ctrl= sockets are the BSS slots of the radio in the local hostapd / onboard ap
   -d   show more debug messages (-dd for even more)
   -K   include key data in debug messages
   -t   include timestamps in debug messages
   -v   show version

control interface (onboard cli -p DIR -i IFNAME COMMAND):
   status, ping, search (start AP-Autoconfiguration again), configuration, reload, terminate
example:
  onboard agent -c examples/mesh-agent.conf -d
`;

const REQUEST_TIMEOUT_MS = 5000;

/**
 * Operating classes the radio lists in AP Radio Basic Capabilities: the 20 MHz classes of its band
 * (IEEE 802.11 Table E-4; 81: 2.4 GHz channels 1..13; 115, 118, 121, 124, 125: 5 GHz), so a
 * Controller's `8x`, `11x` and `12x` groups match as with prplMesh's radios.
 */
const OP_CLASSES: Record<'2.4' | '5', number[]> = { '2.4': [81], '5': [115, 118, 121, 124, 125] };

export function agentRadios(config: AgentFileConfig): AgentRadio[] {
  return config.radios.map((r) => {
    const band = r.band === '5' ? '5' : '2.4';
    return {
      radioId: r.ruid!,
      band: band === '5' ? FreqBand.Band5 : FreqBand.Band24,
      maxBss: r.bssCtrl.length,
      opClasses: OP_CLASSES[band].map((opClass) => ({ opClass, maxTxPower: 0, nonOperableChannels: [] })),
      rfBands: band === '5' ? RfBand.Band50 : RfBand.Band24,
    };
  });
}

/**
 * The backhaul STA: a STA that is connected or has a network to connect to is left alone; one with
 * neither runs WPS push-button asking for the backhaul (`WPS_PBC multi_ap=1`). The reply, or why not.
 */
export async function ensureBackhaul(request: CtrlRequest, socket: string): Promise<string> {
  const status = (await request(socket, 'STATUS')) ?? '';
  if (/^wpa_state=COMPLETED$/m.test(status)) return 'connected';
  const networks = (await request(socket, 'LIST_NETWORKS')) ?? '';
  if (networks.split('\n').filter((l) => l.trim() !== '').length > 1) return 'has a network';
  return `WPS_PBC multi_ap=1: ${((await request(socket, 'WPS_PBC multi_ap=1')) ?? 'no answer').trim()}`;
}

function agentRole(context: MeshRoleContext<AgentFileConfig>): MeshRole<AgentFileConfig, AgentEvent> {
  const { log, emit, run, config } = context;
  const request: CtrlRequest = (socket, command) => ctrlRequest(socket, command, { timeoutMs: REQUEST_TIMEOUT_MS });
  const radios = config.radios.map((r) => ({
    config: r,
    driver: new LocalApDriver(r.bssCtrl, request, (line) => log.debug(`agent: ${r.name}: ${line}`)),
    /** Configurations are applied one after the other, in the order the M2s came. */
    queue: Promise.resolve(),
    applied: 'none',
  }));
  const agent = new Agent({
    alMac: context.alMac,
    interfaces: context.transports.map((t) => ({ name: t.ifname, mac: t.mac })),
    device: meshDeviceInfo(config, context.alMac, 'onboard-agent'),
    radios: agentRadios(config),
  });
  const apply = (event: Extract<AgentEvent, { kind: 'radio-configured' }>) => {
    const radio = radios.find((r) => r.config.ruid!.equals(event.radioId));
    if (!radio) return;
    const bsses = event.configuration.kind === 'bsses' ? event.configuration.bsses : [];
    const what = bsses.length === 0 ? 'teardown' : `bss=${bsses.map((b) => b.ssid.toString('utf8')).join(',')}`;
    radio.queue = radio.queue.then(async () => {
      try {
        await radio.driver.apply(bsses);
      } catch (error) {
        // A refusal of the local AP (typed) leaves it as it was; a bug goes to the internal-error report.
        const e = expectOnboardError(error);
        emit(`MESH-AP-FAILED radio=${radio.config.name} ${e.code}`);
        log.error(`agent: ${radio.config.name}: ${e.message}; the AP keeps its previous configuration`);
        return;
      }
      radio.applied = what;
      emit(`MESH-RADIO-CONFIGURED radio=${radio.config.name} ${what}`);
    }).catch((error: unknown) => context.internalErrors.report(error, `the local AP of ${radio.config.name}`));
  };
  return {
    node: agent,
    onEvent: (event) => {
      switch (event.kind) {
        case 'controller-found':
          emit(`MESH-CONTROLLER-FOUND al_mac=${formatMac(event.alMac)} band=${event.band}`);
          return;
        case 'search-sent':
          log.debug(`agent: Search for band ${event.band} (mid ${event.messageId})`);
          return;
        case 'm1-sent':
          log.debug(`agent: M1 for radio ${formatMac(event.radioId)}${event.retry ? ' (again)' : ''} (mid ${event.messageId})`);
          return;
        case 'renew':
          emit(`MESH-RENEW from=${formatMac(event.from)}`);
          return;
        case 'radio-configured':
          apply(event);
          return;
        case 'refused':
          return;
      }
    },
    start: () => {
      if (config.backhaulStaCtrl) {
        const socket = config.backhaulStaCtrl;
        ensureBackhaul(request, socket).then(
          (result) => log.info(`agent: backhaul STA ${socket}: ${result}`),
          (error: unknown) => log.error(`agent: backhaul STA ${socket}: ${(error as Error).message}`),
        );
      }
      run((now) => agent.start(now), 'the agent\'s start');
    },
    status: () =>
      `role=agent\ncontroller=${agent.controller ? formatMac(agent.controller) : ''}\n` +
      radios.map((r) => `radio[${r.config.name}]=${formatMac(r.config.ruid!)} ${r.applied}\n`).join(''),
    command: (ctx) => {
      switch (ctx.command) {
        case 'SEARCH':
          run((now) => agent.start(now), 'SEARCH');
          return 'OK\n';
        case 'CONFIGURATION':
          return radios
            .map((r) => {
              const c = agent.configuration(r.config.ruid!);
              const text = !c ? 'none' : c.kind === 'teardown' ? 'teardown' : c.bsses.map((b) => `${b.ssid.toString('utf8')}/0x${b.multiApExtension.toString(16)}`).join(' ');
              return `${r.config.name} ${text}\n`;
            })
            .join('');
        default:
          return undefined;
      }
    },
    reload: (next) => {
      const same = JSON.stringify(next.radios) === JSON.stringify(config.radios) && next.interfaces.join() === config.interfaces.join();
      if (!same) {
        log.error('agent: the radios or interfaces changed; restart the agent to apply that');
        return false;
      }
      run((now) => agent.start(now), 'SIGHUP');
      return true;
    },
    close: () => undefined,
  };
}

export function runAgent(argv: string[], io: ProcessIo = processIo): Promise<number> {
  return runMeshDaemon<AgentFileConfig, AgentEvent>(
    {
      name: 'agent',
      usage: AGENT_USAGE,
      parse: parseAgentConf,
      check: (config, file) =>
        config.radios.filter((r) => r.band === '6').map((r) => new ConfigError('config-invalid-value', file, r.line, `radio=${r.name}: band=6 has no IEEE 1905.1 AutoconfigFreqBand value; use 2.4 or 5`, 'band')),
      role: agentRole,
    },
    argv,
    io,
  );
}
