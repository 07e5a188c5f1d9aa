// Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums its samples' time by
// function, by file and by package: self time (the function itself) and inclusive time (the
// function and everything it called, each function counted once per sample).

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  /** Microseconds since the previous sample (the first: since `startTime`). */
  readonly timeDeltas: readonly number[];
}

export interface Entry {
  readonly name: string;
  readonly ms: number;
  /** Share of the busy time (idle samples excluded). */
  readonly share: number;
}

/** A named group of frames whose inclusive time is summed (each sample counted once). */
export interface Suspect {
  readonly label: string;
  /** Matches a frame as `name file:line` (native frames: the name alone). */
  readonly frame: RegExp;
  /** `self`: only samples whose own (leaf) frame matches; default `inclusive`: any frame. */
  readonly mode?: 'self' | 'inclusive';
}

export interface Aggregate {
  readonly busyMs: number;
  readonly suspects: readonly Entry[];
  readonly idleMs: number;
  readonly selfByFunction: readonly Entry[];
  readonly inclusiveByFunction: readonly Entry[];
  readonly selfByFile: readonly Entry[];
  readonly selfByPackage: readonly Entry[];
}

/** A file as a reader knows it: `src/fakes/stripe/core.ts`, `qs/lib/parse.js`, `node:internal/…`. */
export function fileOf(url: string, root: string): string {
  if (url === '') return '(native or V8)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  if (path.startsWith(`${root}/`)) return path.slice(root.length + 1);
  return path;
}

/** The package a file belongs to: a dependency's name, a `src/` folder, or Node itself. */
export function packageOf(file: string): string {
  if (file.startsWith('node:')) return 'node (internals)';
  if (file.startsWith('src/') || file.startsWith('bench/')) return file.split('/').slice(0, -1).join('/');
  if (file.startsWith('(')) return file;
  const parts = file.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function functionOf(frame: CallFrame, root: string): string {
  const file = fileOf(frame.url, root);
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (file.startsWith('(')) return name;
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, busyMs: number, top: number): Entry[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: ms / busyMs }));
}

const idleNames = new Set(['(idle)', '(program)']);

/**
 * Sums a profile's samples, skipping those taken in its first `skipMs` (start-up, warm-up).
 * `(idle)` and `(program)` count as idle; `(garbage collector)` is busy time.
 */
export function aggregate(
  profile: CpuProfile,
  options: { root: string; skipMs?: number; top?: number; suspects?: readonly Suspect[] },
): Aggregate {
  const top = options.top ?? 15;
  const suspects = options.suspects ?? [];
  const suspectMs = new Map<string, number>(suspects.map((suspect) => [suspect.label, 0]));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const selfPackage = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let elapsedMs = 0;
  let busyMs = 0;
  let idleMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsedMs += ms;
    if (elapsedMs < (options.skipMs ?? 0)) return;
    const node = byId.get(nodeId)!;
    if (idleNames.has(node.callFrame.functionName)) {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const file = fileOf(node.callFrame.url, options.root);
    add(selfFunction, functionOf(node.callFrame, options.root), ms);
    add(selfFile, file, ms);
    add(selfPackage, packageOf(file), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = nodeId; at !== undefined; at = parent.get(at)) {
      const name = functionOf(byId.get(at)!.callFrame, options.root);
      if (name === '(root)' || seen.has(name)) continue;
      seen.add(name);
      add(inclusive, name, ms);
    }
    const leaf = functionOf(node.callFrame, options.root);
    for (const suspect of suspects) {
      const hit =
        suspect.mode === 'self'
          ? suspect.frame.test(leaf)
          : [...seen].some((name) => suspect.frame.test(name));
      if (hit) add(suspectMs, suspect.label, ms);
    }
  });
  return {
    busyMs,
    idleMs,
    suspects: suspects.map(({ label }) => ({
      name: label,
      ms: suspectMs.get(label)!,
      share: suspectMs.get(label)! / busyMs,
    })),
    selfByFunction: ranked(selfFunction, busyMs, top),
    inclusiveByFunction: ranked(inclusive, busyMs, top),
    selfByFile: ranked(selfFile, busyMs, top),
    selfByPackage: ranked(selfPackage, busyMs, top),
  };
}
