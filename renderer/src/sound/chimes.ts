/**
 * Feedback sounds synthesised with WebAudio (no asset files): a soft rising two-note chime for
 * a recorded punch, a low falling double buzz for a refusal. Sound is a courtesy: if audio is
 * unavailable or blocked, nothing else on the screen may notice.
 */

interface Note {
  frequency: number
  /** Start, seconds after the sound begins. */
  at: number
  duration: number
  wave: OscillatorType
  gain: number
}

const SUCCESS: Note[] = [
  { frequency: 880, at: 0, duration: 0.18, wave: 'sine', gain: 0.22 },
  { frequency: 1318.5, at: 0.12, duration: 0.38, wave: 'sine', gain: 0.2 },
]

const FAILURE: Note[] = [
  { frequency: 311, at: 0, duration: 0.16, wave: 'square', gain: 0.07 },
  { frequency: 233, at: 0.2, duration: 0.28, wave: 'square', gain: 0.07 },
]

let context: AudioContext | null | undefined

function audio(): AudioContext | null {
  if (context !== undefined) return context
  try {
    const Context = globalThis.AudioContext as typeof AudioContext | undefined
    context = Context ? new Context() : null
  } catch {
    context = null
  }
  return context
}

function play(notes: Note[]): void {
  try {
    const ctx = audio()
    if (!ctx) return
    // Autoplay rules may start the context suspended until the first touch; resuming is enough.
    if (ctx.state === 'suspended') ctx.resume().catch(() => undefined)
    const start = ctx.currentTime + 0.01
    for (const note of notes) {
      const oscillator = ctx.createOscillator()
      const envelope = ctx.createGain()
      oscillator.type = note.wave
      oscillator.frequency.value = note.frequency
      const begin = start + note.at
      const end = begin + note.duration
      // Short attack and exponential release: no clicks at either end.
      envelope.gain.setValueAtTime(0.0001, begin)
      envelope.gain.exponentialRampToValueAtTime(note.gain, begin + 0.015)
      envelope.gain.exponentialRampToValueAtTime(0.0001, end)
      oscillator.connect(envelope).connect(ctx.destination)
      oscillator.start(begin)
      oscillator.stop(end + 0.02)
    }
  } catch {
    // A broken audio device must never break a punch.
  }
}

/** The pleasant chime after a punch was recorded (or was already recorded). */
export function playSuccessChime(): void {
  play(SUCCESS)
}

/** The distinctly different sound for a refused badge, PIN or switch. */
export function playFailureSound(): void {
  play(FAILURE)
}
