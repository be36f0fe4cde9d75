/**
 * Headers on every response of the headless host, errors and `/healthz` included: a response a
 * browser shows or caches must not be framed, sniffed into script, leak the page's address to
 * another site, or be readable from another origin.
 *
 * `connect-src` names the host's own WebSocket origins (one per name the host answers to), so a
 * page injected into ours could not send data anywhere else. `style-src 'unsafe-inline'` is for
 * the style attributes React and the chart library set; `img-src data:` for the inline favicon.
 */
export function securityHeaders(wsOrigins: readonly string[]): Readonly<Record<string, string>> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${wsOrigins.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  }
}
