import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FacePerson } from '../../../electron/shared/types'
import EnrolmentPanel from '../../../renderer/src/components/EnrolmentPanel.vue'
import { useKioskStore } from '../../../renderer/src/stores/kiosk'
import KioskView from '../../../renderer/src/views/KioskView.vue'
import {
  fakeKiosk,
  freshPinia,
  kioskInfo,
  punchView,
  recorded,
  scanBadge,
  settle,
  type FakeHandlers,
} from '../fake-kiosk'

// The real engine needs WebAssembly and a canvas; these screens only need to know it started.
vi.mock('../../../renderer/src/face/engine', async (original) => ({
  ...(await original<typeof import('../../../renderer/src/face/engine')>()),
  startFaceEngine: async () => ({ faceapi: {}, backend: 'wasm', simd: true }),
}))

enableAutoUnmount(afterEach)

const faces = {
  enabled: true,
  camera: null,
  mode: 'face' as const,
  liveness: 'either' as const,
  minFaceSizePx: 80,
  enrolmentSamples: 3,
}

async function mountWith(
  component: typeof KioskView | typeof EnrolmentPanel,
  handlers: Partial<FakeHandlers>,
) {
  const kiosk = fakeKiosk({
    getKioskInfo: () => ({ ...kioskInfo, faces }),
    reportCameraStatus: () => null,
    ...handlers,
  })
  const pinia = freshPinia()
  await useKioskStore().load()
  const wrapper = mount(component, { global: { plugins: [pinia] }, attachTo: document.body })
  await settle()
  return { kiosk, wrapper }
}

beforeEach(() => {
  // jsdom has no camera at all, like a kiosk PC whose camera was unplugged.
  expect(navigator.mediaDevices).toBeUndefined()
})

describe('kiosk without a camera', () => {
  it('says calmly that face check-in is unavailable, tells main, and badges still work', async () => {
    const { kiosk, wrapper } = await mountWith(KioskView, {
      recordBadgePunch: () => recorded(punchView()),
    })
    const camera = wrapper.get('[data-testid="face-camera"]')
    expect(camera.attributes('data-state')).toBe('unavailable')
    expect(camera.text()).toContain(
      'Face check-in is not available. Please scan your badge or use your PIN.',
    )
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([{ camera: 'missing', backend: 'wasm' }])

    scanBadge('00412345')
    await settle()
    expect(wrapper.get('[data-testid="greeting"]').text()).toContain('Anna Li')
  })

  it('shows no camera area at all when faces are off', async () => {
    const kiosk = fakeKiosk({ reportCameraStatus: () => null })
    const pinia = freshPinia()
    await useKioskStore().load()
    const wrapper = mount(KioskView, { global: { plugins: [pinia] } })
    await settle()
    expect(wrapper.find('[data-testid="face-camera"]').exists()).toBe(false)
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([])
  })
})

describe('enrolment panel', () => {
  const anna: FacePerson = { id: 'E1001', name: 'Anna Li', templates: 0, consentSignedAt: null }
  const bo: FacePerson = {
    id: 'E1002',
    name: 'Bo Chen',
    templates: 4,
    consentSignedAt: '2026-03-01T02:00:00Z',
  }

  it('shows the engine and camera, then consent with its date before any sample', async () => {
    const { kiosk, wrapper } = await mountWith(EnrolmentPanel, {
      listFacePeople: () => [anna, bo],
      startEnrolment: () => ({ sessionId: 's-1', accepted: 0, needed: 3, refused: null }),
    })
    expect(wrapper.get('[data-testid="face-backend"]').text()).toBe('wasm (SIMD)')
    // The kiosk screen never ran here, so the camera was not tried yet.
    expect(wrapper.get('[data-testid="face-camera-status"]').text()).toBe('off')
    const rows = wrapper.findAll('[data-testid="face-person"]')
    expect(rows.map((row) => row.attributes('data-employee-id'))).toEqual(['E1001', 'E1002'])
    expect(rows[1]!.text()).toContain('4 face templates')
    // Only someone with face data can have it deleted.
    expect(rows[0]!.find('[data-testid="face-delete"]').exists()).toBe(false)

    await wrapper.get('[data-testid="enrol-person"][data-employee-id="E1001"]').trigger('click')
    expect(wrapper.text()).toContain('Consent for Anna Li')
    expect(wrapper.get('[data-testid="enrol-consent-date"]').text()).toMatch(/Date: \w+/)
    expect(kiosk.callsTo('startEnrolment')).toEqual([])

    await wrapper.get('[data-testid="enrol-consent"]').trigger('click')
    await settle()
    const progress = wrapper.get('[data-testid="enrol-progress"]')
    expect(progress.attributes('data-accepted')).toBe('0')
    expect(progress.attributes('data-needed')).toBe('3')
    expect(wrapper.get('[data-testid="face-camera-status"]').attributes('data-camera')).toBe(
      'missing',
    )
    expect(wrapper.get('[data-testid="enrol-finish"]').attributes('disabled')).toBeDefined()
  })

  it('deletes a person’s face data after a confirmation', async () => {
    let people = [bo]
    const { kiosk, wrapper } = await mountWith(EnrolmentPanel, {
      listFacePeople: () => people,
      deleteFaceData: () => {
        people = [{ ...bo, templates: 0, consentSignedAt: null }]
        return null
      },
    })
    await wrapper.get('[data-testid="face-delete"]').trigger('click')
    expect(kiosk.callsTo('deleteFaceData')).toEqual([])
    expect(wrapper.text()).toContain('Delete Bo Chen’s face data and consent?')
    await wrapper.get('[data-testid="face-delete-confirm"]').trigger('click')
    await settle()
    expect(kiosk.callsTo('deleteFaceData')).toEqual([{ employeeId: 'E1002' }])
    expect(wrapper.get('[data-testid="enrol-outcome"]').text()).toContain(
      'Bo Chen’s face data was deleted.',
    )
    expect(wrapper.get('[data-testid="face-person"]').attributes('data-templates')).toBe('0')
  })
})
