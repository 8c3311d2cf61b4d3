import type { Session } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppUrl } from '../../electron/main/app-url'
import { setupSecurity } from '../../electron/main/security'
import { silentLogger } from '../../electron/core/logger'
import { BrowserWindow, fakeEvent, resetElectronStub, session } from './electron-stub'

const appPage = 'app://clockface/index.html'

function secured(devServer?: string) {
  const appUrl = resolveAppUrl(devServer)
  const ses = session.defaultSession
  setupSecurity(ses as unknown as Session, appUrl, silentLogger)
  // Created after setup, as the kiosk window is: the guards must reach it through app.
  const win = new BrowserWindow()
  return { ses, contents: win.webContents }
}

/** What the permission request handler answers for one request. */
function request(permission: string, details: Record<string, unknown>): boolean | undefined {
  let granted: boolean | undefined
  session.defaultSession.requestHandler?.({}, permission, (g: boolean) => (granted = g), {
    isMainFrame: true,
    ...details,
  })
  return granted
}

function check(permission: string, origin: string, details: Record<string, unknown>) {
  return session.defaultSession.checkHandler?.({}, permission, origin, {
    isMainFrame: true,
    ...details,
  })
}

beforeEach(resetElectronStub)

describe('web contents guards', () => {
  it('denies every window.open', () => {
    const { contents } = secured()
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    })
    expect(contents.windowOpenHandler?.({ url: appPage })).toEqual({ action: 'deny' })
  })

  it('prevents navigation and redirects away from the app page', () => {
    const { contents } = secured()
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = fakeEvent({ url: 'https://evil.example/login' })
      contents.emit(name, away, away.url)
      expect(away.preventDefault).toHaveBeenCalled()
      for (const url of [
        'file:///etc/passwd',
        'file:///opt/clockface/out/renderer/index.html',
        'app://evil.example/index.html',
      ]) {
        const other = fakeEvent({ url })
        contents.emit(name, other, other.url)
        expect(other.preventDefault, url).toHaveBeenCalled()
      }
    }
  })

  it('lets the app move within its own page (hash routes)', () => {
    const { contents } = secured()
    const home = fakeEvent({ url: `${appPage}#/admin` })
    contents.emit('will-navigate', home, home.url)
    expect(home.preventDefault).not.toHaveBeenCalled()
  })

  it('in dev, stays on the dev server origin only', () => {
    const { contents } = secured('http://localhost:5173')
    const same = fakeEvent({ url: 'http://localhost:5173/#/admin' })
    const otherPort = fakeEvent({ url: 'http://localhost:5174/' })
    contents.emit('will-navigate', same, same.url)
    contents.emit('will-navigate', otherPort, otherPort.url)
    expect(same.preventDefault).not.toHaveBeenCalled()
    expect(otherPort.preventDefault).toHaveBeenCalled()
  })

  it('refuses to attach a webview', () => {
    const { contents } = secured()
    const attach = fakeEvent()
    contents.emit('will-attach-webview', attach, {}, {})
    expect(attach.preventDefault).toHaveBeenCalled()
  })
})

describe('permissions', () => {
  beforeEach(() => secured())

  it('grants the camera to the app page', () => {
    expect(request('media', { requestingUrl: appPage, mediaTypes: ['video'] })).toBe(true)
  })

  it('denies the camera to any other page, or to a subframe', () => {
    const camera = { mediaTypes: ['video'] }
    expect(request('media', { ...camera, requestingUrl: 'https://evil.example/' })).toBe(false)
    expect(request('media', { ...camera, requestingUrl: 'file:///tmp/evil.html' })).toBe(false)
    expect(request('media', { ...camera, requestingUrl: 'app://other/index.html' })).toBe(false)
    expect(request('media', { ...camera, requestingUrl: appPage, isMainFrame: false })).toBe(false)
  })

  it('denies the microphone, and media requests that do not say what they want', () => {
    expect(request('media', { requestingUrl: appPage, mediaTypes: ['audio'] })).toBe(false)
    expect(request('media', { requestingUrl: appPage, mediaTypes: ['video', 'audio'] })).toBe(false)
    expect(request('media', { requestingUrl: appPage })).toBe(false)
  })

  it.each([
    'geolocation',
    'notifications',
    'display-capture',
    'clipboard-read',
    'hid',
    'openExternal',
  ])('denies %s even to the app page', (permission) => {
    expect(request(permission, { requestingUrl: appPage, mediaTypes: ['video'] })).toBe(false)
  })

  it('answers permission checks by the same rule', () => {
    const app = 'app://clockface'
    expect(check('media', app, { requestingUrl: appPage, mediaType: 'video' })).toBe(true)
    expect(check('media', app, { mediaType: 'video' })).toBe(true)
    expect(check('media', app, { requestingUrl: appPage, mediaType: 'audio' })).toBe(false)
    expect(check('media', 'https://evil.example', { mediaType: 'video' })).toBe(false)
    // file:// pages share one opaque origin; none of them is the app any more.
    expect(check('media', 'file:///', { mediaType: 'video' })).toBe(false)
    expect(check('notifications', app, { requestingUrl: appPage })).toBe(false)
  })

  it('answers each request exactly once', () => {
    const callback = vi.fn()
    session.defaultSession.requestHandler?.({}, 'media', callback, {
      isMainFrame: true,
      requestingUrl: appPage,
      mediaTypes: ['video'],
    })
    expect(callback).toHaveBeenCalledExactlyOnceWith(true)
  })
})
