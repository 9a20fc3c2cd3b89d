package org.newsroom.membership.testing;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Where a benchmark phase's CPU went, which says what bounds it independent of how busy the machine
 * was: the server's JVM, this JVM (the benchmark's client and doubles), and PostgreSQL's processes
 * (every one on the machine, so other runs on the same cluster count too; a backend that exited
 * during the phase is missed).
 */
public record CpuUsage(long serverNanos, long clientNanos, long postgresNanos) {

  public static CpuUsage now(ProcessHandle server) {
    long clientNanos =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    long postgresNanos =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
            .mapToLong(CpuUsage::cpuNanos)
            .sum();
    return new CpuUsage(cpuNanos(server), clientNanos, postgresNanos);
  }

  /** "server 12.3 s (0.41 ms per delivery), client …, PostgreSQL …" since {@code before}. */
  public String since(CpuUsage before, long units, String unit) {
    return String.format(
        "server CPU %s, client CPU %s, PostgreSQL CPU %s",
        share(serverNanos - before.serverNanos, units, unit),
        share(clientNanos - before.clientNanos, units, unit),
        share(postgresNanos - before.postgresNanos, units, unit));
  }

  private static String share(long nanos, long units, String unit) {
    return String.format("%.1f s (%.2f ms per %s)", nanos / 1e9, nanos / 1e6 / units, unit);
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
