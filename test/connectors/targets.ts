/** Every system under the shared checks, for the drain benchmark: one per `crm.kind`. */
import { clockfaceTarget } from './clockface/target'
import { dingtalkTarget } from './dingtalk/target'
import { feishuTarget } from './feishu/target'
import { frappeTarget } from './frappe/target'
import { fakeOdooTarget } from './odoo/target'
import type { ConnectorTarget } from './target'
import { wecomTarget } from './wecom/target'
import { zktecoAdmsTarget } from './zkteco-adms/target'

export const connectorTargets: readonly ConnectorTarget[] = [
  clockfaceTarget,
  zktecoAdmsTarget,
  wecomTarget,
  feishuTarget,
  fakeOdooTarget,
  frappeTarget,
  dingtalkTarget,
]
