/**
 * Control-interface transcripts recorded from the real wpa_supplicant 2.10 with
 * scripts/record-wpas-ctrl.sh (test/vectors/ctrl/*.txt): each request, its exact reply and the
 * events an ATTACHed monitor received after it. `~SESSION N` lines split a file recorded in
 * several runs of the daemon.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { StaEapLink } from '../../src/daemon/eap-links.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { parseMac } from '../../src/util/mac.js';

/** The recordings' interface address. */
export const STA_MAC = '02:00:00:00:05:00';

export interface Exchange {
  request: string;
  reply: string;
  events: string[];
}

/** The sessions of a transcript under test/vectors/ctrl/ (one unless it has `~SESSION` lines). */
export function transcriptSessions(name: string): Exchange[][] {
  const path = fileURLToPath(new URL(`../../../test/vectors/ctrl/${name}`, import.meta.url));
  return parseTranscript(readFileSync(path, 'utf8'));
}

/** The sessions of a transcript's text (as the recorder writes it). */
export function parseTranscript(text: string): Exchange[][] {
  const sessions: Exchange[][] = [[]];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('~SESSION')) {
      if (sessions.at(-1)!.length > 0) sessions.push([]);
      continue;
    }
    const [request, reply, ...events] = line.split('\t');
    sessions.at(-1)!.push({ request: request!, reply: JSON.parse(reply!) as string, events: events.map((e) => JSON.parse(e) as string) });
  }
  return sessions;
}

/** A transcript of one session. */
export function transcript(name: string): Exchange[] {
  return transcriptSessions(name).flat();
}

/**
 * The wired daemon as `onboard sta -D wired` runs it, with the recording's configuration (default:
 * no networks), driven request by request on a virtual clock.
 */
export function wiredDaemon(confText = 'ctrl_interface=/run/onboard\nap_scan=0\n') {
  const clock = new VirtualScheduler();
  const link = new StaEapLink({ ownMac: parseMac(STA_MAC), scheduler: clock, port: { send: () => {} } });
  const conf = parseWpaSupplicantConfOrThrow(confText, { file: 'w.conf' }).config;
  const events: string[] = [];
  const daemon = new StaDaemon({ ifname: 'eth0', confPath: 'w.conf', conf, macAddress: parseMac(STA_MAC), scheduler: clock, link, emit: (text, level = 3) => events.push(`<${level}>${text}`) });
  daemon.start();
  const ctrl = new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) });
  return {
    clock,
    /**
     * The reply, and the events sent meanwhile and in the 0.3 s the recording waited for them; a
     * `~WAIT S` line of the recording is S seconds of events.
     */
    async request(text: string): Promise<{ reply: string; events: string[] }> {
      events.length = 0;
      const wait = /^~WAIT (\d+)$/.exec(text);
      if (wait) {
        clock.runUntil(clock.now() + Number(wait[1]) * 1000);
        return { reply: '', events: [...events] };
      }
      const reply = await ctrl.request('/tmp/client', Buffer.from(text));
      clock.runUntil(clock.now() + 300);
      return { reply, events: [...events] };
    },
  };
}
