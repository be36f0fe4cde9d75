// No import circles anywhere in src: a circle makes module start-up order depend on which file
// is loaded first (a runtime circle can hand a module `undefined` exports), and even a type-only
// circle ties two files together so neither can be read, moved or tested alone. So every kind of
// import counts here: `import`, `import type`, `export ... from`, `import()` and `import('x').T`.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = process.cwd()
const srcDir = join(root, 'src')

// The same resolution the build uses (tsconfig.base.json): bundler-style, so `./x`, `./x.js`
// and `./dir` (its index) all land on the .ts/.tsx file.
const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: true,
  allowJs: false,
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every module specifier a file names, of any import form. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text)
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** file -> the files in src it imports. */
function importGraph(files: string[]): Map<string, string[]> {
  const inSrc = new Set(files)
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const targets = new Set<string>()
    for (const spec of specifiers(file)) {
      // A bundler suffix (`./compute-worker?modulePath`) still names that module: the build
      // makes it a path, but tsx and Vitest load the module itself.
      const path = spec.replace(/\?.*$/, '')
      const resolved = ts.resolveModuleName(path, file, compilerOptions, ts.sys).resolvedModule
      if (resolved && inSrc.has(resolved.resolvedFileName)) targets.add(resolved.resolvedFileName)
    }
    graph.set(file, [...targets].sort())
  }
  return graph
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const connect = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort())
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v)
  return components
}

/** One concrete circle through a component, from its first file back to it (shortest by BFS). */
function chain(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component)
  const start = component[0]!
  const cameFrom = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()!
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue
      if (w === start) {
        const path = [v]
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!)
        return [...path, start]
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v)
        queue.push(w)
      }
    }
  }
  return component
}

const show = (file: string): string => relative(srcDir, file).split(sep).join('/')

/**
 * The engine's domains (src/main/<domain>/) must not import each other in a circle either, even
 * when no two files do: charting and signals once did, through the compute pool. Files directly
 * in src/main (engine.ts, clock.ts, log.ts, ...) count as units of their own. Tests beside the
 * source are left out: a test may check one domain against another (demo's against market's
 * aggregation), which ties nothing in the product.
 */
function domainOf(file: string): string | null {
  const parts = show(file).split('/')
  if (parts[0] !== 'main' || /\.test\.tsx?$/.test(file)) return null
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.tsx?$/, '.ts')
}

/** Domain edges allowed, each with why (none today: keep it that way). */
const ALLOWED_DOMAIN_EDGES: Record<string, string> = {}

/** domain -> domain -> the file imports that make that edge. */
function domainGraph(graph: Map<string, string[]>): Map<string, Map<string, string[]>> {
  const domains = new Map<string, Map<string, string[]>>()
  for (const [file, targets] of graph) {
    const from = domainOf(file)
    if (!from) continue
    const out = domains.get(from) ?? new Map<string, string[]>()
    domains.set(from, out)
    for (const target of targets) {
      const to = domainOf(target)
      const edge = `${show(file)} -> ${show(target)}`
      if (!to || to === from || edge in ALLOWED_DOMAIN_EDGES) continue
      out.set(to, [...(out.get(to) ?? []), edge])
    }
  }
  return domains
}

describe('import graph of src', () => {
  const graph = importGraph(sourceFiles(srcDir))

  it('reads the imports it should (guards the check against finding nothing)', () => {
    const engine = [...graph.entries()].find(([file]) => show(file) === 'main/engine.ts')
    expect(engine, 'src/main/engine.ts is missing; update this guard').toBeDefined()
    expect(engine![1].length).toBeGreaterThan(3)
  })

  it('has no import circles', () => {
    const found = circles(graph).map((component) => {
      const files =
        component.length > 2 ? ` (${component.length} files: ${component.map(show).join(', ')})` : ''
      return chain(graph, component).map(show).join(' -> ') + files
    })
    expect(found, `import circles in src:\n${found.join('\n')}`).toEqual([])
  })

  it('has no circles between the domains of src/main', () => {
    const domains = domainGraph(graph)
    const edges = new Map([...domains].map(([d, out]) => [d, [...out.keys()].sort()]))
    const found = circles(edges).map((component) => {
      const path = chain(edges, component)
      const steps = path.slice(1).map((to, i) => `${to} (${domains.get(path[i]!)!.get(to)![0]!})`)
      return [path[0], ...steps].join(' -> ')
    })
    expect(found, `import circles between domains:\n${found.join('\n')}`).toEqual([])
  })

  it('allows no domain edge that is no longer there', () => {
    const present = new Set(
      [...graph].flatMap(([file, targets]) => targets.map((t) => `${show(file)} -> ${show(t)}`)),
    )
    const stale = Object.keys(ALLOWED_DOMAIN_EDGES).filter((edge) => !present.has(edge))
    expect(stale, 'delete these from ALLOWED_DOMAIN_EDGES').toEqual([])
  })
})
