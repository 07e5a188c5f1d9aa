import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { wallClockDeadline, wallClockMs, wallClockSleep } from '../sim/wall-clock.ts';

/** Lines of a service's output kept per process: enough to see why it failed, never unbounded. */
export const outputLinesMax = 400;
/** Characters kept of one output line. */
export const outputLineCharsMax = 400;
/** How long a service gets to stop after SIGTERM before its process group is killed. */
export const stopGraceMs = 3_000;
const readyPollMs = 50;

/** A service command that never became ready: exit 2 material, with its last output. */
export class SutStartError extends Error {
  override readonly name = 'SutStartError';
}

/** The service went away mid-run: the reason in-flight binding calls are aborted with. */
export class SutGoneError extends Error {
  override readonly name = 'SutGoneError';
}

// Every process group started and not yet reaped, so an exiting harness leaves nothing behind.
const live = new Set<ServiceProcess>();
process.once('exit', () => {
  for (const service of live) service.killNow();
});

// Ports handed to services lie below the kernel's ephemeral range, where servers that listen on
// port 0 (every run's fakes) are given theirs: a port picked for a service that is still starting
// can then never be taken by a fake, nor a stopped service's port by the next run's fakes.
const ephemeralLow = (() => {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : undefined;
  } catch {
    return undefined;
  }
})();
let nextCandidate = ephemeralLow === undefined ? 0 : 10_000 + ((process.pid * 97) % (ephemeralLow - 10_000));

async function bindable(port: number): Promise<number | undefined> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (!bound) return undefined;
  const { port: given } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return given;
}

/** A free loopback port for a service that takes its port from `PORT` or `{port}`. */
export async function freeLoopbackPort(): Promise<number> {
  if (ephemeralLow === undefined) return (await bindable(0))!;
  for (let tries = 0; tries < 1_000; tries++) {
    const candidate = nextCandidate;
    nextCandidate = candidate + 1 >= ephemeralLow ? 10_000 : candidate + 1;
    const port = await bindable(candidate);
    if (port !== undefined) return port;
  }
  return (await bindable(0))!;
}

/**
 * One billing service process started from a user's command (`node server.js`, `python app.py
 * --port {port}`, `docker run -p {port}:8080 image`), in its own process group so stopping it
 * stops everything it started. Its output is kept (bounded) for the run reports.
 */
export class ServiceProcess {
  readonly command: string;
  readonly port: number;
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  #linesSeen = 0;
  #exit: string | undefined;
  readonly #closed: Promise<void>;
  readonly #gone = new AbortController();

  private constructor(command: string, port: number, options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.command = command;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.#child = spawn(command.replaceAll('{port}', String(port)), {
      cwd: options.cwd,
      env: { ...options.env, PORT: String(port) },
      shell: true,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    for (const stream of [this.#child.stdout!, this.#child.stderr!]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.#keep(line));
    }
    this.#closed = new Promise<void>((resolve) => {
      this.#child.once('error', (error) => {
        this.#exit ??= `could not start: ${error.message}`;
        resolve();
      });
      this.#child.once('close', (code, signal) => {
        this.#exit ??= signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
        resolve();
      });
    }).then(() => {
      live.delete(this);
      this.#gone.abort(new SutGoneError(`the billing service ${this.#exit}`));
    });
  }

  /** Starts the command on a free port and waits until its binding answers (`GET /fakepsp/ledger`). */
  static async start(options: {
    readonly command: string;
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    readonly readyTimeoutMs: number;
  }): Promise<ServiceProcess> {
    const service = new ServiceProcess(options.command, await freeLoopbackPort(), options);
    await service.#waitReady(options.readyTimeoutMs);
    return service;
  }

  /** Aborted (with a {@link SutGoneError}) once the process has exited. */
  get signal(): AbortSignal {
    return this.#gone.signal;
  }

  /** How the process ended (`exited with code 1`), or undefined while it runs. */
  get exit(): string | undefined {
    return this.#exit;
  }

  /** How the process ended, waiting up to `ms` for it: a refused call is often a dying service. */
  async exitWithin(ms: number): Promise<string | undefined> {
    await Promise.race([this.#closed, wallClockSleep(ms)]);
    return this.#exit;
  }

  /** A position in the output, for {@link linesSince}. */
  outputMark(): number {
    return this.#linesSeen;
  }

  /** The output lines since a mark (those still kept), oldest first. */
  linesSince(mark: number): string[] {
    const dropped = this.#linesSeen - this.#lines.length;
    return this.#lines.slice(Math.max(0, mark - dropped));
  }

  /** Stops the whole process group: SIGTERM, then SIGKILL after {@link stopGraceMs}. */
  async stop(): Promise<void> {
    if (this.#exit === undefined) {
      this.#signalGroup('SIGTERM');
      const stopped = await Promise.race([
        this.#closed.then(() => true),
        wallClockSleep(stopGraceMs).then(() => false),
      ]);
      if (!stopped) this.#signalGroup('SIGKILL');
    }
    // What the service left running in its group (a child it spawned) goes too.
    this.#signalGroup('SIGKILL');
    await this.#closed;
  }

  /** Synchronous last resort when the harness itself exits. */
  killNow(): void {
    this.#signalGroup('SIGKILL');
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.#child.pid === undefined) return;
    try {
      process.kill(-this.#child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  #keep(line: string): void {
    this.#linesSeen++;
    this.#lines.push(line.length > outputLineCharsMax ? `${line.slice(0, outputLineCharsMax)}…` : line);
    if (this.#lines.length > outputLinesMax) this.#lines.shift();
  }

  async #waitReady(timeoutMs: number): Promise<void> {
    const deadline = wallClockMs() + timeoutMs;
    const probe = `${this.url}/fakepsp/ledger`;
    for (;;) {
      if (this.#exit !== undefined) throw this.#startError(`${this.#exit} before it answered ${probe}`);
      // Any HTTP answer means the service is up; a refused connection means not yet.
      const answered = await fetch(probe, { signal: wallClockDeadline(1_000) }).then(
        async (response) => (await response.arrayBuffer(), true),
        () => false,
      );
      if (answered) return;
      if (wallClockMs() >= deadline) {
        await this.stop();
        throw this.#startError(
          `did not answer GET ${probe} within ${timeoutMs / 1000} s (--sut-ready-timeout)`,
        );
      }
      await wallClockSleep(readyPollMs);
    }
  }

  #startError(what: string): SutStartError {
    const tail = this.#lines.slice(-10);
    const output = tail.length === 0 ? ' It printed nothing.' : ` Its last output:\n  ${tail.join('\n  ')}`;
    return new SutStartError(`the billing service command ${JSON.stringify(this.command)} ${what}.${output}`);
  }
}
