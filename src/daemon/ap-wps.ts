/**
 * hostapd's WPS control surface over one Registrar (hostapd/ctrl_iface.c, src/ap/wps_hostapd.c):
 * WPS_PBC, WPS_PIN, WPS_CANCEL, WPS_CHECK_PIN, WPS_AP_PIN, WPS_GET_STATUS, with the event lines and
 * the status hostapd keeps. Timers run on the injected scheduler; Registrar events become `<3>`
 * event lines.
 */
import type { Registrar, RegistrarEvent } from '../wsc/index.js';
import { checkPin, generatePin } from '../wsc/index.js';
import { systemRng } from '../util/rng.js';
import { registrarEventText } from '../ctrl/event-text.js';
import { parseUuid } from '../config/values.js';
import type { Scheduler } from '../sim/scheduler.js';
import { formatMac, isMacText, parseMac } from '../util/mac.js';

type PbcStatus = 'Disabled' | 'Active' | 'Timed-out' | 'Overlap';

const ERROR_INDICATION_TEXT: Record<number, string> = { 1: 'TKIP Only Prohibited', 2: 'WEP Prohibited', 3: 'Authentication Failure' };

export const DEFAULT_AP_PIN_TIMEOUT_S = 300;

export class ApWpsControl {
  private pbcStatus: PbcStatus = 'Disabled';
  private lastResult: 'None' | 'Success' | 'Failed' = 'None';
  private failureReason = 0;
  private peer: Buffer | null = null;
  private apPin: string | null = null;
  private cancelApPinTimer: (() => void) | null = null;
  private cancelRegistrarTimer: (() => void) | null = null;
  private timerAt: number | undefined;

  constructor(
    readonly registrar: Registrar,
    private readonly scheduler: Scheduler,
    /** An event line for the control interface. */
    private readonly emit: (text: string) => void,
    /** Every Registrar event, printed or not (the daemon applies new PSKs, AP self-configuration...). */
    private readonly onEvent: (event: RegistrarEvent) => void = () => {},
  ) {}

  /** Call after anything that may have changed the Registrar: forwards events, re-arms its timer. */
  flush(): void {
    for (const event of this.registrar.takeEvents()) {
      this.track(event);
      const text = registrarEventText(event);
      if (text) this.emit(text);
      this.onEvent(event);
    }
    const next = this.registrar.nextDeadline();
    if (next !== this.timerAt) {
      this.cancelRegistrarTimer?.();
      this.cancelRegistrarTimer = null;
      this.timerAt = next;
      if (next !== undefined) {
        this.cancelRegistrarTimer = this.scheduler.schedule(next - this.scheduler.now(), () => {
          this.timerAt = undefined;
          this.cancelRegistrarTimer = null;
          this.registrar.handleTimeout(this.scheduler.now());
          this.flush();
        });
      }
    }
  }

  private track(event: RegistrarEvent): void {
    switch (event.type) {
      case 'pbc-active':
        this.pbcStatus = 'Active';
        break;
      case 'pbc-disable':
        this.pbcStatus = 'Disabled';
        break;
      case 'pbc-timeout':
        this.pbcStatus = 'Timed-out';
        break;
      case 'overlap':
        this.pbcStatus = 'Overlap';
        break;
      case 'success':
        this.lastResult = 'Success';
        this.failureReason = 0;
        this.peer = Buffer.from(event.peerMac);
        break;
      case 'fail':
        this.lastResult = 'Failed';
        this.failureReason = event.errorIndication;
        if (event.peerMac) this.peer = Buffer.from(event.peerMac);
        break;
      case 'password-auth-failure':
        this.lastResult = 'Failed';
        this.failureReason = 3;
        this.peer = Buffer.from(event.peerMac);
        break;
      default:
        break;
    }
  }

  /** Returns the reply, or null when the command is not a WPS command. */
  command(command: string, raw: string): string | null {
    const now = this.scheduler.now();
    const rest = raw.slice(command.length).replace(/^ /, '');
    let reply: string | null;
    switch (command) {
      case 'WPS_PBC':
        // hostapd takes no arguments here ("WPS_PBC x" is not this command).
        if (raw !== 'WPS_PBC') return 'UNKNOWN COMMAND\n';
        reply = this.registrar.pushButton(now) === 'ok' ? 'OK\n' : 'FAIL\n';
        break;
      case 'WPS_PIN':
        reply = this.addPin(rest, now);
        break;
      case 'WPS_CANCEL':
        this.registrar.cancel(now);
        this.flush();
        this.emit('WPS-CANCEL ');
        return 'OK\n';
      case 'WPS_CHECK_PIN':
        return checkPinReply(rest);
      case 'WPS_AP_PIN':
        return this.apPinCommand(rest);
      case 'WPS_GET_STATUS':
        return this.status();
      default:
        return null;
    }
    this.flush();
    return reply;
  }

  private addPin(args: string, now: number): string {
    const [uuidText, pin, timeoutText, macText] = args.split(' ');
    if (!uuidText || pin === undefined) return 'FAIL\n';
    let uuid: Buffer | null = null;
    if (uuidText !== 'any') {
      uuid = parseUuid(uuidText);
      if (!uuid) return 'FAIL\n';
    }
    const timeoutS = timeoutText ? Number.parseInt(timeoutText, 10) || 0 : 0;
    const mac = macText && isMacText(macText) ? parseMac(macText) : null;
    this.registrar.addPin(pin, { uuid, enrolleeMac: mac, timeoutMs: timeoutS * 1000 }, now);
    return 'OK\n';
  }

  private apPinCommand(args: string): string {
    const [verb, ...rest] = args.split(' ');
    switch (verb) {
      case 'disable':
        this.setApPin(null, 0);
        return 'OK\n';
      case 'random': {
        const pin = generatePin(systemRng);
        this.setApPin(pin, rest[0] !== undefined ? Number.parseInt(rest[0], 10) || 0 : DEFAULT_AP_PIN_TIMEOUT_S);
        return pin;
      }
      case 'get':
        return this.apPin ?? 'FAIL\n';
      case 'set': {
        const pin = rest[0];
        if (!pin) return 'FAIL\n';
        this.setApPin(pin, rest[1] !== undefined ? Number.parseInt(rest[1], 10) || 0 : DEFAULT_AP_PIN_TIMEOUT_S);
        return pin;
      }
      default:
        return 'FAIL\n';
    }
  }

  /** The AP PIN (for external Registrars) and its timeout; a new PIN also lifts a lockout, as in hostapd. */
  private setApPin(pin: string | null, timeoutS: number): void {
    this.cancelApPinTimer?.();
    this.cancelApPinTimer = null;
    this.apPin = pin;
    if (pin !== null) {
      this.registrar.resetLockout();
      this.flush();
      if (timeoutS > 0) {
        this.cancelApPinTimer = this.scheduler.schedule(timeoutS * 1000, () => {
          this.apPin = null;
          this.cancelApPinTimer = null;
          this.emit('WPS-AP-PIN-DISABLED ');
        });
      }
    }
  }

  private status(): string {
    let out = `PBC Status: ${this.pbcStatus}\nLast WPS result: ${this.lastResult}\n`;
    if (this.lastResult === 'Failed' && this.failureReason > 0) out += `Failure Reason: ${ERROR_INDICATION_TEXT[this.failureReason] ?? 'Unknown'}\n`;
    if (this.lastResult !== 'None' && this.peer) out += `Peer Address: ${formatMac(this.peer)}\n`;
    return out;
  }

  close(): void {
    this.cancelApPinTimer?.();
    this.cancelRegistrarTimer?.();
  }
}

/** WPS_CHECK_PIN: separators dropped, 4 or 8 digits, checksum for 8 (both daemons). */
export function checkPinReply(text: string): string {
  const digits = text.replace(/[^0-9]/g, '');
  if (digits.length !== 4 && digits.length !== 8) return 'FAIL\n';
  if (digits.length === 8 && checkPin(digits) !== 'ok') return 'FAIL-CHECKSUM\n';
  return digits;
}
