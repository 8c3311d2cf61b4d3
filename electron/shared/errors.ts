/**
 * Error codes that cross the process boundary. The renderer decides what to show from the
 * code alone; messages are for logs and developers, never parsed.
 */
export const ErrorCode = {
  InvalidPayload: 'INVALID_PAYLOAD',
  UnknownOperation: 'UNKNOWN_OPERATION',
  ForbiddenSender: 'FORBIDDEN_SENDER',
  BadgeUnreadable: 'BADGE_UNREADABLE',
  BadgeUnknown: 'BADGE_UNKNOWN',
  /** No staff list has arrived from the CRM yet, so an unrecognised badge cannot be judged. */
  RosterNotLoaded: 'ROSTER_NOT_LOADED',
  /** Too many unknown badges lately: every badge waits until `details.retryAt`. */
  BadgeRateLimited: 'BADGE_RATE_LIMITED',
  EmployeeUnknown: 'EMPLOYEE_UNKNOWN',
  EmployeeInactive: 'EMPLOYEE_INACTIVE',
  PinNotSet: 'PIN_NOT_SET',
  PinWrong: 'PIN_WRONG',
  PinLocked: 'PIN_LOCKED',
  SwitchExpired: 'SWITCH_EXPIRED',
  AdminRequired: 'ADMIN_REQUIRED',
  AdminNotConfigured: 'ADMIN_NOT_CONFIGURED',
  /** Admin mode is open, but the signed-in person's role does not allow this operation. */
  PermissionDenied: 'PERMISSION_DENIED',
  FacesDisabled: 'FACES_DISABLED',
  /** Face-and-badge mode: the badge holder's face did not confirm the badge in time. */
  FaceNotVerified: 'FACE_NOT_VERIFIED',
  EnrolmentUnknown: 'ENROLMENT_UNKNOWN',
  EnrolmentIncomplete: 'ENROLMENT_INCOMPLETE',
  PunchUnknown: 'PUNCH_UNKNOWN',
  /** The punch was corrected or voided already: only its latest version may be corrected. */
  PunchSuperseded: 'PUNCH_SUPERSEDED',
  /** A correction that cannot be: a time in the future, before the check-in, or missing. */
  CorrectionInvalid: 'CORRECTION_INVALID',
  RequestUnknown: 'REQUEST_UNKNOWN',
  /** The request was confirmed or rejected already, or the question was answered already. */
  RequestDecided: 'REQUEST_DECIDED',
  /** The question belonged to a punch made too long ago to answer for it now. */
  AnswerExpired: 'ANSWER_EXPIRED',
  /** The CRM could not be asked for its receipts, or answered them wrongly; nothing changed. */
  ReconcileFailed: 'RECONCILE_FAILED',
  StoreFailed: 'STORE_FAILED',
  Internal: 'INTERNAL',
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export type ErrorDetails = Record<string, string | number | boolean | null>

/** An error meant for the person at the kiosk: it keeps its code across IPC and HTTP. */
export class ClockfaceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message)
    this.name = 'ClockfaceError'
  }
}

export interface ErrorBody {
  code: ErrorCode
  message: string
  details?: ErrorDetails
}

/** What every operation answers, whatever the transport. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody }

/** Turns an envelope back into a value or a thrown ClockfaceError on the calling side. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw new ClockfaceError(envelope.error.code, envelope.error.message, envelope.error.details)
}

/** Anything thrown by a handler, as the error body the other side receives. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ClockfaceError) {
    return { code: error.code, message: error.message, details: error.details }
  }
  return { code: ErrorCode.Internal, message: 'Something went wrong inside the kiosk.' }
}
