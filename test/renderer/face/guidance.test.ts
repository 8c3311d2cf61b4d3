/**
 * What a face seen but not usable is told: the worst problem first, never silence while the
 * person is not yet steady, and a turned face asked to look at the camera (a real photo turned
 * past the pose gate gives `not-frontal`: test/cli/faces-quality.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { guidanceFor } from '../../../renderer/src/face/guidance'
import { faceEn } from '../../../renderer/src/i18n/face-en'
import { faceZhCN as faceZh } from '../../../renderer/src/i18n/face-zh-cn'

describe('guidance for a face', () => {
  it('asks a turned face to look at the camera, in both languages', () => {
    const said = guidanceFor(['not-frontal'], true)
    expect(said).toBe('lookAtCamera')
    expect(faceEn[`face.guide.${said!}`]).toBe('Look at the camera')
    expect(faceZh[`face.guide.${said!}`]).toBe('请看向摄像头')
  })

  it('names the worst problem first: distance, then light, then pose, then blur', () => {
    expect(guidanceFor(['blurry', 'not-frontal', 'too-dark', 'too-small'], true)).toBe('moveCloser')
    expect(guidanceFor(['blurry', 'not-frontal', 'too-dark'], true)).toBe('moreLight')
    expect(guidanceFor(['blurry', 'not-frontal'], true)).toBe('lookAtCamera')
    expect(guidanceFor(['blurry'], true)).toBe('holdStill')
  })

  it('says hold still to a good face that is not yet steady, nothing once it is', () => {
    expect(guidanceFor([], false)).toBe('holdStill')
    expect(guidanceFor([], true)).toBeNull()
  })

  it('while liveness asks for a turn, the turn itself is not a problem', () => {
    expect(guidanceFor(['not-frontal'], true, 'turn')).toBe('turn')
    expect(guidanceFor(['not-frontal', 'too-dark'], true, 'blink-or-turn')).toBe('moreLight')
  })
})
