import { describeConformance } from '../conformance'
import { dingtalkTarget } from './target'

// One call per punch: a shorter fault run keeps this file near a minute on a loaded machine.
describeConformance(dingtalkTarget, { punches: 50 })
