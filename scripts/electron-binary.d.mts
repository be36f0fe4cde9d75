// Types for electron-binary.mjs, so the TypeScript tests can import it.
export type Found = { path: string; reason: '' } | { path: null; reason: string }
export function electronPackageDir(from?: string): string | null
export function findElectron(dir?: string | null, env?: NodeJS.ProcessEnv): Found
export function downloadElectron(
  dir: string,
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ ok: true } | { ok: false; reason: string }>
