import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveNodeFlags } from '../../src/cli/node-flags.ts';

// The newcomer's path: the packed tarball installed into an empty `npm init -y` project, used as
// the README says. Nothing here may reach into the repository but the tarball (and, for tsc and
// Node 24, the repository's own toolchain).
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const toolchain = join(root, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${toolchain}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' };
let project = '';

const sh = (command: string, args: readonly string[], cwd = project) =>
  run(command, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });

beforeAll(async () => {
  const packed = await mkdtemp(join(tmpdir(), 'fakepsp-pack-'));
  await sh('npm', ['run', '-s', 'build'], root);
  const { stdout } = await sh(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', packed],
    root,
  );
  const tarball = join(packed, stdout.trim().split('\n').pop()!);
  project = join(packed, 'my-billing-tests');
  await mkdir(project);
  await sh('npm', ['init', '-y']);
  // What the README says a scenario project needs.
  await sh('npm', ['pkg', 'set', 'type=module']);
  const { devDependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  await sh('npm', [
    'install',
    tarball,
    `vitest@${devDependencies.vitest}`,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
  ]);
}, 240_000);
afterAll(async () => {
  if (project !== '') await rm(join(project, '..'), { recursive: true, force: true });
});

describe('fakepsp installed from its tarball into an empty project', () => {
  it("runs the README's custom scenario with the README's command", async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('// my-scenarios/duplicate-usage.scenario.ts');
    expect(start).toBeGreaterThan(0);
    await mkdir(join(project, 'my-scenarios'));
    await writeFile(
      join(project, 'my-scenarios', 'duplicate-usage.scenario.ts'),
      readme.slice(start, readme.indexOf('```', start)),
    );
    const command = 'npx fakepsp run my-scenarios/duplicate-usage.scenario.ts';
    expect(readme).toContain(command);
    const [program, ...args] = command.split(' ');
    const { stdout } = await sh(program!, args);
    expect(stdout).toContain('1 passed, 0 failed, 0 errored, 0 skipped (1 runs)');
  }, 60_000);

  it('runs the shipped library from node_modules', async () => {
    const { stdout } = await sh('npx', ['fakepsp', 'run', 'node_modules/fakepsp/scenarios', '--quiet']);
    expect(stdout).toMatch(/(\d+) passed, 0 failed, 0 errored, 0 skipped \(\1 runs\)/);
    expect(Number(/(\d+) passed/.exec(stdout)?.[1])).toBeGreaterThan(100);
  }, 120_000);

  it('runs scenarios through fakepsp/vitest', async () => {
    await writeFile(
      join(project, 'billing.test.ts'),
      [
        "import { createReferenceBillingSystem } from 'fakepsp/reference';",
        "import { scenarioTests } from 'fakepsp/vitest';",
        '',
        "await scenarioTests('my-scenarios/*.scenario.ts', { sut: () => createReferenceBillingSystem() });",
        '',
      ].join('\n'),
    );
    const { stdout } = await sh('npx', ['vitest', 'run']);
    expect(stdout).toMatch(/Tests\s+1 passed \(1\)/);
  }, 60_000);

  it('type-checks against the published .d.ts files without @types/express or skipLibCheck', async () => {
    // Every entry a user reaches for, used the way the README shows.
    await writeFile(
      join(project, 'entries.ts'),
      [
        "import { createSimulation, createStripeFake, httpWebhookSender, recordsOfFake, reconcile } from 'fakepsp';",
        "import { billingSystemRouter, httpBillingSystem } from 'fakepsp/sut';",
        "import { createReferenceBillingSystem } from 'fakepsp/reference';",
        "import { adyenHttpClient } from 'fakepsp/adyen';",
        "import { formatMoney, money } from 'fakepsp/sim';",
        'const sim = createSimulation({ seed: 1 });',
        'const fake = createStripeFake(sim, { send: httpWebhookSender });',
        'fake.faults.load({ webhooks: [] });',
        'export const handler = billingSystemRouter(createReferenceBillingSystem());',
        'export const result = reconcile({ ledger: { transactions: [] }, psps: [recordsOfFake(fake)] });',
        "export const client = [httpBillingSystem('http://127.0.0.1:4000'), adyenHttpClient('https://127.0.0.1:12112')];",
        "export const text: string = formatMoney(money(626, 'jpy'));",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          module: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          allowImportingTsExtensions: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        include: ['*.ts', 'my-scenarios'],
      }),
    );
    await expect(sh(join(toolchain, 'tsc'), ['-p', '.'])).resolves.toBeDefined();
  }, 60_000);

  it('serves from node_modules/.bin, relaunched in place with its V8 flags', async () => {
    // As a user types it, on free ports.
    const args = 'serve --stripe-port 0 --adyen-port 0 --razorpay-port 0 --tls-dir tls'.split(' ');
    const child = spawn(join(project, 'node_modules', '.bin', 'fakepsp'), args, { cwd: project, env });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await expect.poll(() => output, { timeout: 20_000 }).toContain('export NODE_EXTRA_CA_CERTS=');
    const stripe = /^export STRIPE_API_BASE=(\S+)$/m.exec(output)![1]!;
    expect(await (await fetch(`${stripe}/_fakepsp/health`)).json()).toMatchObject({ ok: true, seed: 42 });
    if (process.platform === 'linux' && typeof process.execve === 'function') {
      const commandLine = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0');
      expect(commandLine).toEqual(expect.arrayContaining([...serveNodeFlags, 'serve']));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('ships what the README links to', async () => {
    const installed = join(project, 'node_modules', 'fakepsp');
    const readme = await readFile(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?:docs|examples)\/[^)#]*)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) expect((await stat(join(installed, link))).size).toBeGreaterThan(0);
  });

  it('asks the installer to approve no scripts', async () => {
    // npm 11 lists a tarball's install-time scripts (`prepare` among them) for the user to approve.
    const installed = join(project, 'node_modules', 'fakepsp', 'package.json');
    const { scripts = {} } = JSON.parse(await readFile(installed, 'utf8')) as { scripts?: object };
    expect(Object.keys(scripts)).toContain('build');
    for (const lifecycle of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(Object.keys(scripts)).not.toContain(lifecycle);
  });
});
