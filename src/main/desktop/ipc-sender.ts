/** What an IPC event tells us about who sent it (a subset of Electron's IpcMainEvent). */
export interface IpcSenderInfo {
  senderFrame: { url: string } | null
  sender: { mainFrame: unknown }
}

/**
 * A message is accepted only from the main frame of a page on our renderer's origin
 * (`app://candlework`, or the dev server in `npm run dev`): never from a subframe, from a
 * frame that has gone (null), or from a page that navigated elsewhere.
 */
export function isTrustedSender(event: IpcSenderInfo, isTrustedUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame
  return !!frame && frame === event.sender.mainFrame && isTrustedUrl(frame.url)
}
