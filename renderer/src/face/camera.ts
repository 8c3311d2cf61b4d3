/**
 * The kiosk camera: the configured one (a label substring or a device id) or the first, at about
 * 640x480. Failures are sorted into what the admin can act on: no camera, access refused, or a
 * camera that is there but not working (busy, unplugged mid-way).
 */

export type CameraProblem = 'missing' | 'denied' | 'error'

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    message: string,
  ) {
    super(message)
    this.name = 'CameraError'
  }
}

const frameSize = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } }

function classify(error: unknown): CameraError {
  if (error instanceof CameraError) return error
  const name = error instanceof DOMException ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return new CameraError('missing', `no camera: ${message}`)
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new CameraError('denied', `camera access refused: ${message}`)
  }
  return new CameraError('error', `camera failed: ${message}`)
}

async function videoInputs(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices()
  return devices.filter((device) => device.kind === 'videoinput')
}

function matches(device: MediaDeviceInfo, choice: string): boolean {
  return device.deviceId === choice || device.label.toLowerCase().includes(choice.toLowerCase())
}

/** Stops every track of a stream; the camera light goes off. */
export function closeCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop()
}

/** Opens the chosen camera (null: the first); rejects with a CameraError. */
export async function openCamera(choice: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('missing', 'this screen has no camera support')
  }
  try {
    if (!choice)
      return await navigator.mediaDevices.getUserMedia({ video: frameSize, audio: false })
    // Labels stay empty until camera access is granted: ask once, then pick by label.
    let found = (await videoInputs()).find((device) => matches(device, choice))
    if (!found) {
      closeCamera(await navigator.mediaDevices.getUserMedia({ video: true, audio: false }))
      found = (await videoInputs()).find((device) => matches(device, choice))
    }
    if (!found) throw new CameraError('missing', `no camera matches "${choice}"`)
    return await navigator.mediaDevices.getUserMedia({
      video: { ...frameSize, deviceId: { exact: found.deviceId } },
      audio: false,
    })
  } catch (error) {
    throw classify(error)
  }
}
