/** English texts; the source of the message keys every language must provide. */
export const en = {
  'app.starting': 'Starting Clockface…',
  'app.failedTitle': 'The kiosk cannot start',
  'app.failedBody': 'The attendance service is not answering. Please tell the front desk or IT.',
  'app.retrying': 'Trying again by itself every few seconds.',
  'app.retry': 'Try again now',

  'kiosk.instruction': 'Scan your badge or use your PIN',
  'kiosk.usePin': 'Use PIN',

  'greeting.checkedIn': 'Checked in {time}',
  'greeting.checkedOut': 'Checked out {time}',
  'greeting.late': 'Late',
  'greeting.early': 'Left early',
  'greeting.checkOutInstead': 'Check out instead',
  'greeting.checkInInstead': 'Check in instead',
  'already.in': 'Already checked in at {time}',
  'already.out': 'Already checked out at {time}',
  'already.nothingNew': 'Nothing new was recorded.',

  'error.notRecorded': 'Not recorded',
  'error.notChanged': 'Not changed',
  'error.badgeUnknown': 'This badge is not known. Please use your PIN or ask the front desk.',
  'error.badgeUnreadable': 'The badge could not be read. Please scan again.',
  'error.employeeUnknown': 'This person is not known here. Please ask the front desk.',
  'error.employeeInactive': 'This person is not active. Please ask the front desk.',
  'error.pinNotSet': 'No PIN has been set for you yet. Please ask the front desk.',
  'error.pinWrong': 'Wrong PIN. Attempts left: {count}.',
  'error.pinWrongNoCount': 'Wrong PIN. Please try again.',
  'error.pinLocked': 'Too many wrong PINs. Please try again after {time}.',
  'error.pinLockedNoTime': 'Too many wrong PINs. Please try again later.',
  'error.switchExpired': 'It is too late to change that punch. Please ask the front desk.',
  'error.punchUnknown': 'That punch could not be found. Please ask the front desk.',
  'error.storeFailed': 'The punch could not be saved. Please try again or tell the front desk.',
  'error.internal': 'Something went wrong. Please try again.',

  'pin.title': 'Check in or out with your PIN',
  'pin.searchLabel': 'Your name or employee number',
  'pin.searchPlaceholder': 'Start typing…',
  'pin.noMatches': 'Nobody found. Please check the spelling.',
  'pin.enterPin': '{name}, enter your PIN',
  'pin.pinEntered': '{count} digits entered',
  'pin.clear': 'Clear',
  'pin.submit': 'OK',
  'pin.cancel': 'Cancel',
  'pin.notYou': 'Not you?',

  'sync.offlineOnly': 'Offline only',
  'sync.allUploaded': 'All punches uploaded',
  'sync.waiting': '{count} waiting to upload',
  'sync.offlineSince': '{count} waiting, offline since {time}',
  'sync.offline': '{count} waiting, offline',
  'sync.unauthorised': 'Device not authorised',
  'sync.unauthorisedWaiting': 'Device not authorised, {count} waiting',
}

export type MessageKey = keyof typeof en
/** A complete message table: every key, nothing more (the compiler checks both). */
export type Messages = Record<MessageKey, string>
