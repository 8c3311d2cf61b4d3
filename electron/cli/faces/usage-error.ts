/** A mistake in how a faces command was called; the CLI prints it without a stack. */
export class FacesUsageError extends Error {}
