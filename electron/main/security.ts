/**
 * Electron's security checklist, applied to everything the app creates: no new windows, no
 * navigation away from the app, no webviews, and the camera as the only permission, for the
 * app's own page only.
 */
import { app, type Session, type WebContents } from 'electron'
import type { Logger } from '../core/logger'
import type { AppUrl } from './app-url'

type RequestDetails = Parameters<Parameters<Session['setPermissionRequestHandler']>[0] & {}>[3]

/** Guards every web contents created from now on and sets the session's permission policy. */
export function setupSecurity(session: Session, appUrl: AppUrl, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appUrl, log))
  session.setPermissionRequestHandler((_contents, permission, grant, details) => {
    const granted =
      permission === 'media' &&
      asksForCameraOnly(details) &&
      details.isMainFrame &&
      appUrl.owns(details.requestingUrl)
    if (!granted) log.warn(`security: denied "${permission}" to ${originOf(details.requestingUrl)}`)
    grant(granted)
  })
  // Checks (permissions.query, device labels) follow the same rule as requests, or the page
  // would learn of grants it can never get.
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      permission === 'media' &&
      details.mediaType === 'video' &&
      details.isMainFrame &&
      appUrl.owns(details.requestingUrl ?? requestingOrigin),
  )
}

/** Denies pop-ups, webviews and any navigation or redirect that leaves the app's own page. */
export function guardWebContents(contents: WebContents, appUrl: AppUrl, log: Logger): void {
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`security: refused to open a window for ${originOf(url)}`)
    return { action: 'deny' }
  })
  const stayOnApp = (event: Electron.Event<{ url: string }>) => {
    if (appUrl.owns(event.url)) return
    event.preventDefault()
    log.warn(`security: refused to leave the app for ${originOf(event.url)}`)
  }
  contents.on('will-navigate', stayOnApp)
  contents.on('will-redirect', stayOnApp)
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log.warn('security: refused to attach a webview')
  })
}

/** Camera alone: a request that also asks for the microphone (or says nothing) is refused. */
function asksForCameraOnly(details: RequestDetails): boolean {
  const types = 'mediaTypes' in details ? details.mediaTypes : undefined
  return !!types && types.length > 0 && types.every((type) => type === 'video')
}

function originOf(url: string | undefined): string {
  try {
    const parsed = new URL(url ?? '')
    return parsed.origin === 'null' ? parsed.protocol : parsed.origin
  } catch {
    return 'an unknown origin'
  }
}
