import { describeConformance } from '../conformance'
import { dingtalkTarget } from './target'

describeConformance(dingtalkTarget)
