import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderApiDoc } from '../../src/main/rpc/api-doc'
import { contract } from '../../src/shared/contract'

describe('docs/API.md', () => {
  const doc = readFileSync('docs/API.md', 'utf8')

  it('is what the contract generates (run `npm run docs:api` after changing the contract)', () => {
    expect(doc).toBe(renderApiDoc())
  })

  it('documents every command and stream', () => {
    for (const name of Object.keys(contract)) expect(doc).toContain(`### \`${name}\``)
  })
})
