/** The face operations of the contract: identification at the door, enrolment in admin mode. */
import type { AdminSession } from '../admin/admin-session'
import type { Handlers } from '../gate'
import type { Roster } from '../roster/roster'
import type { SyncService } from '../sync/sync-service'
import type { FaceService } from './face-service'

type FaceOperations =
  | 'identifyFace'
  | 'reportCameraStatus'
  | 'listFacePeople'
  | 'startEnrolment'
  | 'addEnrolmentSample'
  | 'finishEnrolment'
  | 'deleteFaceData'

export function createFaceHandlers(deps: {
  faces: FaceService
  admin: AdminSession
  roster: Roster
  sync: SyncService
}): Pick<Handlers, FaceOperations> {
  const { faces, admin, roster, sync } = deps
  return {
    identifyFace: ({ descriptor, liveness }) => {
      const outcome = faces.identify(Float32Array.from(descriptor), liveness)
      if (outcome.status === 'recorded') sync.punchRecorded()
      return outcome
    },
    reportCameraStatus: ({ camera }) => {
      sync.setCameraStatus(camera)
      return null
    },
    listFacePeople: ({ query }) => {
      admin.require()
      return roster.search(query, 50).map((e) => faces.person(e.id))
    },
    startEnrolment: ({ employeeId, consent }) => {
      admin.require()
      return faces.startEnrolment(employeeId, consent)
    },
    addEnrolmentSample: ({ sessionId, descriptor }) => {
      admin.require()
      return faces.addSample(sessionId, Float32Array.from(descriptor))
    },
    finishEnrolment: ({ sessionId }) => {
      admin.require()
      return faces.finishEnrolment(sessionId, 'admin')
    },
    deleteFaceData: ({ employeeId }) => {
      admin.require()
      faces.erase(employeeId, 'admin', 'deleted in admin mode')
      return null
    },
  }
}
