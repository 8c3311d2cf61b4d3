/** 1:N face matching in core: the template index, per-frame decisions and frame agreement. */
export {
  decide,
  FrameAgreement,
  type Agreement,
  type Decision,
  type DecisionLimits,
} from './decide'
export { TemplateIndex, type NearestPerson } from './template-index'
