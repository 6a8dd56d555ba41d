// A real Docker engine for the tests: the one scripts/test.sh started (ALEMBIC_SQUASH_TEST_DOCKER_HOST)
// or the one the environment names, and a second dockerd a test starts and stops itself (to see a
// daemon go away mid-run without touching anyone else's). Nothing here fakes an engine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The images the compose fixtures name (scripts/docker/image.sh builds them when no registry answers). */
export const FIXTURE_IMAGES = ['postgres:15-bookworm', 'postgres:15.6'];
export const LABEL = 'alembic-squash=1';

/** The engine the Docker tests run on (`undefined` = the client's default). */
export function engineHost(): string | undefined {
  return process.env.ALEMBIC_SQUASH_TEST_DOCKER_HOST || process.env.DOCKER_HOST || undefined;
}

export function docker(args: string[], host = engineHost()): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env };
  if (host) env.DOCKER_HOST = host;
  else delete env.DOCKER_HOST;
  const r = spawnSync('docker', args, { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** Why the Docker tests cannot run here, or undefined when an engine answers and has the images. */
export function engineUnavailableReason(images = FIXTURE_IMAGES): string | undefined {
  if (process.env.ALEMBIC_SQUASH_TEST_DOCKER_SKIP) return process.env.ALEMBIC_SQUASH_TEST_DOCKER_SKIP;
  const version = docker(['version', '--format', '{{.Server.Version}}']);
  if (version.status !== 0) return `no Docker engine answers at ${engineHost() ?? 'the default socket'} (${version.stderr.trim().split('\n').pop()}); scripts/docker/engine.sh starts one`;
  const missing = images.filter((i) => docker(['image', 'inspect', i]).status !== 0);
  if (missing.length) return `the engine lacks ${missing.join(', ')}; scripts/docker/image.sh builds them`;
  return undefined;
}

/** Containers and volumes carrying the tool's label on an engine. */
export function ourLeftovers(host = engineHost()): { containers: string[]; volumes: string[] } {
  const lines = (r: { stdout: string }) => r.stdout.split('\n').filter(Boolean);
  return {
    containers: lines(docker(['ps', '--all', '--quiet', '--filter', `label=${LABEL}`], host)),
    volumes: lines(docker(['volume', 'ls', '--quiet', '--filter', `label=${LABEL}`], host)),
  };
}

/** Every volume on an engine (an anonymous one left by a run carries no label). */
export function allVolumes(host = engineHost()): string[] {
  return docker(['volume', 'ls', '--quiet'], host).stdout.split('\n').filter(Boolean).sort();
}

export interface SecondDaemon {
  host: string;
  /** SIGTERM, as a user stopping Docker does; resolves when it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same store (what is left of a run shows up there). */
  start(): Promise<void>;
  /** Stops it and removes its network bridge and run folder; its image store stays cached. */
  dispose(): Promise<void>;
}

/**
 * A dockerd of the test's own: own socket, exec root, bridge, and an image store cached between runs
 * (`~/.cache/alembic-squash/docker-second`) into which `images` are copied from the main engine once.
 * Undefined, with the reason, when this machine cannot run one (not root, no dockerd, no bridge).
 */
export async function startSecondDaemon(images: string[]): Promise<SecondDaemon | string> {
  if (process.getuid?.() !== 0) return 'a second Docker daemon needs root';
  if (spawnSync('sh', ['-c', 'command -v dockerd && command -v ip'], { encoding: 'utf8' }).status !== 0) return 'dockerd or ip is not installed';
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'alembic-squash', 'docker-second');
  const run = `/run/alembic-squash-docker-t${process.pid}`;
  const bridge = `astest${process.pid % 1_000_000}`;
  const subnet = `172.31.${process.pid % 250}.1/24`;
  const host = `unix://${run}/docker.sock`;
  mkdirSync(cache, { recursive: true });
  mkdirSync(run, { recursive: true });
  const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });
  const added = ip('link', 'add', bridge, 'type', 'bridge');
  if (added.status !== 0) return `cannot create a network bridge (${added.stderr.trim()})`;
  ip('addr', 'add', subnet, 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  let child: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const start = async () => {
    await stopping; // a daemon still shutting down holds its pid file
    child = spawn(
      'dockerd',
      ['--host', host, '--data-root', cache, '--exec-root', `${run}/exec`, '--pidfile', `${run}/dockerd.pid`, '--storage-driver', 'overlay2',
        '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--bridge', bridge],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 150; i++) {
      if (docker(['version', '--format', '{{.Server.Version}}'], host).status === 0) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the second dockerd did not start');
  };
  const stop = () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return stopping ?? Promise.resolve();
    stopping = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    return stopping;
  };
  const dispose = async () => {
    await stop();
    ip('link', 'del', bridge);
    rmSync(run, { recursive: true, force: true });
  };
  try {
    await start();
    for (const image of images) {
      if (docker(['image', 'inspect', image], host).status === 0) continue;
      const from = engineHost() ? `DOCKER_HOST='${engineHost()}' ` : '';
      const copy = spawnSync('sh', ['-c', `${from}docker save '${image}' | DOCKER_HOST='${host}' docker load`], { encoding: 'utf8', timeout: 300_000 });
      if (copy.status !== 0) throw new Error(`copying ${image} to the second daemon failed: ${copy.stderr}`);
    }
  } catch (error) {
    await dispose();
    return (error as Error).message;
  }
  return { host, stop, start, dispose };
}
