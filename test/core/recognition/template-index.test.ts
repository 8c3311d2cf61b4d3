/**
 * The template index answers "who is nearest" exactly as a brute-force search would, keeps
 * its matrix dense through replacements and removals, and on real faces finds the right
 * person and only the right person.
 */
import { describe, expect, it } from 'vitest'
import { decide, TemplateIndex, type NearestPerson } from '../../../electron/core/recognition'
import { describeWithFaces, realDescriptors, shippedFaces } from '../../fixtures/faces'

/** Deterministic pseudo-random descriptors. */
function generator(seed: number) {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648 - 0.5
  }
  return () => Float32Array.from({ length: 128 }, next)
}

function bruteForce(people: Map<string, Float32Array[]>, q: Float32Array): NearestPerson[] {
  const distance = (a: Float32Array) => Math.sqrt(a.reduce((s, x, k) => s + (x - q[k]!) ** 2, 0))
  return [...people]
    .map(([employeeId, vectors]) => ({ employeeId, distance: Math.min(...vectors.map(distance)) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 2)
}

describe.each(['auto', 'js'] as const)('template index (%s kernel)', (kernel) => {
  it('finds the nearest and the next different person, through replacements and removals', () => {
    const random = generator(7)
    const index = new TemplateIndex({ kernel })
    const people = new Map<string, Float32Array[]>()
    const enrol = (id: string, count: number) => {
      const vectors = Array.from({ length: count }, random)
      people.set(id, vectors)
      index.set(id, vectors)
    }
    for (let p = 0; p < 200; p++) enrol(`E${p}`, 1 + (p % 5))
    for (let p = 0; p < 200; p += 3) {
      index.remove(`E${p}`)
      people.delete(`E${p}`)
    }
    for (let p = 1; p < 200; p += 7) enrol(`E${p}`, 2)
    expect(index.people).toBe(people.size)
    expect(index.size).toBe([...people.values()].reduce((n, v) => n + v.length, 0))
    for (let i = 0; i < 50; i++) {
      const q = random()
      const [best, second] = index.nearestPeople(q)
      const [expectedBest, expectedSecond] = bruteForce(people, q)
      expect(best!.employeeId).toBe(expectedBest!.employeeId)
      expect(best!.distance).toBeCloseTo(expectedBest!.distance, 4)
      expect(second!.employeeId).toBe(expectedSecond!.employeeId)
      expect(second!.distance).toBeCloseTo(expectedSecond!.distance, 4)
    }
  })

  it('answers with fewer people when fewer are enrolled, and none when empty', () => {
    const random = generator(3)
    const index = new TemplateIndex({ kernel })
    const q = random()
    expect(index.nearestPeople(q)).toEqual([])
    index.set('E1', [random(), random()])
    expect(index.nearestPeople(q).map((p) => p.employeeId)).toEqual(['E1'])
    index.set('E1', [])
    expect(index.size).toBe(0)
    expect(index.nearestPeople(q)).toEqual([])
    index.remove('nobody')
  })

  it('grows past its first capacity and a template finds itself at distance 0', () => {
    const random = generator(11)
    const index = new TemplateIndex({ kernel })
    const all = Array.from({ length: 3000 }, random)
    all.forEach((v, i) => index.set(`E${i}`, [v]))
    const [best] = index.nearestPeople(all[1234]!)
    expect(best).toEqual({ employeeId: 'E1234', distance: expect.closeTo(0, 3) })
  })
})

describe('template index input', () => {
  it('refuses descriptors that are not 128 finite numbers', () => {
    const index = new TemplateIndex()
    expect(() => index.set('E1', [new Float32Array(64)])).toThrow(RangeError)
    expect(() => index.nearestPeople(new Float32Array(129))).toThrow(RangeError)
    expect(() => index.set('E1', [new Float32Array(128).fill(Number.NaN)])).toThrow(RangeError)
    expect(index.size).toBe(0)
  })
})

describeWithFaces('template index on real faces', () => {
  it('identifies a person from a new photo and turns a stranger away', async () => {
    const [o1, o2, o3, oProbe] = await realDescriptors(
      'enrolled/obama/obama.jpg',
      'enrolled/obama/obama1.jpg',
      'enrolled/obama/obama2.jpg',
      'enrolled/obama/obama3.jpg',
    )
    const [a1, a2, a3, b1, b2, b3, biden] = await realDescriptors(
      'enrolled/deepface_A/img1.jpg',
      'enrolled/deepface_A/img10.jpg',
      'enrolled/deepface_A/img11.jpg',
      'enrolled/deepface_B/img26.jpg',
      'enrolled/deepface_B/img27.jpg',
      'enrolled/deepface_B/img28.jpg',
      'impostors/biden/biden.jpg',
    )
    const index = new TemplateIndex()
    index.set('obama', [o1!, o2!, o3!])
    index.set('A', [a1!, a2!, a3!])
    index.set('B', [b1!, b2!, b3!])
    const limits = { threshold: shippedFaces.threshold, margin: shippedFaces.margin }
    expect(decide(index.nearestPeople(oProbe!), limits)).toMatchObject({
      kind: 'match',
      employeeId: 'obama',
    })
    expect(decide(index.nearestPeople(biden!), limits)).toMatchObject({ kind: 'unknown' })
    index.remove('obama')
    expect(decide(index.nearestPeople(oProbe!), limits)).toMatchObject({ kind: 'unknown' })
  })
})
