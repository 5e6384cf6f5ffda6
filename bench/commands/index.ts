// The subcommands of the `wasm-activations` CLI. A command is a name, a one-line summary and a
// function of its arguments, loaded only when it runs; add one here (e.g. `accuracy`, `plot`).
import { UsageError } from './bench.js';

/** A subcommand of the CLI. */
export interface Command {
  readonly summary: string;
  /** Runs the command; resolves to its exit code when that is not 0 (accuracy: 1 for a broken bound). */
  run(argv: readonly string[]): Promise<number | void>;
}

/** Every subcommand, by name; the first is the default when none is given. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  bench: {
    summary: 'time every activation against a naive JS loop, the memory limits and (--peers) tfjs and onnxruntime',
    run: async (argv) => (await import('./bench.js')).benchCommand(argv),
  },
  accuracy: {
    summary: 'every float32 input (or a stratified sample) through each activation on each backend, against float64: max ULP, histogram, mismatches',
    run: async (argv) => (await import('./accuracy.js')).accuracyCommand(argv),
  },
  plot: {
    summary: 'one SVG per activation: the function and its derivative, computed by the kernels (the README\'s pictures)',
    run: async (argv) => (await import('./plot.js')).plotCommand(argv),
  },
  threads: {
    summary: 'the threaded instance (createActivations({ threads })) on 1, 2 and N threads against one thread',
    run: async (argv) => (await import('./threads.js')).threadsCommand(argv),
  },
};

/** The default command: `wasm-activations --quick` is `wasm-activations bench --quick`. */
export const DEFAULT_COMMAND = 'bench';

/** The CLI's top-level help: its commands, then the default command's options. */
export async function usage(): Promise<string> {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const { HELP } = await import('./bench.js');
  return [
    'Usage: wasm-activations <command> [options]      (npx wasm-activations …, or npm run <command> in a checkout)',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    `Without a command: ${DEFAULT_COMMAND}. \`wasm-activations <command> --help\` shows a command's options.`,
    '',
    HELP,
  ].join('\n');
}

/** Splits argv into the command and its arguments. */
export function resolveCommand(argv: readonly string[]): { name: string; args: readonly string[] } | { help: true } {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '-h' || first === '--help' || first === 'help') return { help: true };
    return { name: DEFAULT_COMMAND, args: argv };
  }
  if (first === 'help') return { help: true };
  if (!(first in COMMANDS)) throw new UsageError(`unknown command '${first}'; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return { name: first, args: rest };
}

/** Runs the CLI on argv (without node and the script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command = '';
  try {
    const resolved = resolveCommand(argv);
    if ('help' in resolved) {
      console.log(await usage());
      return 0;
    }
    // The command's own --help, for a usage error in its options (the default command's is the top one).
    if (resolved.name !== DEFAULT_COMMAND) command = `${resolved.name} `;
    return (await COMMANDS[resolved.name].run(resolved.args)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`wasm-activations: ${error.message}\nRun 'wasm-activations ${command}--help' for the options.`);
      return 2;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  }
}
