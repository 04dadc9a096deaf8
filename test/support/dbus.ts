/**
 * A private dbus-daemon for a test (its own configuration allowing any name, on a socket in the
 * test's directory), and the real D-Bus client gdbus pointed at it.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './interop.js';

export interface PrivateBus {
  address: string;
  /** The environment a process needs to take this bus for the system bus (wpa_supplicant -u, onboard sta -u, gdbus --system). */
  env: NodeJS.ProcessEnv;
  stop(): void;
}

export async function startPrivateBus(dir: string, name: string): Promise<PrivateBus> {
  const socket = join(dir, `${name}.sock`);
  const conf = join(dir, `${name}.conf`);
  writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`,
  );
  const address = `unix:path=${socket}`;
  const daemon: ChildProcess = spawn('dbus-daemon', ['--config-file', conf, '--nofork', '--nopidfile', `--address=${address}`], { stdio: 'ignore' });
  await until(() => existsSync(socket) || daemon.exitCode !== null, `dbus-daemon on ${socket}`);
  if (daemon.exitCode !== null) throw new Error(`dbus-daemon exited with ${daemon.exitCode}`);
  return { address, env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address }, stop: () => void daemon.kill('SIGTERM') };
}

export interface GdbusResult {
  /** gdbus's output on success (GVariant text), else ''. */
  out: string;
  /** The D-Bus error name of a failed call, else null. */
  error: string | null;
}

/** `gdbus call --system` against fi.w1.wpa_supplicant1 on this bus. */
export function gdbusCall(bus: PrivateBus, path: string, method: string, ...args: string[]): Promise<GdbusResult> {
  return new Promise((resolve) => {
    execFile('gdbus', ['call', '--system', '--dest', 'fi.w1.wpa_supplicant1', '--object-path', path, '--method', method, ...args], { env: bus.env, timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ out: stdout.trim(), error: null });
      const name = /GDBus\.Error:([\w.]+)/.exec(stderr)?.[1] ?? `(gdbus failed: ${stderr.trim()})`;
      resolve({ out: '', error: name });
    });
  });
}

/** `gdbus introspect --xml` of one object. */
export function gdbusIntrospect(bus: PrivateBus, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('gdbus', ['introspect', '--system', '--dest', 'fi.w1.wpa_supplicant1', '--object-path', path, '--xml'], { env: bus.env, timeout: 15_000 }, (error, stdout) =>
      error ? reject(new Error(`gdbus introspect ${path}: ${error.message}`)) : resolve(stdout),
    );
  });
}

/** `gdbus monitor` of the service: every signal line so far. */
export function gdbusMonitor(bus: PrivateBus): { lines: () => string[]; stop: () => void } {
  const child = spawn('gdbus', ['monitor', '--system', '--dest', 'fi.w1.wpa_supplicant1'], { env: bus.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  return { lines: () => text.split('\n').filter((l) => l.startsWith('/')), stop: () => void child.kill('SIGTERM') };
}

export interface MemberShape {
  kind: 'method' | 'signal' | 'property';
  name: string;
  /** Arguments as name:type:direction, or type:access for a property. */
  shape: string;
}

/** The members of each interface in an introspection XML, in document order. */
export function introspectionShape(xml: string): Map<string, MemberShape[]> {
  const out = new Map<string, MemberShape[]>();
  for (const i of xml.matchAll(/<interface name="([^"]+)">([\s\S]*?)<\/interface>/g)) {
    const members: MemberShape[] = [];
    for (const m of i[2]!.matchAll(/<(method|signal) name="([^"]+)"\s*(?:\/>|>([\s\S]*?)<\/\1>)|<property name="([^"]+)" type="([^"]+)" access="([^"]+)"\s*\/>/g)) {
      if (m[4]) {
        members.push({ kind: 'property', name: m[4], shape: `${m[5]}:${m[6]}` });
        continue;
      }
      const args = [...(m[3] ?? '').matchAll(/<arg name="([^"]*)" type="([^"]+)"(?: direction="(\w+)")?\s*\/>/g)].map((a) => `${a[1]}:${a[2]}:${a[3] ?? ''}`);
      members.push({ kind: m[1] as 'method' | 'signal', name: m[2]!, shape: args.join(',') });
    }
    out.set(i[1]!, members);
  }
  return out;
}
