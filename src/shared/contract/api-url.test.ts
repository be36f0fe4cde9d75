import { describe, expect, it } from 'vitest'
import { apiUrlProblem, apiUrlSchema, sameApiUrl } from './api-url'

describe('apiUrlProblem', () => {
  const allowed = [
    'https://api.binance.com',
    'https://api.binance.com/',
    'https://testnet.binance.vision/api',
    'https://proxy.example:8443/binance',
    'http://127.0.0.1:8080/',
    'http://127.0.0.1:5000',
    'http://127.1.2.3',
    'http://localhost:9',
    'HTTP://LOCALHOST',
    'http://[::1]:8080/',
    'http://[::1]',
    'HTTPS://API.BINANCE.COM',
  ]
  it.each(allowed)('allows %s', (url) => expect(apiUrlProblem(url)).toBeNull())

  const refused: Array<[string, RegExp]> = [
    ['http://127.evil.example', /plain http is only for this computer/],
    ['http://localhost.evil.com', /plain http is only for this computer/],
    ['http://api.binance.com', /use https:\/\/api\.binance\.com,/],
    ['http://10.0.0.5:8080/x', /use https:\/\/10\.0\.0\.5:8080\/x,/],
    ['http://0.0.0.0:5000', /plain http/],
    ['javascript:alert(1)', /^javascript: URLs are not allowed/],
    ['ftp://127.0.0.1/', /^ftp: URLs are not allowed/],
    ['file:///etc/passwd', /^file: URLs are not allowed/],
    ['data:text/plain,hi', /^data: URLs are not allowed/],
    ['ws://127.0.0.1:9000', /^ws: URLs are not allowed/],
    ['wss://stream.binance.com', /^wss: URLs are not allowed/],
    ['https://user:pass@api.binance.com', /user name or password/],
    ['https://user@api.binance.com', /user name or password/],
    ['http://user:pass@127.0.0.1:5000', /user name or password/],
    ['https://api.binance.com/?x=1', /no query/],
    ['https://api.binance.com/#frag', /no query/],
    ['https://api.binance.com/?', /no query/],
    ['not a url', /no spaces/],
    ['api.binance.com', /not a URL/],
    [' https://api.binance.com', /no spaces/],
    ['https://api.binance.com\n', /no spaces/],
    ['https:\\\\evil.example', /backslashes/],
    ['https://api.binance.com/\u0000x', /control characters/],
    ['https://api.binance.com/\u007f', /control characters/],
    ['', /not a URL/],
  ]
  it.each(refused)('refuses %j', (url, why) => expect(apiUrlProblem(url)).toMatch(why))

  it('is the schema’s rule, reported as a custom issue at the field', () => {
    expect(apiUrlSchema.safeParse('https://api.binance.com').success).toBe(true)
    const bad = apiUrlSchema.safeParse('http://127.evil.example')
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toMatch(/plain http is only for this computer/)
    expect(apiUrlSchema.safeParse(`https://x.example/${'a'.repeat(2100)}`).success).toBe(false)
  })
})

describe('sameApiUrl', () => {
  it('compares where requests go, not spelling', () => {
    expect(sameApiUrl(null, null)).toBe(true)
    expect(sameApiUrl(null, 'https://api.binance.com')).toBe(false)
    expect(sameApiUrl('http://127.0.0.1:5000', 'http://127.0.0.1:5000/')).toBe(true)
    expect(sameApiUrl('HTTP://LOCALHOST', 'http://localhost')).toBe(true)
    expect(sameApiUrl('http://127.0.0.1:5000', 'http://127.0.0.1:5001')).toBe(false)
    expect(sameApiUrl('https://a.example/x', 'https://a.example/y')).toBe(false)
  })
})
