/**
 * Loads a user strategy file (TypeScript or JavaScript) into the current thread: transpiled by
 * esbuild (types stripped, nothing bundled), compiled as a CommonJS module under the file's own
 * name with an inline source map, so a runtime error's stack names the file and the line the
 * trader wrote. A syntax error is reported with its file, line and column.
 *
 * This runs user code: call it only inside the strategy worker (./worker.ts), which isolates
 * mistakes (a throw, a loop) from the app. It is not a sandbox against malice: the file can do
 * whatever the trader's own account can.
 *
 * The file exports the same object as a built-in strategy (src/main/backtest/strategy.ts), as
 * `default`, as `strategy`, or as CommonJS `module.exports`. It may `import { z } from 'zod'` and
 * `import { NO_ORDERS, crossedAbove, crossedBelow } from 'candlework/strategy'`; other imports
 * resolve from the file's own folder as Node would.
 */
import { readFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { extname, resolve } from 'node:path'
import { transformSync, type Message } from 'esbuild'
import { z } from 'zod'
import { AppError } from '../../../shared/contract/errors'
import { NO_ORDERS, crossedAbove, crossedBelow, type StrategyDefinition } from '../strategy'

export const STRATEGY_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const

/** What a strategy file may import besides its own folder's modules. */
const PROVIDED: Record<string, unknown> = {
  zod: { z, default: z, ...z },
  'candlework/strategy': { NO_ORDERS, crossedAbove, crossedBelow },
}

export interface LoadedStrategy {
  def: StrategyDefinition
  /** The file's text (the run's strategy hash covers all of it). */
  source: string
  file: string
}

function where(file: string, m: Message): string {
  const l = m.location
  return l ? `${file}:${l.line}:${l.column + 1}` : file
}

/** Transpiles and evaluates the file; throws AppError('validation') naming file and line. */
export function loadStrategyFile(path: string): LoadedStrategy {
  const file = resolve(path)
  const ext = extname(file)
  if (!(STRATEGY_EXTENSIONS as readonly string[]).includes(ext))
    throw new AppError('validation', `${file}: a strategy file ends in ${STRATEGY_EXTENSIONS.join(', ')}`)
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch (err) {
    throw new AppError('validation', `${file}: cannot read (${(err as Error).message})`)
  }
  let code: string
  try {
    code = transformSync(source, {
      loader: ext.endsWith('ts') ? 'ts' : 'js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: file,
    }).code
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors
    const first = errors?.[0]
    if (!first) throw err
    throw new AppError('validation', `${where(file, first)}: syntax error: ${first.text}`)
  }
  // Stack traces through the inline source map: lines of the trader's file, not esbuild's output.
  process.setSourceMapsEnabled(true)
  const mod = new Module(file) as Module & { _compile(code: string, file: string): void }
  mod.filename = file
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    resolve(file, '..'),
  )
  const own = createRequire(file)
  mod.require = ((id: string) => (id in PROVIDED ? PROVIDED[id] : own(id))) as NodeJS.Require
  try {
    mod._compile(code, file)
  } catch (err) {
    throw new AppError('validation', `${file}: failed while loading: ${describeError(err, file)}`)
  }
  const exported = mod.exports as Record<string, unknown>
  // `export default`, `export const strategy`, or CommonJS `module.exports = { id, create... }`.
  const def =
    exported.default ?? exported.strategy ?? (typeof exported.create === 'function' ? exported : undefined)
  return { def: checkDefinition(def, file), source, file }
}

/** The error's message with the first stack line in the file (`file:line:column`). */
export function describeError(err: unknown, file: string): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  const stack = err instanceof Error ? (err.stack ?? '') : ''
  const at = stack
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('at ') && l.includes(file))
  const m = at ? /([^\s()]+:\d+:\d+)\)?$/.exec(at) : null
  return m ? `${message} (at ${m[1]})` : message
}

const definitionShape = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  title: z.string().optional(),
  description: z.string().optional(),
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number(), step: z.number() })).optional(),
  create: z.function(),
})

function checkDefinition(value: unknown, file: string): StrategyDefinition {
  if (!value || typeof value !== 'object')
    throw new AppError('validation', `${file}: export the strategy object as default or as "strategy"`)
  const r = definitionShape.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new AppError('validation', `${file}: strategy.${issue.path.join('.')}: ${issue.message}`)
  }
  const v = value as Partial<StrategyDefinition>
  const params = v.params ?? z.object({})
  if (typeof (params as { safeParse?: unknown }).safeParse !== 'function')
    throw new AppError('validation', `${file}: strategy.params: expected a zod schema`)
  return {
    id: r.data.id,
    title: r.data.title ?? r.data.id,
    description: r.data.description ?? `User strategy from ${file}`,
    params,
    ranges: r.data.ranges ?? {},
    create: v.create!,
  }
}
