import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('lint walls', () => {
  const cases: { file: string; code: string; fires: boolean }[] = [
    {
      file: 'src/shared/x.ts',
      code: "import { readFileSync } from 'node:fs'\nreadFileSync('')",
      fires: true,
    },
    { file: 'src/shared/x.ts', code: "import { join } from 'path'\njoin()", fires: true },
    { file: 'src/shared/x.ts', code: "import { app } from 'electron'\napp.quit()", fires: true },
    {
      file: 'src/shared/x.ts',
      code: "import { createEngine } from '../main/engine'\ncreateEngine",
      fires: true,
    },
    { file: 'src/shared/x.ts', code: "import { z } from 'zod'\nz.string()", fires: false },
    {
      file: 'src/renderer/src/x.ts',
      code: "import { createEngine } from '../../main/engine'\ncreateEngine",
      fires: true,
    },
    {
      file: 'src/renderer/src/x.ts',
      code: "import { readFileSync } from 'fs'\nreadFileSync('')",
      fires: true,
    },
    {
      file: 'src/renderer/src/x.ts',
      code: "import { contract } from '../../shared/contract'\ncontract",
      fires: false,
    },
    { file: 'src/main/market/x.ts', code: "import { app } from 'electron'\napp.quit()", fires: true },
    {
      file: 'src/main/market/x.ts',
      code: "import { readFileSync } from 'node:fs'\nreadFileSync('')",
      fires: false,
    },
    { file: 'src/main/desktop/x.ts', code: "import { app } from 'electron'\napp.quit()", fires: false },
    { file: 'src/main/index.ts', code: "import { app } from 'electron'\napp.quit()", fires: false },
    {
      file: 'src/preload/x.ts',
      code: "import { contextBridge } from 'electron'\ncontextBridge",
      fires: false,
    },
    {
      file: 'src/preload/x.ts',
      code: "import { contract } from '../shared/contract'\ncontract",
      fires: false,
    },
    {
      file: 'src/preload/x.ts',
      code: "import { createEngine } from '../main/engine'\ncreateEngine",
      fires: true,
    },
    { file: 'src/preload/x.ts', code: "import { z } from 'zod'\nz", fires: true },
    {
      file: 'src/preload/x.ts',
      code: "import { readFileSync } from 'node:fs'\nreadFileSync('')",
      fires: true,
    },
  ]

  for (const c of cases) {
    it(`${c.fires ? 'refuses' : 'allows'} ${c.code.split('\n')[0]} in ${c.file}`, async () => {
      const messages = await restrictedImports(c.file, c.code)
      expect(messages.length > 0).toBe(c.fires)
    })
  }
})
