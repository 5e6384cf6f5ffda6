// Memory utilities the benchmark uses to state its limits: the same bytes moved by the engine's
// own memory.copy (bulk memory), the floor under any kernel that reads and writes them.

/** Copies n floats from src to dst (byte addresses) with memory.copy. */
export function copyFloats(src: usize, dst: usize, n: usize): void {
  memory.copy(dst, src, n << 2);
}
