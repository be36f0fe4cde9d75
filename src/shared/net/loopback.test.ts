import { describe, expect, it } from 'vitest'
import { isLoopbackHost } from './loopback'

// Exact, never by prefix: names like 127.evil.example resolve wherever their owner likes.
describe('isLoopbackHost', () => {
  const loopback = [
    'localhost',
    'LOCALHOST',
    '127.0.0.1',
    '127.0.0.2',
    '127.255.255.254',
    '127.1.2.3',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '0000:0000:0000:0000:0000:0000:0000:0001',
    '[::ffff:127.0.0.1]',
    '::ffff:7f00:1',
  ]
  const not = [
    '127.evil.example',
    '127.0.0.1.evil.example',
    '127.0.0.1.nip.io',
    '127.0.0.1.',
    '::ffff:128.0.0.1',
    'localhost.evil.com',
    'evil-localhost',
    'localhost.',
    '128.0.0.1',
    '126.255.255.255',
    '0.0.0.0',
    '10.0.0.1',
    '192.168.1.1',
    '127.0.0.256',
    '127.0.0',
    '127.0.0.1.1',
    '0127.0.0.1',
    '127.00.0.1',
    '127.0.0.1 ',
    '::',
    '::2',
    '::ffff:10.0.0.1',
    '::ffff:7e00:1',
    '1::1',
    '[::1',
    '::1%lo',
    ':::1',
    'api.binance.com',
    '',
  ]
  it.each(loopback)('%s is loopback', (h) => expect(isLoopbackHost(h)).toBe(true))
  it.each(not)('%j is not loopback', (h) => expect(isLoopbackHost(h)).toBe(false))
})
