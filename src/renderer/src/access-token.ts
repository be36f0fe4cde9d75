import { TOKEN_PATTERN } from '../../shared/rpc/ws-auth'

/** The key the tab keeps its token under (sessionStorage: this tab only, gone when it closes). */
export const TOKEN_STORAGE_KEY = 'candlework.accessToken'

/** The little of `window` this needs (plain objects in unit tests). */
export interface TokenPlace {
  location: { hash: string; pathname: string; search: string }
  history: { state: unknown; replaceState(data: unknown, unused: string, url: string): void }
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void }
}

/**
 * The access token for the headless host, from the URL the host printed
 * (`http://127.0.0.1:5170/#token=…`).
 *
 * The token comes in the fragment because browsers never send a fragment to any server, nor in
 * a Referer. It is moved at once into sessionStorage (so a reload keeps working) and taken out of
 * the address bar and the history entry, so it is not shown, bookmarked or shared by accident.
 * Returns null when the page has none (opened without it in a new tab): the caller says what to
 * open instead.
 */
export function takeAccessToken(place: TokenPlace = browserPlace()): string | null {
  const fromUrl = tokenInFragment(place.location.hash)
  if (fromUrl !== undefined) {
    const { pathname, search } = place.location
    place.history.replaceState(place.history.state, '', pathname + search)
    if (fromUrl !== null) place.storage.setItem(TOKEN_STORAGE_KEY, fromUrl)
  }
  const stored = place.storage.getItem(TOKEN_STORAGE_KEY)
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null
}

/**
 * The token in a fragment such as `#token=…`: undefined when the fragment has no `token`, null
 * when it has one that is not a token (it is still removed from the address bar).
 */
export function tokenInFragment(hash: string): string | null | undefined {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('token')
  if (value === null) return undefined
  return TOKEN_PATTERN.test(value) ? value : null
}

function browserPlace(): TokenPlace {
  return { location: window.location, history: window.history, storage: window.sessionStorage }
}
