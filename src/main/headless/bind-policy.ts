import { isLoopbackHost } from '../../shared/net/loopback'

export interface BindFlags {
  /** `--host`. */
  host: string
  /** `--allow-remote`: the trader means to serve other machines. */
  allowRemote: boolean
  /** `--tls-cert` and `--tls-key`: files in PEM. */
  tlsCert?: string
  tlsKey?: string
  /** `--insecure-http`: serve other machines over plain HTTP anyway. */
  insecureHttp: boolean
}

export type BindDecision =
  | { ok: true; tls: { certFile: string; keyFile: string } | null; warning: string | null }
  | { ok: false; error: string }

/**
 * Whether the host may listen where it was asked. The token grants full control of the
 * engine, live orders included, so:
 * - loopback (127.0.0.0/8, ::1, localhost) is always allowed, with or without TLS;
 * - anything else needs `--allow-remote`, and then TLS (`--tls-cert`, `--tls-key`) or an explicit
 *   `--insecure-http`, which warns on every start: over plain HTTP anyone on the network path
 *   reads the token and every order.
 */
export function decideBinding(flags: BindFlags): BindDecision {
  if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) {
    return { ok: false, error: '--tls-cert and --tls-key go together: give both files or neither.' }
  }
  const tls = flags.tlsCert && flags.tlsKey ? { certFile: flags.tlsCert, keyFile: flags.tlsKey } : null
  if (tls && flags.insecureHttp) {
    return { ok: false, error: '--insecure-http and --tls-cert/--tls-key contradict each other: choose one.' }
  }
  if (isLoopbackHost(flags.host)) return { ok: true, tls, warning: null }
  if (!flags.allowRemote) {
    return {
      ok: false,
      error:
        `Refusing to listen on ${flags.host}, which is not loopback: anyone who reaches it with the token ` +
        'can trade. To serve other machines pass --allow-remote with --tls-cert F --tls-key F ' +
        '(or --insecure-http, which sends the token unencrypted).',
    }
  }
  if (tls) return { ok: true, tls, warning: null }
  if (!flags.insecureHttp) {
    return {
      ok: false,
      error:
        `--allow-remote on ${flags.host} needs TLS: pass --tls-cert F --tls-key F ` +
        '(or --insecure-http to send the token and every order unencrypted).',
    }
  }
  return {
    ok: true,
    tls: null,
    warning:
      `WARNING: serving ${flags.host} over plain HTTP (--insecure-http): the access token and every ` +
      'order cross the network unencrypted, and anyone who can read that traffic can trade.',
  }
}
