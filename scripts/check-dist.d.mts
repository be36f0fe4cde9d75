// Types for check-dist.mjs, so the TypeScript tests can import it.
export function nativeBuildProblem(root: string, electronVersion: string): string | null
