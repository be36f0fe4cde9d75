import type { CSSProperties } from 'react'
import { logoHue, logoText } from './exchange-badge'

/** An exchange's text mark (OKX, KC, BU) on its own colour; the app loads no logo images. */
export function ExchangeLogo({ id, name }: { id: string; name: string }) {
  return (
    <span className="acc-logo" aria-hidden="true" style={{ '--logo-hue': logoHue(id) } as CSSProperties}>
      {logoText(name)}
    </span>
  )
}
