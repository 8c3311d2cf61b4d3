import { describeConformance } from '../conformance'
import { zktecoAdmsTarget } from './target'

describeConformance(zktecoAdmsTarget)
