import { describe, expect, it } from 'vitest'
import { decideBinding } from '../../src/main/headless/bind-policy'

describe('decideBinding', () => {
  const flags = { allowRemote: false, insecureHttp: false }

  it('always allows loopback, with or without TLS', () => {
    expect(decideBinding({ ...flags, host: '127.0.0.1' })).toEqual({ ok: true, tls: null, warning: null })
    expect(decideBinding({ ...flags, host: '::1', tlsCert: 'c', tlsKey: 'k' })).toEqual({
      ok: true,
      tls: { certFile: 'c', keyFile: 'k' },
      warning: null,
    })
  })

  it('refuses anything else without --allow-remote, even a name that starts with 127.', () => {
    for (const host of ['0.0.0.0', '192.168.1.5', '127.evil.example']) {
      const d = decideBinding({ ...flags, host })
      expect(d.ok, host).toBe(false)
      expect(!d.ok && d.error, host).toMatch(/not loopback.*--allow-remote/)
    }
  })

  it('with --allow-remote needs TLS, or --insecure-http with a warning', () => {
    const remote = { ...flags, host: '0.0.0.0', allowRemote: true }
    expect(decideBinding(remote)).toMatchObject({ ok: false, error: expect.stringMatching(/needs TLS/) })
    expect(decideBinding({ ...remote, tlsCert: 'c', tlsKey: 'k' })).toMatchObject({ ok: true, warning: null })
    expect(decideBinding({ ...remote, insecureHttp: true })).toMatchObject({
      ok: true,
      tls: null,
      warning: expect.stringMatching(/WARNING.*plain HTTP.*unencrypted/),
    })
  })

  it('refuses half a TLS pair and TLS with --insecure-http', () => {
    expect(decideBinding({ ...flags, host: '127.0.0.1', tlsCert: 'c' }).ok).toBe(false)
    expect(decideBinding({ ...flags, host: '127.0.0.1', tlsKey: 'k' }).ok).toBe(false)
    expect(
      decideBinding({
        ...flags,
        host: '0.0.0.0',
        allowRemote: true,
        insecureHttp: true,
        tlsCert: 'c',
        tlsKey: 'k',
      }).ok,
    ).toBe(false)
  })
})
