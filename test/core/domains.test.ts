/**
 * Core is cut along the contract's domains: an operation on channel `X:verb` is implemented in
 * electron/core/X/handlers.ts, which lists it in its `XOperations`, and nowhere else.
 */
import { existsSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { operations, type OperationName } from '../../electron/shared/contract'

const core = resolve(import.meta.dirname, '../../electron/core')

function domainOf(name: OperationName): string {
  return operations[name].channel.split(':')[0]!
}

describe('core domains', () => {
  const names = Object.keys(operations) as OperationName[]
  const domains = [...new Set(names.map(domainOf))]

  it('has one handlers module per channel prefix, in the folder of that name', () => {
    for (const domain of domains) {
      expect(existsSync(resolve(core, domain, 'handlers.ts')), domain).toBe(true)
    }
  })

  it('implements each operation in the module its channel names, and only there', async () => {
    const claimed = new Map<string, string>()
    for (const folder of readdirSync(core, { withFileTypes: true })) {
      if (!folder.isDirectory() || !existsSync(resolve(core, folder.name, 'handlers.ts'))) continue
      const module = (await import(resolve(core, folder.name, 'handlers.ts'))) as Record<
        string,
        unknown
      >
      const list = module[`${folder.name}Operations`]
      expect(Array.isArray(list), `${folder.name}/handlers.ts lists its operations`).toBe(true)
      for (const name of list as OperationName[]) {
        expect(claimed.get(name), `${name} claimed twice`).toBeUndefined()
        claimed.set(name, folder.name)
        expect(domainOf(name), `${name} lives in ${folder.name}/`).toBe(folder.name)
      }
    }
    expect([...claimed.keys()].sort()).toEqual([...names].sort())
  })

  it('keeps the composition root free of handlers', () => {
    expect(existsSync(resolve(core, 'handlers.ts'))).toBe(false)
  })
})
