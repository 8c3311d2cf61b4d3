/**
 * The shared connector checks against the fake Odoo. Odoo takes about two requests a punch, so
 * the fault run is shorter and breaks fewer requests than for a batch API, to stay within a
 * minute or two here.
 */
import { describeConformance } from '../conformance'
import { fakeOdooTarget } from './target'

describeConformance(fakeOdooTarget, { punches: 40, faultShare: 0.02 })
