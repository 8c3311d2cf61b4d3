import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
})

/** The chimes keep one AudioContext per page, so each case loads the module afresh. */
async function freshChimes() {
  vi.resetModules()
  return import('../../renderer/src/sound/chimes')
}

/** Records the notes played; enough of WebAudio for the chimes. */
function fakeAudioContext(played: number[][]) {
  return class {
    state = 'running'
    currentTime = 0
    destination = {}
    private notes: number[] = []
    constructor() {
      played.push(this.notes)
    }
    createOscillator() {
      const notes = this.notes
      return {
        type: 'sine',
        frequency: {
          set value(hz: number) {
            notes.push(hz)
          },
        },
        connect: (node: unknown) => node,
        start: () => undefined,
        stop: () => undefined,
      }
    }
    createGain() {
      const param = { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() }
      return { gain: param, connect: (node: unknown) => node }
    }
    resume() {
      return Promise.resolve()
    }
  }
}

describe('chimes', () => {
  it('stay silent, and harmless, where there is no WebAudio', async () => {
    vi.stubGlobal('AudioContext', undefined)
    const { playSuccessChime, playFailureSound } = await freshChimes()

    expect(() => playSuccessChime()).not.toThrow()
    expect(() => playFailureSound()).not.toThrow()
  })

  it('stay harmless when the audio device cannot be opened', async () => {
    vi.stubGlobal(
      'AudioContext',
      class {
        constructor() {
          throw new Error('NotAllowedError')
        }
      },
    )
    const { playSuccessChime, playFailureSound } = await freshChimes()

    expect(() => playSuccessChime()).not.toThrow()
    expect(() => playFailureSound()).not.toThrow()
  })

  it('sound rising for success and falling for failure, from one audio context', async () => {
    const played: number[][] = []
    vi.stubGlobal('AudioContext', fakeAudioContext(played))
    const { playSuccessChime, playFailureSound } = await freshChimes()

    playSuccessChime()
    const success = [...played[0]!]
    playFailureSound()
    const failure = played[0]!.slice(success.length)

    expect(played).toHaveLength(1)
    expect(success[1]!).toBeGreaterThan(success[0]!)
    expect(failure[1]!).toBeLessThan(failure[0]!)
    expect(Math.max(...failure)).toBeLessThan(Math.min(...success))
  })
})
