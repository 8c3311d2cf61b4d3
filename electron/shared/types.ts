/** Data that crosses the boundary between main and the renderer. Plain JSON only. */

export type Language = 'zh-CN' | 'en'
export type PunchType = 'in' | 'out'
export type PunchMethod = 'face' | 'badge' | 'pin' | 'manual' | 'auto'

/** What the kiosk screen needs to know about itself; sent once at start. */
export interface KioskInfo {
  product: 'Clockface'
  version: string
  site: { id: string; name: string }
  /** IANA zone the site's days and the idle clock are shown in. */
  timeZone: string
  language: Language
  /** How long the greeting card stays up, in seconds. */
  greetingSeconds: number
  /** How long after a punch its direction may still be switched, in seconds. */
  switchWindowSeconds: number
  badge: { minLength: number; maxLength: number; maxKeyIntervalMs: number }
  faces: FaceSettings
  /** Kiosk wall clock when the answer was made, RFC 3339 UTC. */
  now: string
}

export type LivenessMode = 'off' | 'blink' | 'turn' | 'either'

/** `face`: the face alone identifies; `faceAndBadge`: the badge names the person, the face verifies. */
export type FaceMode = 'face' | 'faceAndBadge'

/** What the screen needs to run the camera and face pipeline. */
export interface FaceSettings {
  enabled: boolean
  /** A camera label substring or device id; null picks the first camera. */
  camera: string | null
  mode: FaceMode
  /** Active liveness check before a face punch; 'off' records on identification alone. */
  liveness: LivenessMode
  /** Smallest face, in pixels of the camera frame, that is worth a descriptor. */
  minFaceSizePx: number
  /** Good samples an enrolment needs. */
  enrolmentSamples: number
}

/** A punch as the person at the kiosk and the admin see it. */
export interface PunchView {
  id: string
  employeeId: string
  employeeName: string
  type: PunchType
  method: PunchMethod
  /** RFC 3339 with the site's UTC offset, e.g. 2026-03-08T08:57:00+08:00. */
  occurredAt: string
  /** Wall-clock time at the site, HH:MM. */
  localTime: string
  /** The working day it belongs to in the site's zone, YYYY-MM-DD. */
  localDate: string
  late: boolean
  early: boolean
  /** True once its direction was switched or an admin corrected it. */
  corrected: boolean
}

/** An "in" whose check-out never came: the person is asked at their next punch. */
export interface ForgottenCheckout {
  openPunchId: string
  /** The working day it was left open on, YYYY-MM-DD, and its ISO weekday. */
  date: string
  weekday: number
  /** When the person checked in, HH:MM. */
  checkedInAt: string
  /** The schedule's end that day, HH:MM, when they have one: the one-tap answer. */
  scheduleEnd: string | null
}

export type PunchOutcome =
  | {
      status: 'recorded'
      punch: PunchView
      /** Until when "check out instead" may switch it, RFC 3339; null when it may not. */
      switchableUntil: string | null
      /** An earlier day this person never checked out of: ask them when they left. */
      forgotten?: ForgottenCheckout
    }
  | {
      /** A scan inside the duplicate window: nothing was recorded. */
      status: 'already'
      punch: PunchView
    }

/** What one face descriptor led to; agreement across frames is decided in main. */
export type FaceOutcome =
  /** Not enough agreeing frames yet: keep looking. */
  | { status: 'looking' }
  /** Frames agree that this is nobody enrolled: "not recognised, please scan your badge". */
  | { status: 'unknown' }
  /** Identified, but the liveness check has not passed yet: ask for a blink or a turn. */
  | { status: 'needs-liveness'; employeeId: string }
  /** Face-and-badge mode with no badge scanned: nobody is identified by face alone. */
  | { status: 'badge-first' }
  | PunchOutcome

/** What a badge scan led to; in face-and-badge mode an enrolled person's face must confirm it. */
export type BadgeOutcome =
  | PunchOutcome
  | {
      /** Nothing recorded yet: the person named by the badge must look at the camera. */
      status: 'verify-face'
      employeeId: string
      name: string
      /** When the chance to verify ends, RFC 3339; nothing is recorded after it. */
      until: string
    }

/** A person as the enrolment screen lists them. */
export interface FacePerson {
  id: string
  name: string
  /** Face templates stored for them. */
  templates: number
  consentSignedAt: string | null
}

export interface EnrolmentProgress {
  sessionId: string
  accepted: number
  needed: number
  /** Why the last sample was refused, if it was. */
  refused: 'matches-someone-else' | 'inconsistent' | null
}

export interface EmployeeSummary {
  id: string
  name: string
}

/** What a person may do at the kiosk: staff punch; supervisors and admins open admin mode. */
export type EmployeeRole = 'staff' | 'supervisor' | 'admin'

/** The roles that open admin mode. */
export type AdminRole = Exclude<EmployeeRole, 'staff'>

/**
 * What an admin-mode operation needs. Supervisors: `view` (day board, reports, audit trail,
 * punch lists) and `confirm` (pending corrections). Admins: everything, also `correct` (add,
 * amend, void punches), `faces` (enrol, erase), `uploads` (dead letters), `reconcile`.
 */
export type AdminPermission = 'view' | 'confirm' | 'correct' | 'faces' | 'uploads' | 'reconcile'

/** An unlocked admin mode; it locks itself after a few idle minutes. */
export interface AdminSession {
  /** When admin mode ends if no admin action comes first (ISO instant). */
  expiresAt: string
  /** When admin mode ends however busy it is; the PIN is asked again then (ISO instant). */
  endsAt: string
  /** The signed-in person's role; the shared admin PIN (break-glass) gives `admin`. */
  role: AdminRole
  /** Who signed in with badge and PIN; null for the shared admin PIN. */
  employeeId: string | null
  /** Their name as the roster has it; null for the shared admin PIN. */
  name: string | null
  /** What this role may do; main checks every call regardless. */
  permissions: AdminPermission[]
}

/** A punch the CRM refused: it waits for an admin to retry or discard it. */
export interface DeadLetterView {
  punchId: string
  employeeId: string
  employeeName: string
  type: PunchType
  occurredAt: string
  /** The CRM's reason, e.g. unknown_employee. */
  reason: string
  rejectedAt: string
}

export type SyncMode = 'offline-only' | 'online' | 'offline' | 'unauthorised'

export interface SyncStatus {
  mode: SyncMode
  /** Punches recorded but not yet answered for by the CRM. */
  pending: number
  oldestPendingAt: string | null
  /** Last upload or health check the CRM answered. */
  lastSyncAt: string | null
  offlineSince: string | null
  roster: RosterSyncStatus
  /** The last reconciliation with the CRM's receipts; null if none has run. */
  reconciliation: ReconciliationSummary | null
}

/** One reconciliation of the kiosk's punches with the CRM's receipts; times are RFC 3339. */
export interface ReconciliationSummary {
  ranAt: string
  /** The period compared, [from, to). */
  from: string
  to: string
  /** Punches of the period here (corrections included) and receipts of it at the CRM. */
  localCount: number
  remoteCount: number
  /** Punches the CRM lacked, put back in the upload queue. */
  requeued: number
  /** How many ids the CRM holds from this device that this kiosk never made. */
  unknownIds: number
}

/** What a reconciliation found: its summary and the first 100 unknown ids by name. */
export interface ReconciliationResult extends ReconciliationSummary {
  unknownIdList: string[]
}

/**
 * Where the staff list stands. `local`: no CRM, the roster is imported by CSV. `never`: no list
 * from the CRM yet. `fresh`: the last sync worked. `failing`: the last try failed but the list
 * is recent. `stale`: the last good sync is older than three sync intervals.
 */
export type RosterState = 'local' | 'never' | 'fresh' | 'failing' | 'stale'

export interface RosterSyncStatus {
  state: RosterState
  /** When the last complete roster sync from the CRM ended; null if none yet. */
  lastSyncAt: string | null
  /** Roster syncs failed in a row since the last good one. */
  failures: number
}
