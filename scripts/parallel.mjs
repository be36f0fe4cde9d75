// Runs npm scripts side by side and fails if any fails: `node scripts/parallel.mjs lint typecheck`.
// The static checks are single-threaded each, so on a machine with two or more cores running
// them together takes the time of the longest instead of the sum (CI has a 15-minute budget).
// Each script's output is printed whole when it ends, so the log reads one script at a time.
import { spawn } from 'node:child_process'

const names = process.argv.slice(2)
if (names.length === 0) {
  process.stderr.write('usage: node scripts/parallel.mjs <npm script> [<npm script> ...]\n')
  process.exit(2)
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const began = Date.now()
        const child = spawn(npm, ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] })
        const out = []
        child.stdout.on('data', (d) => out.push(d))
        child.stderr.on('data', (d) => out.push(d))
        child.on('close', (code) => {
          const text = Buffer.concat(out).toString()
          const secs = ((Date.now() - began) / 1000).toFixed(1)
          process.stdout.write(
            `\n> ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${secs} s\n${text}`,
          )
          resolve(code === 0)
        })
      }),
  ),
)
process.exit(results.every(Boolean) ? 0 : 1)
