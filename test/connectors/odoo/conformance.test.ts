/** The shared connector checks against the fake Odoo. */
import { describeConformance } from '../conformance'
import { fakeOdooTarget } from './target'

describeConformance(fakeOdooTarget)
