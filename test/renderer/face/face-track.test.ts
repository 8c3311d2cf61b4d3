import { describe, expect, it } from 'vitest'
import { FaceTracker, type Box } from '../../../renderer/src/face/face-track'

const box = (x: number, y: number, size = 100): Box => ({ x, y, width: size, height: size })

describe('face tracker', () => {
  it('counts the frames a face holds still', () => {
    const tracker = new FaceTracker()
    expect(tracker.update(box(200, 100), 0)?.steadyFrames).toBe(1)
    expect(tracker.update(box(202, 101), 100)?.steadyFrames).toBe(2)
    expect(tracker.update(box(240, 100), 200)).toMatchObject({ id: 1, steadyFrames: 1 })
  })

  it('keeps following a person who moves and talks between two frames of a busy kiosk', () => {
    const tracker = new FaceTracker()
    tracker.update(box(200, 100), 0)
    // 250 ms later: the head moved 0.6 of its width and the detector drew it a fifth larger.
    expect(tracker.update(box(250, 90, 120), 250)?.id).toBe(1)
    expect(tracker.update(box(190, 100, 105), 500)?.id).toBe(1)
  })

  it('starts a new track for a face elsewhere, of another size, or after the face left', () => {
    const tracker = new FaceTracker()
    tracker.update(box(100, 100), 0)
    expect(tracker.update(box(400, 100), 100)?.id).toBe(2)
    expect(tracker.update(box(380, 90, 230), 200)?.id).toBe(3)
    expect(tracker.update(null, 300)).toBeNull()
    expect(tracker.update(box(380, 90, 230), 1200)?.id).toBe(4)
  })
})
