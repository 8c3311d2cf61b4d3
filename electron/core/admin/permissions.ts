/**
 * Who may do what in admin mode. Supervisors watch and decide on what people asked for;
 * admins may everything. Every admin-mode operation names the permission it needs and asks
 * the AdminGuard, so the check is in core whatever the screen shows.
 */
import type { AdminPermission, AdminRole, EmployeeRole } from '../../shared/types'

/** Every permission, for domains that name what their operations need. */
export const adminPermissions = [
  'view',
  'confirm',
  'correct',
  'faces',
  'uploads',
  'reconcile',
] as const satisfies readonly AdminPermission[]

/** What each permission lets one do, for refusals; a Record, so none can be left out. */
export const permissionWording: Record<AdminPermission, string> = {
  view: 'see the day board, reports, punches and the audit trail',
  confirm: 'confirm or reject corrections people asked for',
  correct: 'add, amend or void punches',
  faces: 'enrol or erase face data',
  uploads: 'retry or discard punches the CRM refused',
  reconcile: 'reconcile the record with the CRM',
}

const granted: Record<AdminRole, readonly AdminPermission[]> = {
  supervisor: ['view', 'confirm'],
  admin: adminPermissions,
}

/** The permissions a role holds in admin mode, in list order. */
export function permissionsOf(role: AdminRole): AdminPermission[] {
  return [...granted[role]]
}

/** True when the role holds the permission. */
export function mayDo(role: AdminRole, permission: AdminPermission): boolean {
  return granted[role].includes(permission)
}

/** True for the roles that open admin mode. */
export function isAdminRole(role: EmployeeRole): role is AdminRole {
  return role !== 'staff'
}

/** Who acts in admin mode, as the audit trail and the records name them. */
export interface AdminActor {
  /** For `actor` columns: `employee:E7`, or `break-glass` for the shared admin PIN. */
  id: string
  employeeId: string | null
  name: string | null
  role: AdminRole
}

/** The actor behind the shared admin PIN: an admin with no name. */
export const breakGlassActor: AdminActor = Object.freeze({
  id: 'break-glass',
  employeeId: null,
  name: null,
  role: 'admin',
})

/** The actor for a person who signed in with their own badge and PIN. */
export function employeeActor(employee: { id: string; name: string }, role: AdminRole): AdminActor {
  return { id: `employee:${employee.id}`, employeeId: employee.id, name: employee.name, role }
}
