import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { defineScenario } from '../../src/scenarios/define.ts';
import { htmlReport } from '../../src/scenarios/reporters/html.ts';
import { runScenario } from '../../src/scenarios/runner.ts';
import { commandSutPool } from '../../src/sut/command-sut.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';
import { stubSut } from './stub-sut.ts';

// Debian's chromium, which .ci/run installs when it is missing (and then sets
// FAKEPSP_REQUIRE_BROWSER=1, so a missing browser fails CI instead of skipping).
const chromiumPath = process.env.FAKEPSP_CHROMIUM ?? '/usr/bin/chromium';
const browserMissing = !existsSync(chromiumPath) && process.env.FAKEPSP_REQUIRE_BROWSER !== '1';
if (browserMissing) {
  console.warn(
    `skipping the HTML report's browser test: no Chromium at ${chromiumPath} ` +
      "(install Debian's chromium or set FAKEPSP_CHROMIUM; FAKEPSP_REQUIRE_BROWSER=1 makes this a failure)",
  );
}

const scenario = defineScenario({
  name: 'usage billed once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  faults: { webhooks: [{ match: { nth: 1 }, effect: { kind: 'duplicate' } }] },
  async run(ctx) {
    const customer = await ctx.customer();
    await ctx.usage(customer.customerId, 100);
    await ctx.advance('31d');
  },
});

describe('the HTML report', () => {
  it.skipIf(browserMissing)(
    'renders in headless Chromium: summary, failing run with its break, and a sequence diagram',
    async () => {
      const options = { environment: loopbackEnvironment, check: reconcileRun, psp: 'stripe' as const };
      // A service in its own process that dies recording usage: its last words belong in the report.
      const crashing = commandSutPool({
        command: `${JSON.stringify(process.execPath)} tests/fixtures/tiny-service.ts`,
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, CRASH_ON_USAGE: '1' },
      });
      const results = [
        await runScenario(scenario, { ...options, sut: () => stubSut() }),
        await runScenario(
          { ...scenario, name: 'double charge' },
          { ...options, sut: () => stubSut({ doubleCharge: true }) },
        ),
        await runScenario(
          {
            ...scenario,
            name: 'service crash',
            run: async (ctx) => {
              const customer = await ctx.step('sign up', () => ctx.customer());
              await ctx.step('record usage', () => ctx.usage(customer.customerId, 100));
            },
          },
          { ...options, sut: () => crashing.acquire(0) },
        ),
      ];
      await crashing.close();
      const folder = await mkdtemp(join(tmpdir(), 'fakepsp-html-'));
      const file = join(folder, 'report.html');
      await writeFile(file, htmlReport(results));
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(pathToFileURL(file).href);
        expect(await page.textContent('#summary')).toBe('1 passed, 1 failed, 1 errored, 0 skipped (3 runs)');
        // An index of the failing runs, each entry jumping to its section.
        expect(await page.locator('#failing-index li').count()).toBe(2);
        await page.locator('#failing-index a').nth(1).click();
        expect(new URL(page.url()).hash).toBe('#run-2');
        const failing = page.locator('section.run[data-status="failed"]');
        expect(await failing.count()).toBe(1);
        expect(await failing.locator('h3').textContent()).toContain('double charge');
        expect(await failing.locator('.break').first().textContent()).toContain('missing_in_ledger');
        const arrows = await failing.locator('svg.sequence line[marker-end]').count();
        expect(arrows).toBeGreaterThan(5);
        // Arrows carry the journal line numbers the breaks cite.
        expect(await failing.locator('svg.sequence').textContent()).toMatch(
          /#\d+ POST \/v1\/payment_intents/,
        );
        const box = await failing.locator('svg.sequence').boundingBox();
        expect(box?.height ?? 0).toBeGreaterThan(100);
        const crashed = page.locator('section.run[data-status="errored"]');
        expect(await crashed.locator('.step').textContent()).toBe('In step record usage');
        expect(await crashed.locator('.sut-output pre').textContent()).toContain(
          'tiny service: about to crash while recording usage',
        );
        expect(await crashed.locator('.sut-output pre').isVisible()).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
