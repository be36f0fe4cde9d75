/**
 * Sites the app may open in the trader's browser (`shell.openExternal`): the exchanges whose
 * pages a trader is sent to (API key settings, fees), and TradingView, whose attribution link
 * the chart library's licence asks us to show (Settings). Nothing else: a URL from a
 * compromised or confused renderer must not become an arbitrary program launch (file:,
 * smb:, custom protocol handlers) or a phishing page opened by the app.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'binance.com',
  'coinbase.com',
  'kraken.com',
  'okx.com',
  'bybit.com',
  'kucoin.com',
  'bitfinex.com',
  'tradingview.com',
]

/**
 * True for an https URL, without credentials or an unusual port, whose host is one of
 * `hosts` or a subdomain of one (with a dot boundary: `evilbinance.com` and
 * `binance.com.evil.example` are not binance.com).
 */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false
  const host = parsed.hostname.toLowerCase()
  return hosts.some((allowed) => host === allowed || host.endsWith('.' + allowed))
}
