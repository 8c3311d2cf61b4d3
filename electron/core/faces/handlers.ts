/** The `faces:` operations: identification at the door, enrolment in admin mode. */
import type { AdminGuard } from '../admin/admin-session'
import type { DomainHandlers } from '../gate'
import type { Roster } from '../roster/roster'
import type { FaceService } from './face-service'

export const facesOperations = [
  'identifyFace',
  'reportCameraStatus',
  'listFacePeople',
  'startEnrolment',
  'addEnrolmentSample',
  'finishEnrolment',
  'deleteFaceData',
] as const

/** Where the screen's camera health goes (the heartbeat reports it). */
export interface CameraStatusSink {
  setCameraStatus(camera: 'ok' | 'missing' | 'error'): void
}

export function createFacesHandlers(deps: {
  faces: FaceService
  admin: AdminGuard
  roster: Roster
  camera: CameraStatusSink
}): DomainHandlers<typeof facesOperations> {
  const { faces, admin, roster, camera } = deps
  return {
    identifyFace: ({ descriptor, liveness }) =>
      faces.identify(Float32Array.from(descriptor), liveness),
    reportCameraStatus: (status) => {
      camera.setCameraStatus(status.camera)
      return null
    },
    listFacePeople: ({ query }, caller) => {
      admin.require(caller, 'faces')
      return roster.search(query, 50).map((e) => faces.person(e.id))
    },
    startEnrolment: ({ employeeId, consent }, caller) => {
      admin.require(caller, 'faces')
      return faces.startEnrolment(employeeId, consent)
    },
    addEnrolmentSample: ({ sessionId, descriptor }, caller) => {
      admin.require(caller, 'faces')
      return faces.addSample(sessionId, Float32Array.from(descriptor))
    },
    finishEnrolment: ({ sessionId }, caller) => {
      const actor = admin.require(caller, 'faces')
      return faces.finishEnrolment(sessionId, actor.id)
    },
    deleteFaceData: ({ employeeId }, caller) => {
      const actor = admin.require(caller, 'faces')
      faces.erase(employeeId, actor.id, 'deleted in admin mode')
      return null
    },
  }
}
