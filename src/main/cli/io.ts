import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Where a CLI command writes; tests pass buffers, the real CLI passes the process streams. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
}

/** Collects output in memory, for tests. */
export function memoryIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) }
}

/** A CLI command: parses its own arguments and returns the process exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>

type FlagOptions = NonNullable<ParseArgsConfig['options']>
type FlagValues<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values']
type ParsedFlags<O extends FlagOptions> = { ok: true; values: FlagValues<O> } | { ok: false; exit: number }

/**
 * Parses a command's flags strictly (unknown flags and positionals are errors). Answers the
 * values, or the exit code when there is nothing more to do: 0 after `--help`, 2 after a
 * usage error, which is printed with the usage.
 */
export function parseFlags<const O extends FlagOptions>(
  command: string,
  usage: string,
  argv: string[],
  options: O,
  io: CliIo,
): ParsedFlags<O> {
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
    if ((values as { help?: boolean }).help) {
      io.out(usage)
      return { ok: false, exit: 0 }
    }
    return { ok: true, values }
  } catch (err) {
    return { ok: false, exit: usageError(io, command, usage, (err as Error).message) }
  }
}

/** Prints a usage error for `command` and gives its exit code, 2. */
export function usageError(io: CliIo, command: string, usage: string, message: string): number {
  io.err(`${command}: ${message}\n\n${usage}`)
  return 2
}
