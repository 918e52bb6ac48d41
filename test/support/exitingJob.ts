/** A worker job that ends its thread without answering (for the runParallel test). */
export function exitQuietly(): number {
  process.exit(0);
}
