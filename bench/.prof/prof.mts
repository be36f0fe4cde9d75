import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync, rmSync, statSync, writeSync, fsyncSync, copyFileSync } from 'node:fs'
import { rowCounts } from '/work/wt/h18/src/main/backup/manifest'
const seed = '/tmp/cw-h18-seed-1g.db'
const src = '/tmp/h18prof/src.db'
copyFileSync(seed, src)
const t = (label: string, f: () => unknown) => { const a = performance.now(); const r = f(); console.log(label, Math.round(performance.now() - a), 'ms'); return r }
const out = '/tmp/h18prof/snap.db'
rmSync(out, { force: true })
const ro = new Database(src, { readonly: true })
t('vacuum into', () => ro.prepare('VACUUM INTO ?').run(out))
t('rowCounts src', () => rowCounts(ro))
ro.close()
rmSync(out, { force: true })
// backup API in one step, from a worker-like sync context: use serialize? measure db.backup async
const ro2 = new Database(src, { readonly: true })
const a = performance.now()
await ro2.backup(out, { progress: () => 1e9 })
console.log('db.backup big steps', Math.round(performance.now() - a), 'ms')
ro2.close()
const size = statSync(out).size
t('read+sha256 x1', () => { const fd = openSync(out, 'r'); const b = Buffer.allocUnsafe(4 << 20); const h = createHash('sha256'); let p = 0; while (p < size) { const n = readSync(fd, b, 0, b.length, p); h.update(b.subarray(0, n)); p += n } closeSync(fd); h.digest() })
t('read+write+fsync', () => { const fd = openSync(out, 'r'); const w = openSync('/tmp/h18prof/w.bin', 'w'); const b = Buffer.allocUnsafe(4 << 20); let p = 0; while (p < size) { const n = readSync(fd, b, 0, b.length, p); writeSync(w, b, 0, n); p += n } fsyncSync(w); closeSync(w); closeSync(fd) })
const c = new Database(out)
t('integrity_check', () => c.pragma('integrity_check'))
t('quick_check', () => c.pragma('quick_check'))
t('rowCounts copy', () => rowCounts(c))
c.close()
