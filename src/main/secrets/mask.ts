/**
 * The id shown for a key instead of the key: its first and last four characters (`abcd…wxyz`),
 * or only its last two when it is too short to give away eight (`…yz`).
 */
export function maskKey(key: string): string {
  if (key.length >= 16) return `${key.slice(0, 4)}…${key.slice(-4)}`
  if (key.length >= 6) return `…${key.slice(-2)}`
  return '…'
}
