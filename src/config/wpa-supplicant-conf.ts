/**
 * wpa_supplicant.conf: parse into typed globals and network blocks while keeping every line, so the
 * file can be written back with the user's comments, blank lines and unknown lines where they were.
 *
 * Line syntax follows the reference reader (utils/config.c wpa_config_get_line): leading blanks are
 * skipped, `#` starts a comment unless inside double quotes, trailing blanks are dropped. Unknown
 * options are errors, as in the reference (it refuses to load such a file); options the reference
 * knows but onboard does not act on are warnings that name them.
 *
 * Pure: text in, text out. Reading and writing files is atomic-write.ts's job.
 */
import { Diagnostics } from './diagnostics.js';
import type { ConfigError, ConfigErrorCode, ConfigWarning, ConfigWarningCode } from './diagnostics.js';
import { ConfigError as ConfigErrorClass, ConfigFileError, printable } from './diagnostics.js';
import {
  DEFAULT_GROUP, DEFAULT_KEY_MGMT, DEFAULT_PAIRWISE, DEFAULT_PROTO, GLOBAL_WRITE_ORDER, NETWORK_WRITE_ORDER, applyGlobal,
  applyNetworkField, defaultGlobals, defaultNetwork, finishNetwork, globalConsistencyProblems, lineKeepsValue, meaningfulPart,
  networkValueForLine,
} from './wpa-supplicant-fields.js';
import type { FieldReporter, WpaGlobals, WpaNetwork } from './wpa-supplicant-fields.js';
import { formatConfigString, formatDeviceType, formatOsVersion, formatUuid, inOrder, isNilUuid, rawOf, sameSet } from './values.js';
import { CIPHER_ORDER } from './values.js';
import { formatMac } from '../util/mac.js';

export { meaningfulPart } from './wpa-supplicant-fields.js';

export const DEFAULT_WPA_SUPPLICANT_FILE = 'wpa_supplicant.conf';

/** The reference reads top-level lines into a 512-byte buffer and network lines into 2000 bytes. */
const TOP_LINE_LIMIT = 510;
const NETWORK_LINE_LIMIT = 1998;

/** A line of the source file (text without the newline, as a byte string). */
export interface SourceLine {
  line: number;
  text: string;
}

/** One line inside a network block. Lines without `text` were added or changed and are written in the reference format. */
export type NetworkLine =
  | { kind: 'trivia'; line?: number; text: string }
  | { kind: 'invalid'; line: number; text: string }
  | { kind: 'field'; line?: number; text?: string; name: string; value: string };

export interface NetworkBlock {
  /** The `network={` line; without a line number for blocks added after parsing. */
  open: { line?: number; text: string };
  lines: NetworkLine[];
  /** The closing `}`; undefined when the source block was never closed. */
  close?: { line?: number; text: string };
  /** Typed view of the block (recomputed after every change). */
  network: WpaNetwork;
  /**
   * A network of one run, never written to the file (wpa_supplicant's ssid->temporary; the WPS
   * network of WPS_PBC/WPS_PIN): config_file.c wpa_config_write skips it.
   */
  temporary?: boolean;
}

export type WpaItem =
  | { kind: 'trivia'; line?: number; text: string }
  | { kind: 'invalid'; line: number; text: string }
  | { kind: 'global'; line?: number; text?: string; name: string; value: string }
  | { kind: 'network'; block: NetworkBlock }
  /** `cred={…}` and `blob-base64-…={…}` blocks: kept verbatim, not implemented. */
  | { kind: 'verbatim-block'; what: string; lines: SourceLine[] };

/** The whole file: items in source order plus typed views. */
export class WpaSupplicantConf {
  /** @internal use parseWpaSupplicantConf() */
  constructor(
    readonly file: string,
    readonly items: WpaItem[],
    private finalNewline: boolean,
  ) {}

  /** Typed globals (reference defaults for options not set; the last occurrence wins). */
  get globals(): WpaGlobals {
    const g = defaultGlobals();
    const sink = silentReporter();
    for (const item of this.items) {
      if (item.kind === 'global') applyGlobal(item.name, item.value, g, sink);
    }
    return g;
  }

  get networkBlocks(): NetworkBlock[] {
    return this.items.flatMap((i) => (i.kind === 'network' ? [i.block] : []));
  }

  get networks(): WpaNetwork[] {
    return this.networkBlocks.map((b) => b.network);
  }

  /**
   * Sets (or with null removes) a global option. The value is in file syntax and checked like the
   * parser does; an invalid value or unknown name throws a ConfigError. An existing line is
   * rewritten in place (earlier duplicates are dropped); a new one goes after the last global.
   */
  setGlobal(name: string, value: string | Uint8Array | null): void {
    const indexes = this.items.flatMap((item, i) => (item.kind === 'global' && item.name === name ? [i] : []));
    if (value !== null) {
      const raw = toRaw(value);
      const line = indexes.length > 0 ? lineOf(this.items[indexes[indexes.length - 1] ?? 0]) : 0;
      checkOrThrow(this.file, line, (r) => {
        if (!applyGlobal(name, raw, defaultGlobals(), r)) r.error(`unknown global option '${name}'`, 'config-unknown-option');
        // The reference refuses a newline in a global (wpa_global_config_parse_str); anything else
        // the line reader would not give back as set is refused too, so no value adds a line.
        else if (!lineKeepsValue(name, raw, TOP_LINE_LIMIT)) r.error(unwritableProblem(name));
      });
      const last = indexes.pop();
      if (last !== undefined) {
        const prev = this.items[last];
        if (prev?.kind === 'global' && prev.value !== raw) this.items[last] = { kind: 'global', ...(prev.line !== undefined ? { line: prev.line } : {}), name, value: raw };
      } else {
        this.items.splice(this.globalInsertIndex(), 0, { kind: 'global', name, value: raw });
      }
    }
    for (const i of indexes.reverse()) this.items.splice(i, 1);
  }

  /**
   * Appends a network block, written in the reference format: a blank line, `network={`, one
   * `<TAB>name=value` line per field in the given order, `}`. Values are in file syntax and are
   * validated; an invalid one throws a ConfigError. Returns the index of the new network.
   * A `temporary` network is listed like the others but never written (see NetworkBlock).
   */
  addNetwork(fields: readonly NetworkFieldValue[], options: { temporary?: boolean } = {}): number {
    const lines: NetworkLine[] = fields.flatMap((f) => {
      const written = writableNetworkValue(this.file, 0, f.name, toRaw(f.value));
      return written === null ? [] : [{ kind: 'field' as const, name: f.name, value: written }];
    });
    const network = checkedNetworkView(this.file, 0, lines);
    const block: NetworkBlock = { open: { text: 'network={' }, lines, close: { text: '}' }, network };
    if (options.temporary) {
      block.temporary = true;
      this.items.push({ kind: 'network', block });
    } else {
      this.appendSeparated(block);
    }
    return this.networkBlocks.length - 1;
  }

  /**
   * Adds a network built in code and already checked as a typed value (`networkProblems`): its
   * lines are written from it in the reference's order and format, and it is kept as it is, not
   * parsed back from them.
   */
  addCheckedNetwork(network: WpaNetwork, options: ReferenceFormatOptions = {}): number {
    this.appendSeparated({ open: { text: 'network={' }, lines: this.checkedLines(network, options), close: { text: '}' }, network });
    return this.networkBlocks.length - 1;
  }

  /**
   * A checked network (as addCheckedNetwork) takes the place of the temporary network at `index`:
   * same position, and from now on written to the file (wpa_supplicant_wps_cred replacing the WPS
   * network block with the received credential).
   */
  replaceTemporaryNetwork(index: number, network: WpaNetwork, options: ReferenceFormatOptions = {}): void {
    const at = this.networkItemIndex(index);
    const item = this.items[at];
    if (item?.kind !== 'network' || !item.block.temporary) throw new RangeError(`network block #${index} is not temporary`);
    const { block } = item;
    block.lines = this.checkedLines(network, options);
    block.network = network;
    delete block.temporary;
    // Written now: separated from what precedes it as an added block is.
    const before = this.items[at - 1];
    if (before && !(before.kind === 'trivia' && before.text.trim() === '')) this.items.splice(at, 0, { kind: 'trivia', text: '' });
    this.finalNewline = true;
  }

  private checkedLines(network: WpaNetwork, options: ReferenceFormatOptions): NetworkLine[] {
    return referenceNetworkFields({ network }, options).flatMap(([name, value]) => {
      const written = writableNetworkValue(this.file, 0, name, value);
      return written === null ? [] : [{ kind: 'field' as const, name, value: written }];
    });
  }

  /** Appends a block after a blank line, as the reference writer separates blocks. */
  private appendSeparated(block: NetworkBlock): void {
    const last = this.items[this.items.length - 1];
    if (!(last?.kind === 'trivia' && last.text.trim() === '')) this.items.push({ kind: 'trivia', text: '' });
    this.items.push({ kind: 'network', block });
    this.finalNewline = true;
  }

  /** Removes a network block (and the blank line that separated it from what precedes it; a temporary block has none). */
  removeNetwork(index: number): void {
    const at = this.networkItemIndex(index);
    const item = this.items[at];
    this.items.splice(at, 1);
    if (item?.kind === 'network' && item.block.temporary) return;
    const before = this.items[at - 1];
    if (before?.kind === 'trivia' && before.text.trim() === '') this.items.splice(at - 1, 1);
  }

  /**
   * Sets (null: removes) one field of a network block. A changed line keeps its position; a new
   * field is placed where the reference writer would put it relative to the existing fields.
   */
  setNetworkField(index: number, name: string, value: string | Uint8Array | null): void {
    const block = this.networkBlocks[index];
    if (!block) throw new RangeError(`no network block #${index}`);
    const positions = block.lines.flatMap((l, i) => (l.kind === 'field' && l.name === name ? [i] : []));
    const lastPos = positions.pop();
    const lines = [...block.lines];
    const raw = value === null ? null : writableNetworkValue(this.file, block.open.line ?? 0, name, toRaw(value));
    if (raw !== null) {
      const existing = lastPos !== undefined ? lines[lastPos] : undefined;
      const replacement: NetworkLine = { kind: 'field', ...(existing?.line !== undefined ? { line: existing.line } : {}), name, value: raw };
      if (lastPos !== undefined) {
        if (existing?.kind !== 'field' || existing.value !== raw) lines[lastPos] = replacement;
      } else {
        lines.splice(insertPosition(lines, name), 0, replacement);
      }
    } else if (lastPos !== undefined) {
      positions.push(lastPos);
    }
    for (const i of positions.reverse()) lines.splice(i, 1);
    const network = checkedNetworkView(this.file, block.open.line ?? 0, lines);
    block.lines = lines;
    block.network = network;
  }

  /** The file as bytes: untouched lines byte for byte, changed/added ones in the reference format. */
  toBuffer(): Buffer {
    const out: string[] = [];
    for (const item of this.items) {
      switch (item.kind) {
        case 'trivia':
        case 'invalid':
          out.push(item.text);
          break;
        case 'global':
          out.push(item.text ?? `${item.name}=${item.value}`);
          break;
        case 'verbatim-block':
          for (const l of item.lines) out.push(l.text);
          break;
        case 'network': {
          const b = item.block;
          if (b.temporary) break;
          out.push(b.open.text);
          for (const l of b.lines) out.push(l.kind === 'field' ? (l.text ?? `\t${l.name}=${l.value}`) : l.text);
          if (b.close) out.push(b.close.text);
          break;
        }
      }
    }
    let text = out.join('\n');
    if (this.finalNewline && out.length > 0) text += '\n';
    return Buffer.from(text, 'latin1');
  }

  /** The file as UTF-8 text (see toBuffer). */
  toString(): string {
    return this.toBuffer().toString('utf8');
  }

  /**
   * What the reference itself writes for this configuration (SAVE_CONFIG, or after WPS with
   * `update_config=1`): globals in its fixed order and only when not default, then each network it
   * would save, fields in its order; comments and unknown lines are not kept. Options onboard does
   * not implement are written as given, in the reference's position.
   */
  toReferenceFormat(options: ReferenceFormatOptions = {}): Buffer {
    const lines = referenceGlobalLines(this);
    for (const block of this.networkBlocks) {
      if (block.temporary || !referenceWouldSave(block.network)) continue;
      lines.push('', 'network={');
      for (const [name, value] of referenceNetworkFields(block, options)) lines.push(`\t${name}=${value}`);
      lines.push('}');
    }
    return Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1');
  }

  private networkItemIndex(index: number): number {
    let n = -1;
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i]?.kind === 'network' && ++n === index) return i;
    }
    throw new RangeError(`no network block #${index}`);
  }

  private globalInsertIndex(): number {
    let lastGlobal = -1;
    let firstBlock = -1;
    this.items.forEach((item, i) => {
      if (item.kind === 'global') lastGlobal = i;
      if ((item.kind === 'network' || item.kind === 'verbatim-block') && firstBlock < 0) firstBlock = i;
    });
    if (lastGlobal >= 0 && (firstBlock < 0 || lastGlobal < firstBlock)) return lastGlobal + 1;
    if (firstBlock >= 0) {
      // Before the blank line that separates the first block, if there is one.
      const before = this.items[firstBlock - 1];
      return before?.kind === 'trivia' && before.text.trim() === '' ? firstBlock - 1 : firstBlock;
    }
    this.finalNewline = true;
    return this.items.length;
  }
}

export interface NetworkFieldValue {
  name: string;
  /**
   * Value in file syntax, e.g. `"fronthaul"` for an SSID or `WPA-PSK` for key_mgmt. Text is stored
   * as UTF-8; bytes are stored as they are (for passphrases that are not UTF-8).
   */
  value: string | Uint8Array;
}

/**
 * The value a network line gets for a value set at run time, in the reference writer's encoding
 * (null: the value unsets the field); a value that would not stay on its own line is refused.
 */
function writableNetworkValue(file: string, line: number, name: string, raw: string): string | null {
  const written = networkValueForLine(name, raw);
  if ('unset' in written) return null;
  if ('invalid' in written) throw new ConfigErrorClass('config-invalid-value', file, line, printable(written.invalid));
  // The line is written as `<TAB>name=value`; the block reader refuses an opening quote without a closing one.
  const unclosed = written.value.startsWith('"') && written.value.indexOf('"', 1) < 0;
  if (unclosed || !lineKeepsValue(name, written.value, NETWORK_LINE_LIMIT - 1)) throw new ConfigErrorClass('config-invalid-value', file, line, unwritableProblem(name));
  return written.value;
}

function unwritableProblem(name: string): string {
  return `${printable(name)}: the value cannot be written as one configuration line (line break, control character, comment, trailing blank or too long)`;
}

/** File-syntax value → byte string (text as UTF-8, bytes as they are). */
function toRaw(value: string | Uint8Array): string {
  return typeof value === 'string' ? rawOf(value) : Buffer.from(value).toString('latin1');
}

export interface ReferenceFormatOptions {
  /**
   * The reference build has mesh support (Debian 2.10 does), so a network's `mesh_fwding` is
   * written when it is not the default 1.
   */
  meshBuild?: boolean;
}

export interface WpaParseOptions {
  /** Name used in diagnostics (default `wpa_supplicant.conf`). */
  file?: string;
}

export interface WpaParseResult {
  config: WpaSupplicantConf;
  errors: ConfigError[];
  warnings: ConfigWarning[];
}

/**
 * Parses wpa_supplicant.conf text. Never throws on bad input: every problem is in `errors` (the
 * reference would refuse the file) or `warnings`. A string is taken as Unicode text (stored as
 * UTF-8); pass the file's bytes to keep non-UTF-8 content byte-exact.
 */
export function parseWpaSupplicantConf(input: string | Uint8Array, options: WpaParseOptions = {}): WpaParseResult {
  const file = options.file ?? DEFAULT_WPA_SUPPLICANT_FILE;
  const diag = new Diagnostics(file);
  const raw = typeof input === 'string' ? rawOf(input) : Buffer.from(input).toString('latin1');
  const texts = raw.split('\n');
  const finalNewline = raw.endsWith('\n');
  if (finalNewline || raw === '') texts.pop();

  const items: WpaItem[] = [];
  let i = 0;
  const next = (): SourceLine | undefined => {
    const text = texts[i];
    if (text === undefined) return undefined;
    i++;
    return { line: i, text };
  };

  for (let src = next(); src !== undefined; src = next()) {
    const content = meaningfulPart(src.text);
    if (content === null) {
      items.push({ kind: 'trivia', line: src.line, text: src.text });
      continue;
    }
    if (src.text.length > TOP_LINE_LIMIT) {
      diag.warn('config-suspicious', src.line, `line is ${src.text.length} bytes long; the reference reads only the first ${TOP_LINE_LIMIT} and ignores the rest`);
    }
    if (content === 'network={') {
      items.push({ kind: 'network', block: readNetworkBlock(src, next, diag) });
      continue;
    }
    if (content === 'cred={' || content.startsWith('blob-base64-')) {
      items.push(readVerbatimBlock(src, content, next, diag));
      continue;
    }
    const eq = content.indexOf('=');
    if (eq < 0) {
      diag.error('config-syntax', src.line, `invalid line '${printable(content)}' (expected name=value)`);
      items.push({ kind: 'invalid', line: src.line, text: src.text });
      continue;
    }
    const name = content.slice(0, eq);
    const value = content.slice(eq + 1);
    const known = applyGlobal(name, value, defaultGlobals(), reporterAt(diag, src.line, name));
    if (!known) {
      diag.error('config-unknown-option', src.line, `unknown global option '${printable(name)}'${spacingHint(name)}`, name);
    }
    items.push({ kind: 'global', line: src.line, text: src.text, name, value });
  }

  const config = new WpaSupplicantConf(file, items, finalNewline);
  const configMethodsLine = [...items].reverse().find((it) => it.kind === 'global' && it.name === 'config_methods');
  for (const problem of globalConsistencyProblems(config.globals)) {
    diag.error('config-inconsistent', configMethodsLine ? lineOf(configMethodsLine) : 0, problem, 'config_methods');
  }
  return { config, errors: diag.sortedErrors(), warnings: diag.sortedWarnings() };
}

/** Like parseWpaSupplicantConf, but throws a ConfigFileError listing every error. */
export function parseWpaSupplicantConfOrThrow(input: string | Uint8Array, options: WpaParseOptions = {}): WpaParseResult {
  const result = parseWpaSupplicantConf(input, options);
  if (result.errors.length > 0) throw new ConfigFileError(result.config.file, result.errors);
  return result;
}

function readNetworkBlock(open: SourceLine, next: () => SourceLine | undefined, diag: Diagnostics): NetworkBlock {
  const lines: NetworkLine[] = [];
  let close: SourceLine | undefined;
  let lastLine = open.line;
  for (let src = next(); src !== undefined; src = next()) {
    lastLine = src.line;
    const content = meaningfulPart(src.text);
    if (content === null) {
      lines.push({ kind: 'trivia', line: src.line, text: src.text });
      continue;
    }
    if (content === '}') {
      close = src;
      break;
    }
    if (src.text.length > NETWORK_LINE_LIMIT) {
      diag.warn('config-suspicious', src.line, `line is ${src.text.length} bytes long; the reference reads only the first ${NETWORK_LINE_LIMIT} and ignores the rest`);
    }
    const eq = content.indexOf('=');
    if (eq < 0) {
      diag.error('config-syntax', src.line, `invalid line '${printable(content)}' in network block (expected name=value)`);
      lines.push({ kind: 'invalid', line: src.line, text: src.text });
      continue;
    }
    const name = content.slice(0, eq);
    const value = content.slice(eq + 1);
    if (value.startsWith('"') && value.indexOf('"', 1) < 0) {
      diag.error('config-syntax', src.line, `${printable(name)}: missing closing quote`, name);
      lines.push({ kind: 'invalid', line: src.line, text: src.text });
      continue;
    }
    lines.push({ kind: 'field', line: src.line, text: src.text, name, value });
  }
  const network = networkView(lines, (l) => reporterAt(diag, l.line ?? 0, l.name), (l) => diag.error('config-unknown-option', l.line ?? 0, unknownFieldProblem(l.name), l.name));
  if (!close) diag.error('config-syntax', lastLine, `network block opened on line ${open.line} is not terminated with '}'`);
  return { open, lines, ...(close ? { close } : {}), network };
}

function readVerbatimBlock(open: SourceLine, content: string, next: () => SourceLine | undefined, diag: Diagnostics): WpaItem {
  const what = content === 'cred={' ? 'cred' : 'blob-base64';
  const lines: SourceLine[] = [open];
  let closed = false;
  if (what === 'blob-base64' && !content.includes('=')) {
    diag.error('config-syntax', open.line, 'blob-base64-…: no blob name terminator (expected blob-base64-NAME={)');
  }
  for (let src = next(); src !== undefined; src = next()) {
    lines.push(src);
    if (meaningfulPart(src.text) === '}') {
      closed = true;
      break;
    }
  }
  if (!closed) diag.error('config-syntax', lines[lines.length - 1]?.line ?? open.line, `${what} block opened on line ${open.line} is not terminated with '}'`);
  diag.warn('config-not-implemented', open.line, `${what} blocks are accepted but not implemented by onboard; the block is kept as written`, what);
  return { kind: 'verbatim-block', what, lines };
}

/**
 * Typed view of a network block's lines. `reporterFor` gives the reporter for one field line;
 * unknown field names go to `unknown`.
 */
function networkView(lines: readonly NetworkLine[], reporterFor: (l: NetworkLine & { kind: 'field' }) => FieldReporter, unknown: (l: NetworkLine & { kind: 'field' }) => void): WpaNetwork {
  const n = defaultNetwork();
  for (const l of lines) {
    if (l.kind !== 'field') continue;
    if (!applyNetworkField(l.name, l.value, n, reporterFor(l))) unknown(l);
  }
  finishNetwork(n);
  return n;
}

function unknownFieldProblem(name: string): string {
  return `unknown network field '${printable(name)}'${spacingHint(name)}`;
}

/** Typed view of lines being edited: the first problem (unknown names included) throws. */
function checkedNetworkView(file: string, line: number, lines: readonly NetworkLine[]): WpaNetwork {
  return checkOrThrow(file, line, (r) => networkView(lines, () => r, (l) => r.error(unknownFieldProblem(l.name), 'config-unknown-option')));
}

function reporterAt(diag: Diagnostics, line: number, option: string): FieldReporter {
  return {
    error: (problem, code: ConfigErrorCode = 'config-invalid-value') => diag.error(code, line, printable(problem), option),
    warn: (problem, code: ConfigWarningCode = 'config-suspicious') => diag.warn(code, line, printable(problem), option),
  };
}

function silentReporter(): FieldReporter {
  return { error: () => undefined, warn: () => undefined };
}

/** Runs a check; throws the first error it reports as a ConfigError. */
function checkOrThrow<T>(file: string, line: number, run: (r: FieldReporter) => T): T {
  let first: ConfigError | undefined;
  const result = run({
    error: (problem, code: ConfigErrorCode = 'config-invalid-value') => {
      first ??= new ConfigErrorClass(code, file, line, printable(problem));
    },
    warn: () => undefined,
  });
  if (first) throw first;
  return result;
}

function lineOf(item: WpaItem | undefined): number {
  if (!item) return 0;
  if (item.kind === 'network') return item.block.open.line ?? 0;
  if (item.kind === 'verbatim-block') return item.lines[0]?.line ?? 0;
  return item.line ?? 0;
}

function spacingHint(name: string): string {
  return name !== name.trim() ? ' (no blanks are allowed around \'=\')' : '';
}

function insertPosition(lines: readonly NetworkLine[], name: string): number {
  const rank = (n: string): number => {
    const i = NETWORK_WRITE_ORDER.indexOf(n);
    return i < 0 ? NETWORK_WRITE_ORDER.length : i;
  };
  const own = rank(name);
  let after = -1;
  let firstField = -1;
  lines.forEach((l, i) => {
    if (l.kind !== 'field') return;
    if (firstField < 0) firstField = i;
    if (rank(l.name) <= own) after = i;
  });
  if (after >= 0) return after + 1;
  if (firstField >= 0) return firstField;
  return lines.length;
}

// ---------------------------------------------------------------------------------------------
// Reference writer

/** Global options whose value the reference writes back exactly as read. */
const VERBATIM_GLOBALS = ['ctrl_interface', 'ctrl_interface_group', 'device_name', 'manufacturer', 'model_name', 'model_number', 'serial_number', 'config_methods'];

function referenceGlobalLines(conf: WpaSupplicantConf): string[] {
  const g = conf.globals;
  const written = new Map<string, string>();
  // Strings as read (byte-exact, whatever their encoding), from the last valid occurrence.
  for (const item of conf.items) {
    if (item.kind !== 'global') continue;
    let valid = true;
    applyGlobal(item.name, item.value, defaultGlobals(), { error: () => (valid = false), warn: () => undefined });
    if (!valid) continue;
    if (VERBATIM_GLOBALS.includes(item.name)) written.set(item.name, item.value);
    if (item.name === 'no_ctrl_interface') written.delete('ctrl_interface');
  }
  const set = (name: string, value: string): void => {
    written.set(name, value);
  };
  if (g.eapolVersion !== 1) set('eapol_version', String(g.eapolVersion));
  if (g.apScan !== 1) set('ap_scan', String(g.apScan));
  if (g.updateConfig !== 0) set('update_config', String(g.updateConfig));
  if (g.uuid && !isNilUuid(g.uuid)) set('uuid', formatUuid(g.uuid));
  if (g.autoUuid) set('auto_uuid', '1');
  if (g.deviceType && formatDeviceType(g.deviceType) !== '0-00000000-0') set('device_type', formatDeviceType(g.deviceType));
  if (g.osVersion) set('os_version', formatOsVersion(g.osVersion));
  if (g.wpsCredProcessing !== 0) set('wps_cred_processing', String(g.wpsCredProcessing));
  if (g.wpsCredAddSae) set('wps_cred_add_sae', '1');
  if (g.wpsVendorExtM1 && g.wpsVendorExtM1.length > 0) set('wps_vendor_ext_m1', g.wpsVendorExtM1.toString('hex'));
  if (g.wpsPriority !== 0) set('wps_priority', String(g.wpsPriority));
  for (const [name, value] of g.unimplemented) written.set(name, value);
  const names = inOrder([...written.keys()], GLOBAL_WRITE_ORDER);
  return names.map((name) => `${name}=${written.get(name) ?? ''}`);
}

const PSK_KEY_MGMT = ['WPA-PSK', 'FT-PSK', 'WPA-PSK-SHA256'];
const SAE_KEY_MGMT = ['SAE', 'SAE-EXT-KEY', 'FT-SAE', 'FT-SAE-EXT-KEY'];

/** The reference does not save the WPS network itself, nor PSK/SAE networks without a key. */
export function referenceWouldSave(n: WpaNetwork): boolean {
  if (n.keyMgmt.length === 1 && n.keyMgmt[0] === 'WPS') return false;
  if (n.keyMgmt.some((k) => PSK_KEY_MGMT.includes(k)) && !n.psk) return false;
  if (n.keyMgmt.some((k) => SAE_KEY_MGMT.includes(k)) && n.psk?.kind !== 'passphrase' && !n.unimplemented.has('sae_password')) return false;
  return true;
}

/** Fields of a network in the reference's order and format, non-default values only. */
export function referenceNetworkFields(block: Pick<NetworkBlock, 'network'>, options: ReferenceFormatOptions = {}): [string, string][] {
  const n = block.network;
  const fields = new Map<string, string>();
  if (n.ssid) fields.set('ssid', formatConfigString(n.ssid));
  if (n.scanSsid) fields.set('scan_ssid', '1');
  if (n.bssid) fields.set('bssid', formatMac(n.bssid));
  if (n.psk) fields.set('psk', n.psk.kind === 'passphrase' ? `"${n.psk.bytes.toString('latin1')}"` : n.psk.psk.toString('hex'));
  if (!sameSet(n.proto, DEFAULT_PROTO) && n.proto.length > 0) fields.set('proto', n.proto.join(' '));
  if (!sameSet(n.keyMgmt, DEFAULT_KEY_MGMT) && n.keyMgmt.length > 0) fields.set('key_mgmt', n.keyMgmt.join(' '));
  const writableCiphers = (c: readonly string[]): string[] => inOrder(c.filter((x) => (CIPHER_ORDER as readonly string[]).includes(x)), CIPHER_ORDER);
  if (!sameSet(n.pairwise, DEFAULT_PAIRWISE) && writableCiphers(n.pairwise).length > 0) fields.set('pairwise', writableCiphers(n.pairwise).join(' '));
  if (!sameSet(n.group, DEFAULT_GROUP) && writableCiphers(n.group).length > 0) fields.set('group', writableCiphers(n.group).join(' '));
  if (n.groupMgmt.length > 0) fields.set('group_mgmt', writableCiphers(n.groupMgmt).join(' '));
  if (n.authAlg.length > 0) fields.set('auth_alg', n.authAlg.join(' '));
  if (n.priority !== 0) fields.set('priority', String(n.priority));
  // wpa_supplicant 2.10 writes mesh_fwding with INT(), against 0, although its default is 1, so every
  // network it saves says mesh_fwding=1; hostap fixed that in b375b7630 ("Do not write mesh_fwding
  // network parameter if it has default value": INT_DEF(mesh_fwding, DEFAULT_MESH_FWDING)). We
  // write what the fixed writer writes; 2.10 reads both files the same (the default is 1).
  if ((options.meshBuild ?? true) && n.meshFwding !== 1) fields.set('mesh_fwding', String(n.meshFwding));
  if (n.disabled !== 0) fields.set('disabled', String(n.disabled));
  if (n.pbss !== 0) fields.set('pbss', String(n.pbss));
  if (n.wpsDisabled) fields.set('wps_disabled', '1');
  if (n.ieee80211w !== undefined) fields.set('ieee80211w', String(n.ieee80211w));
  if (n.idStr !== undefined) fields.set('id_str', formatConfigString(n.idStr));
  if (n.multiApBackhaulSta) fields.set('multi_ap_backhaul_sta', '1');
  if (n.multiApProfile !== undefined) fields.set('multi_ap_profile', String(n.multiApProfile));
  for (const [name, value] of n.unimplemented) fields.set(name, value);
  return inOrder([...fields.keys()], NETWORK_WRITE_ORDER).map((name) => [name, fields.get(name) ?? '']);
}
