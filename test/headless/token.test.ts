import { rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { newTokenCommand } from '../../src/main/cli/new-token'
import { memoryIo } from '../../src/main/cli/io'
import { readToken, writeNewToken } from '../../src/main/headless/token'
import { TOKEN_CHANGED_CLOSE_CODE } from '../../src/shared/rpc/ws-auth'
import { connect, httpGet, useHosts, wsUrl } from './support'

const { startHost, tempDir } = useHosts()

describe('the access check a page uses to learn why its socket failed', () => {
  it('answers 204 to the Bearer token and 401 to anything else, the URL included', async () => {
    const { host, token } = await startHost()
    const check = `${host.url}/auth-check`
    expect((await httpGet(check, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(204)
    expect((await httpGet(check)).status).toBe(401)
    expect((await httpGet(check, { headers: { Authorization: `Bearer ${'0'.repeat(64)}` } })).status).toBe(
      401,
    )
    expect((await httpGet(`${check}?token=${token}`)).status).toBe(401)
    expect((await httpGet(check, { headers: { Authorization: `Basic ${token}` } })).status).toBe(401)
  })
})

describe('token rotation', () => {
  it('`new-token` makes a running host close every socket on the old token with 4001, and accept only the new one', async () => {
    const changed: string[] = []
    const { host, token: old, dataDir } = await startHost({ onTokenChanged: (url) => changed.push(url) })
    const script = connect(wsUrl(host), { bearer: old })
    const page = connect(wsUrl(host), { protocol: old }, { Origin: host.url })
    await Promise.all([script.ready, page.ready])

    const io = memoryIo()
    expect(await newTokenCommand(['--data-dir', dataDir], io)).toBe(0)
    const fresh = readToken(dataDir)!
    expect(fresh).not.toBe(old)
    expect(io.stdout.join('\n')).toContain(`#token=${fresh}`)

    // Noticed from the folder's change events, or by the poll within a second.
    for (const closed of [await script.closed, await page.closed]) {
      expect(closed.code).toBe(TOKEN_CHANGED_CLOSE_CODE)
      expect(closed.reason).toMatch(/access token was changed/)
    }
    expect(host.appUrl).toBe(`${host.url}/#token=${fresh}`)
    expect(changed).toEqual([host.appUrl])

    await expect(connect(wsUrl(host), { bearer: old }).ready).rejects.toThrow(/401/)
    const again = connect(wsUrl(host), { bearer: fresh })
    await again.ready
    expect(await again.client.invoke('system.info', {})).toMatchObject({ ok: true })
    expect(
      (await httpGet(`${host.url}/auth-check`, { headers: { Authorization: `Bearer ${old}` } })).status,
    ).toBe(401)

    // A second replacement (the file was renamed over, twice) is noticed too, and closes the new socket.
    const third = writeNewToken(dataDir)
    expect((await again.closed).code).toBe(TOKEN_CHANGED_CLOSE_CODE)
    await vi.waitFor(() => expect(host.appUrl).toContain(third))
  })

  it('keeps its token when the file is removed or holds garbage', async () => {
    const { host, token, dataDir } = await startHost()
    const live = connect(wsUrl(host), { bearer: token })
    await live.ready
    writeFileSync(join(dataDir, 'headless-token'), 'garbage\n')
    rmSync(join(dataDir, 'headless-token'))
    await new Promise((r) => setTimeout(r, 1_500)) // more than one poll
    expect(live.socket.readyState).toBe(live.socket.OPEN)
    expect(host.appUrl).toContain(token)
  })

  it('the token file is written 0600, atomically, even into a folder that does not exist yet', async () => {
    const dir = join(tempDir(), 'new', 'folder')
    const io = memoryIo()
    expect(await newTokenCommand(['--data-dir', dir], io)).toBe(0)
    expect(statSync(join(dir, 'headless-token')).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readToken(dir)).toMatch(/^[0-9a-f]{64}$/)
  })
})
