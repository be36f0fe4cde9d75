// `npm run docs:api`: rewrites docs/API.md from the contract.
import { writeFileSync } from 'node:fs'
import { renderApiDoc } from '../src/main/rpc/api-doc'

writeFileSync(new URL('../docs/API.md', import.meta.url), renderApiDoc())
process.stdout.write('docs/API.md written\n')
