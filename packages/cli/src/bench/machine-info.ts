/**
 * The machine a throughput figure was measured on: a ratio to PyTorch holds only for the CPU it was measured on
 * (the same code ran at 0.54× on one 2-vCPU machine and 0.31× on another), and only at the load the machine had.
 * Read from `/proc/cpuinfo` (what `lscpu` prints) where it exists, else from Node's `os`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** Vector extensions worth naming, widest first (the flags of /proc/cpuinfo). */
const VECTOR_FLAGS = ['avx512f', 'avx512_bf16', 'avx512_vnni', 'amx_tile', 'avx2', 'fma', 'avx', 'sse4_2', 'asimd', 'sve'];

/** CPU, vector extensions, cores, load average and date of a measurement. */
export interface MachineInfo {
  /** CPU model name, e.g. `AMD EPYC 9R14` or `Intel(R) Xeon(R) Processor`. */
  cpu: string;
  /** Vector extensions the CPU has, widest first (`avx512f`, `avx2`, `fma`, …). */
  vectorExtensions: string[];
  /** Logical cores available to this process. */
  cores: number;
  /** 1-minute load average when read (other jobs sharing the cores). */
  loadAverage: number;
  /** ISO date and time (UTC) when read. */
  date: string;
}

/** Reads {@link MachineInfo} now. */
export function machineInfo(): MachineInfo {
  let cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  let flags: string[] = [];
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? cpu;
    flags = (/^(?:flags|Features)\s*:\s*(.+)$/m.exec(text)?.[1] ?? '').split(/\s+/);
  } catch {
    // Not Linux: the model name from os.cpus() only.
  }
  return {
    cpu,
    vectorExtensions: VECTOR_FLAGS.filter((f) => flags.includes(f)),
    cores: availableParallelism(),
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  };
}

/** One line naming the machine: `Intel(R) Xeon(R) Processor (avx512f, avx2, fma), 2 cores, load 1.20, 2026-12-07T15:00Z`. */
export function describeMachine(info: MachineInfo): string {
  const vectors = info.vectorExtensions.length ? ` (${info.vectorExtensions.join(', ')})` : '';
  return `${info.cpu}${vectors}, ${info.cores} cores, load ${info.loadAverage.toFixed(2)}, ${info.date.slice(0, 16)}Z`;
}
