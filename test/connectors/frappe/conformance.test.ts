import { describeConformance } from '../conformance'
import { frappeTarget } from './target'

// One call per punch through faults that break four requests in ten: 60 punches keep the file
// within its minute on a shared machine and still cross three kills.
describeConformance(frappeTarget, { punches: 60 })
