/**
 * What the shared connector checks (conformance.ts) and the drain benchmark need of an HR
 * system under test: a fake built from its published contract, or the real server.
 */
import type { CrmKind } from '../../electron/core/connectors/connector'

/** Someone the system knows; the kiosk knows them by the same id. */
export interface TargetPerson {
  /** The kiosk's employee id, which the connector maps to the system's identity. */
  id: string
  name: string
  /** The badge the kiosk knows them by; a system that has a roster lists it for them. */
  badge: string
}

/** A punch as the system holds it, in the kiosk's terms. */
export interface HeldPunch {
  employeeId: string
  /** The instant, ms since the epoch (whole seconds where the system keeps seconds). */
  at: number
  /** Absent where the system keeps no direction of its own (it decides by its schedule). */
  type?: 'in' | 'out'
}

export interface TargetSystem {
  /** Base URL the connector talks to (a fault proxy may stand in front of it). */
  url: string
  /**
   * The kiosk config's `crm` section for talking to the system at `url` (a proxy's URL or this
   * one's); `kind` included. The shared keys (timeouts, retry) are added by the caller.
   */
  crm(url: string): Record<string, unknown>
  /** Every punch the system holds from this kiosk, oldest first. */
  held(): Promise<HeldPunch[]>
  /**
   * Makes the system refuse this person's punches for good (inactive, deleted); absent where
   * the protocol has no refusal of a punch (see `ConnectorTarget.refusals`).
   */
  refuse?(employeeId: string): Promise<void>
  /** A dead letter's reason for a refused person, as the system words it. */
  refusedReason?: RegExp
  stop(): Promise<void>
}

export interface ConnectorTarget {
  kind: CrmKind
  /** Who answers, for test names ("fake Odoo 19 (JSON-2)", "real Odoo 19"). */
  label: string
  /**
   * Starts the system in `dir` knowing `staff`. `zone` is the kiosk site's zone, for systems
   * that keep local wall times (set the system's own zone to it).
   */
  start(dir: string, staff: readonly TargetPerson[], zone: string): Promise<TargetSystem>
  /** One request per punch (report-only in the benchmark), or batches. */
  perPunch: boolean
  /** The system can refuse a person's punch (its reason then becomes a dead letter). */
  refusals: boolean
}
