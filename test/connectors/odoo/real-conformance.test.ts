/** The shared connector checks against the real Odoo 19 (skipped without the kit; CI has it). */
import { describe } from 'vitest'
import { describeConformance } from '../conformance'
import { hasOdooKit } from './real-odoo'
import { realOdooTarget } from './target'

describe.skipIf(!hasOdooKit)('real Odoo 19', () =>
  describeConformance(realOdooTarget, { punches: 40, faultShare: 0.02 }),
)
