import { describeConformance } from '../conformance'
import { wecomTarget } from './target'

describeConformance(wecomTarget)
