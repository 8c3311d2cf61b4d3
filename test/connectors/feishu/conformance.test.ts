import { describeConformance } from '../conformance'
import { feishuTarget } from './target'

describeConformance(feishuTarget)
