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
