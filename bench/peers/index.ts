// The peers of `--peers`: other libraries that compute the same activations, installed into
// bench/peers/node_modules from this folder's own package.json and lock on first use, never
// dependencies of wasm-activations itself. They are loaded at run time from that folder by
// absolute path, so the package builds, tests and publishes without them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Implementation } from '../cases.js';
import { loadOrtNode, loadOrtWeb } from './onnx.js';
import { loadTfjs } from './tfjs.js';

/** Access to the packages installed in the peers folder. */
export interface PeerContext {
  /** require() from the peers folder. */
  require(name: string): unknown;
  /** The folder of an installed package. */
  packageDir(name: string): string;
  /** The version of an installed package (from its package.json). */
  version(name: string): string;
}

/** A peer ready to time, with what the JSON records about it. */
export interface LoadedPeer {
  readonly implementation: Implementation;
  /** Package versions, by package name. */
  readonly versions: Record<string, string>;
  /** Its threading / SIMD settings as the benchmark set them. */
  readonly settings: Record<string, unknown>;
}

/** The peers, in report order (wasm first, native last): id, loader. */
export const PEERS: readonly { readonly id: string; readonly load: (peers: PeerContext) => Promise<LoadedPeer> }[] = [
  { id: 'tfjs-wasm', load: loadTfjs },
  { id: 'ort-web', load: loadOrtWeb },
  { id: 'ort-node', load: loadOrtNode },
];

/**
 * The order they are loaded in: onnxruntime-node before onnxruntime-web, since the first of the
 * two to register the shared 'cpu' backend keeps it (see bench/peers/onnx.ts).
 */
const LOAD_ORDER = ['ort-node', 'ort-web', 'tfjs-wasm'];

/** The name in the peers' package.json. */
const PEERS_PACKAGE = 'wasm-activations-bench-peers';

/**
 * The folder holding the peers' package.json and package-lock.json: bench/peers of a checkout
 * (this file compiles to dist/bench/peers/index.js), else the copy beside the compiled file
 * (`npm run build` copies both files there, for an installed package).
 */
export function peersDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../bench/peers'), here];
  const isPeers = (dir: string) => existsSync(join(dir, 'package-lock.json')) && existsSync(join(dir, 'package.json')) &&
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PEERS_PACKAGE;
  const found = candidates.find(isPeers);
  if (!found) throw new Error(`no peers package.json / package-lock.json in ${candidates.join(' or ')}`);
  return found;
}

/** The packages the peers' package.json pins, by name → version. */
function pinned(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
}

/** Which pinned packages are missing or at another version in dir/node_modules. */
export function missingPeers(dir: string): string[] {
  return Object.entries(pinned(dir)).filter(([name, version]) => {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    return !existsSync(manifest) || (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version !== version;
  }).map(([name, version]) => `${name}@${version}`);
}

/**
 * Installs the peers from the lock when any is missing: `npm ci --ignore-scripts` (onnxruntime-
 * node's install script would download CUDA binaries; its CPU binary is in the tarball).
 */
export function ensurePeersInstalled(dir: string, log: (line: string) => void): void {
  const missing = missingPeers(dir);
  if (!missing.length) return;
  log(`installing the peers into ${dir} (first --peers run): npm ci --ignore-scripts (${missing.join(', ')})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: ['ignore', process.stderr, process.stderr],
    shell: process.platform === 'win32',
  });
  if (result.error) throw new Error(`npm ci in ${dir} failed to start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm ci --ignore-scripts in ${dir} exited with ${result.status}`);
  const still = missingPeers(dir);
  if (still.length) throw new Error(`after npm ci, still missing in ${dir}: ${still.join(', ')}`);
}

/** A PeerContext over dir/node_modules. */
export function peerContext(dir: string): PeerContext {
  const require = createRequire(join(dir, 'package.json'));
  const packageDir = (name: string) => join(dir, 'node_modules', name);
  return {
    require,
    packageDir,
    version: (name) => (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version,
  };
}

/** Installs (if needed) and loads the chosen peers, in PEERS order. */
export async function loadPeers(ids: readonly string[], log: (line: string) => void): Promise<LoadedPeer[]> {
  const dir = peersDir();
  ensurePeersInstalled(dir, log);
  const context = peerContext(dir);
  const loaded = new Map<string, LoadedPeer>();
  for (const id of LOAD_ORDER) {
    const peer = PEERS.find((p) => p.id === id)!;
    if (ids.includes(id)) loaded.set(id, await peer.load(context));
  }
  return PEERS.filter((p) => loaded.has(p.id)).map((p) => loaded.get(p.id)!);
}
