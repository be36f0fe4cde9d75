/**
 * How a WebSocket client proves it may use the headless host. Shared by the host
 * (src/main/headless) and the browser page (src/renderer/src/client.ts), so both spell it the same.
 *
 * A browser cannot set headers on a WebSocket, and anything in its URL ends up in logs and
 * histories, so it offers the token as a subprotocol: `[WS_PROTOCOL, WS_TOKEN_PREFIX + token]`.
 * The host selects `WS_PROTOCOL`, so the token is never echoed back. Scripts may instead send
 * `Authorization: Bearer <token>`.
 */
export const WS_PROTOCOL = 'candlework.v1'
export const WS_TOKEN_PREFIX = 'candlework.token.'

/** The host's tokens: 32 random bytes in lower-case hex. */
export const TOKEN_PATTERN = /^[0-9a-f]{64}$/

/** Close code of every socket still using a token that was replaced (`new-token`). */
export const TOKEN_CHANGED_CLOSE_CODE = 4001
export const TOKEN_CHANGED_CLOSE_REASON = 'The access token was changed: open the new URL the host printed.'

/** Answers 204 with a valid `Authorization: Bearer` token, 401 without: how a page learns why its socket failed. */
export const AUTH_CHECK_PATH = '/auth-check'
