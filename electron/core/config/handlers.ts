/** The `config:` operations: what the screen needs to know of this kiosk and its settings. */
import type { DomainHandlers } from '../gate'
import type { KioskPlatform } from '../platform'
import type { Config } from './config'

export const configOperations = ['getKioskInfo'] as const

export function createConfigHandlers(deps: {
  config: Config
  version: string
  platform: KioskPlatform
}): DomainHandlers<typeof configOperations> {
  const { config, version, platform } = deps
  return {
    getKioskInfo: () => ({
      product: 'Clockface',
      version,
      site: config.site,
      timeZone: config.timeZone,
      language: config.language,
      greetingSeconds: config.greetingSeconds,
      switchWindowSeconds: config.attendance.switchWindowSeconds,
      badge: config.badge,
      faces: {
        enabled: config.faces.enabled,
        camera: config.faces.camera,
        mode: config.faces.mode,
        liveness: config.faces.liveness,
        minFaceSizePx: config.faces.minFaceSizePx,
        enrolmentSamples: config.faces.enrolmentSamples,
      },
      now: new Date(platform.now()).toISOString(),
    }),
  }
}
