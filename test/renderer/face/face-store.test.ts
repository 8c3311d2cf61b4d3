import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { FaceOutcome } from '../../../electron/shared/types'
import { FaceEngineError } from '../../../renderer/src/face/engine'
import { useAttendanceStore } from '../../../renderer/src/stores/attendance'
import { useFaceStore } from '../../../renderer/src/stores/face'
import { useKioskStore } from '../../../renderer/src/stores/kiosk'
import {
  fakeKiosk,
  freshPinia,
  kioskInfo,
  punchView,
  recorded,
  refuse,
  settle,
  fakeClockEachTest,
} from '../fake-kiosk'

const engine = vi.hoisted(() => ({ start: vi.fn() }))
vi.mock('../../../renderer/src/face/engine', async (original) => ({
  ...(await original<typeof import('../../../renderer/src/face/engine')>()),
  startFaceEngine: engine.start,
}))

const descriptor = Array.from({ length: 128 }, () => 0.01)
const faces = {
  enabled: true,
  camera: null,
  mode: 'face' as const,
  liveness: 'off' as const,
  minFaceSizePx: 80,
  enrolmentSamples: 5,
}

async function setUp(handlers: Parameters<typeof fakeKiosk>[0] = {}) {
  const kiosk = fakeKiosk({
    getKioskInfo: () => ({ ...kioskInfo, faces }),
    reportCameraStatus: () => null,
    ...handlers,
  })
  freshPinia()
  await useKioskStore().load()
  return { kiosk, face: useFaceStore(), attendance: useAttendanceStore() }
}

fakeClockEachTest()
beforeEach(() => {
  engine.start.mockReset()
})

describe('face store: answers from main', () => {
  it('greets a recognised person with the badge greeting card, which clears itself', async () => {
    const { kiosk, face, attendance } = await setUp({
      identifyFace: () => recorded(punchView({ method: 'face' })),
    })
    const outcome = await face.identify(descriptor, 'passed')
    expect(outcome?.status).toBe('recorded')
    expect(kiosk.callsTo('identifyFace')).toEqual([{ descriptor, liveness: 'passed' }])
    expect(attendance.greeting?.punch.employeeName).toBe('Anna Li')
    vi.advanceTimersByTime(5000)
    expect(attendance.notice).toBeNull()
  })

  it('shows "already" for a second face punch inside the duplicate window', async () => {
    const { face, attendance } = await setUp({
      identifyFace: () => ({ status: 'already', punch: punchView() }),
    })
    await face.identify(descriptor, 'pending')
    expect(attendance.already?.punch.employeeId).toBe('E1001')
  })

  it('keeps a person’s greeting when their face is seen again, and greets the next person', async () => {
    let answer: FaceOutcome = recorded(punchView())
    const { face, attendance } = await setUp({ identifyFace: () => answer })
    await face.identify(descriptor, 'passed')
    answer = { status: 'already', punch: punchView() }
    await face.identify(descriptor, 'passed')
    expect(attendance.greeting?.punch.employeeId).toBe('E1001')
    answer = recorded(
      punchView({
        id: '7f1c2d3e-4b5a-4978-8d9e-0a1b2c3d4e5f',
        employeeId: 'E1002',
        employeeName: 'Bo Chen',
      }),
    )
    await face.identify(descriptor, 'passed')
    expect(attendance.greeting?.punch.employeeName).toBe('Bo Chen')
  })

  it('leaves a badge notice that replaced the face greeting alone', async () => {
    const { face, attendance } = await setUp({
      identifyFace: () => recorded(punchView()),
      recordBadgePunch: () =>
        recorded(
          punchView({ id: '7f1c2d3e-4b5a-4978-8d9e-0a1b2c3d4e5f', employeeName: 'Bo Chen' }),
        ),
    })
    await face.identify(descriptor, 'pending')
    vi.advanceTimersByTime(3000)
    await attendance.recordBadge('00412345')
    vi.advanceTimersByTime(2500)
    expect(attendance.greeting?.punch.employeeName).toBe('Bo Chen')
  })

  it('records nothing on screen for "unknown", "looking" or "needs liveness"', async () => {
    for (const answer of [
      { status: 'unknown' },
      { status: 'looking' },
      { status: 'needs-liveness', employeeId: 'E1' },
    ] as const) {
      const { face, attendance } = await setUp({ identifyFace: () => answer })
      expect(await face.identify(descriptor, 'pending')).toEqual(answer)
      expect(attendance.notice).toBeNull()
    }
  })

  it('stops face check-in when main says it is turned off', async () => {
    const { face } = await setUp({ identifyFace: () => refuse(ErrorCode.FacesDisabled) })
    expect(face.enabled).toBe(true)
    expect(await face.identify(descriptor, 'pending')).toBeNull()
    expect(face.enabled).toBe(false)
  })

  it('says so when the punch could not be stored', async () => {
    const { face, attendance } = await setUp({ identifyFace: () => refuse(ErrorCode.StoreFailed) })
    await face.identify(descriptor, 'pending')
    expect(attendance.refusal?.code).toBe(ErrorCode.StoreFailed)
  })

  it('keeps quiet when the service is busy or not there yet', async () => {
    const { face, attendance } = await setUp({ identifyFace: () => refuse(ErrorCode.Internal) })
    expect(await face.identify(descriptor, 'pending')).toBeNull()
    expect(attendance.notice).toBeNull()
  })
})

describe('face store: engine and camera status', () => {
  it('reports the wasm engine and a working camera to main once both are known', async () => {
    engine.start.mockResolvedValue({ faceapi: {}, backend: 'wasm', simd: true })
    const { kiosk, face } = await setUp()
    face.setCamera('starting')
    expect(await face.startEngine()).not.toBeNull()
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([])
    face.setCamera('ok')
    await settle()
    expect(face.engine).toBe('ready')
    expect(face.ready).toBe(true)
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([{ camera: 'ok', backend: 'wasm' }])
  })

  it('treats a fallback to another tfjs backend as an error, and reports it', async () => {
    engine.start.mockRejectedValue(
      new FaceEngineError('backend', 'cpu', 'tfjs wasm backend did not start (got cpu)'),
    )
    const { kiosk, face } = await setUp()
    face.setCamera('missing')
    expect(await face.startEngine()).toBeNull()
    await settle()
    expect(face.engine).toBe('failed')
    expect(face.engineFailure).toMatchObject({ problem: 'backend', backend: 'cpu' })
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([
      { camera: 'missing', backend: 'failed:cpu' },
    ])
  })

  it('reports a refused camera as an error, once per change', async () => {
    engine.start.mockResolvedValue({ faceapi: {}, backend: 'wasm', simd: false })
    const { kiosk, face } = await setUp()
    await face.startEngine()
    face.setCamera('denied')
    face.setCamera('denied')
    await settle()
    expect(kiosk.callsTo('reportCameraStatus')).toEqual([{ camera: 'error', backend: 'wasm' }])
  })
})
