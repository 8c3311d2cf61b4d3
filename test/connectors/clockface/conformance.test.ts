import { describeConformance } from '../conformance'
import { clockfaceTarget } from './target'

describeConformance(clockfaceTarget)
