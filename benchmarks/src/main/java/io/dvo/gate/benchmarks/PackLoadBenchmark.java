package io.dvo.gate.benchmarks;

import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPackLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading and compiling a generated pack ({@link WideRules}) the way the server does at start:
 * {@link PolicyPackLoader#load} (read, parse, validate, compile once to check) and then {@code
 * pack().engine()}. Single shots, each in a warm JVM; {@code -prof gc} gives the allocation. The
 * heap the compiled engine keeps is printed by {@link #main} (used heap after full GCs, before and
 * after).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class PackLoadBenchmark {
  @Param({"10000"})
  public int rules;

  private Path pack;

  @Setup
  public void setUp() throws Exception {
    pack = WideRules.writePack(rules);
  }

  static PolicyEngine loadAndCompile(Path pack) {
    Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(pack);
    if (!loaded.ok()) {
      throw new IllegalStateException(loaded.problems().toString());
    }
    return loaded.value().engine();
  }

  @Benchmark
  public PolicyEngine loadAndCompile() {
    return loadAndCompile(pack);
  }

  /**
   * {@code java -cp benchmarks.jar io.dvo.gate.benchmarks.PackLoadBenchmark [rules] [warm loads]}:
   * the first load in a fresh JVM, the heap the loaded pack plus engine retain, then {@code warm
   * loads} more in the same JVM. Each load prints its wall time and the CPU time of the loading
   * thread (which a loaded machine inflates far less than wall time; JIT and GC threads are extra).
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int warm = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = WideRules.writePack(count);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = usedAfterGc(memory);
    long start = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(dir);
    PolicyEngine engine = loaded.value().engine();
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    long after = usedAfterGc(memory);
    System.out.printf(
        "rules=%d cold_load_compile_ms=%d cold_thread_cpu_ms=%d retained_heap_mb=%.1f load=%s%n",
        count, millis, cpuMillis, (after - before) / 1048576.0, loadAverage());
    if (engine.hashCode() == 42 && loaded.value().rules().isEmpty()) {
      System.out.println(); // keeps both reachable until after the measurement
    }
    for (int i = 1; i <= warm; i++) {
      long t0 = System.nanoTime();
      long c0 = threads.getCurrentThreadCpuTime();
      PolicyEngine again = loadAndCompile(dir);
      System.out.printf(
          "rules=%d warm_load=%d load_compile_ms=%d thread_cpu_ms=%d load=%s%n",
          count,
          i,
          (System.nanoTime() - t0) / 1_000_000,
          (threads.getCurrentThreadCpuTime() - c0) / 1_000_000,
          loadAverage());
      if (again.hashCode() == 42) {
        System.out.println();
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
