/**
 * Hands a file to the browser's download (the headless host; the desktop saves through its own
 * dialog): a link to the blob, clicked, removed. The blob's URL is freed a minute later, not at
 * once: a browser may still be reading it when click() returns.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  try {
    const a = document.createElement('a')
    a.href = url
    a.download = fileName
    a.rel = 'noopener'
    document.body.appendChild(a)
    a.click()
    a.remove()
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  }
}
