import { describe, expect, it } from 'vitest';
import { serveNodeFlags, serveRelaunchArgs } from '../../src/cli/node-flags.ts';

const node = '/usr/bin/node';
const bin = '/project/node_modules/fakepsp/bin/fakepsp.js';

describe('serveRelaunchArgs', () => {
  it('relaunches `serve` with its V8 flags ahead of the node flags it was given', () => {
    const args = serveRelaunchArgs({
      argv: [node, bin, 'serve', '--stripe-port', '0'],
      execArgv: ['--enable-source-maps'],
      nodeOptions: undefined,
    });
    expect(args).toEqual([...serveNodeFlags, '--enable-source-maps', bin, 'serve', '--stripe-port', '0']);
  });

  it('finds the command after fakepsp’s own options', () => {
    const args = serveRelaunchArgs({ argv: [node, bin, '--debug', 'serve'], execArgv: [], nodeOptions: '' });
    expect(args).toEqual([...serveNodeFlags, bin, '--debug', 'serve']);
  });

  it('leaves every other command as it is, even one that mentions serve later', () => {
    for (const argv of [
      [node, bin, 'run', 'serve'],
      [node, bin, 'list'],
      [node, bin, '--version'],
      [node, bin],
    ]) {
      expect(serveRelaunchArgs({ argv, execArgv: [], nodeOptions: undefined })).toBeUndefined();
    }
  });

  it('does not relaunch once the flags are set, so the relaunched process serves', () => {
    const relaunched = serveRelaunchArgs({
      argv: [node, bin, 'serve'],
      execArgv: [],
      nodeOptions: undefined,
    })!;
    const execArgv = relaunched.slice(0, relaunched.indexOf(bin));
    expect(
      serveRelaunchArgs({ argv: [node, bin, 'serve'], execArgv, nodeOptions: undefined }),
    ).toBeUndefined();
  });

  it('does not relaunch a serve being debugged', () => {
    const argv = [node, bin, 'serve'];
    expect(serveRelaunchArgs({ argv, execArgv: ['--inspect-brk'], nodeOptions: undefined })).toBeUndefined();
    expect(serveRelaunchArgs({ argv, execArgv: [], nodeOptions: '--inspect=9230' })).toBeUndefined();
  });

  it('keeps a value the user chose, on the command line or in NODE_OPTIONS, and adds the rest', () => {
    const argv = [node, bin, 'serve'];
    const others = serveNodeFlags.filter((flag) => !flag.startsWith('--max-semi-space-size'));
    expect(others).toHaveLength(serveNodeFlags.length - 1);
    expect(serveRelaunchArgs({ argv, execArgv: ['--max-semi-space-size=64'], nodeOptions: '' })).toEqual([
      ...others,
      '--max-semi-space-size=64',
      bin,
      'serve',
    ]);
    const nodeOptions = '--enable-source-maps  --max-semi-space-size=32';
    expect(serveRelaunchArgs({ argv, execArgv: [], nodeOptions })).toEqual([...others, bin, 'serve']);
    // V8's own spelling of the same flags, and a flag turned on that serve would turn off.
    expect(
      serveRelaunchArgs({
        argv,
        execArgv: ['--max_semi_space_size=4', '--allocation_site_pretenuring', '--heap_growing_percent=100'],
        nodeOptions: '',
      }),
    ).toBeUndefined();
  });
});
