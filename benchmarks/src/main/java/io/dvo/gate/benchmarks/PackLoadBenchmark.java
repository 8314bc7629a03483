package io.dvo.gate.benchmarks;

import io.dvo.gate.policy.PackLoadResult;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPackLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
    PackLoadResult loaded = PolicyPackLoader.load(pack);
    if (!loaded.ok()) {
      throw new IllegalStateException(loaded.problems().toString());
    }
    return loaded.pack().engine();
  }

  @Benchmark
  public PolicyEngine loadAndCompile() {
    return loadAndCompile(pack);
  }

  /**
   * {@code java -cp benchmarks.jar io.dvo.gate.benchmarks.PackLoadBenchmark [rules]}: first-load
   * time in a fresh JVM, and the heap the loaded pack plus engine retain.
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = WideRules.writePack(count);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    long start = System.nanoTime();
    PackLoadResult loaded = PolicyPackLoader.load(dir);
    PolicyEngine engine = loaded.pack().engine();
    long millis = (System.nanoTime() - start) / 1_000_000;
    long after = usedAfterGc(memory);
    System.out.printf(
        "rules=%d cold_load_compile_ms=%d retained_heap_mb=%.1f%n",
        count, millis, (after - before) / 1048576.0);
    if (engine.hashCode() == 42 && loaded.pack().rules().isEmpty()) {
      System.out.println(); // keeps both reachable until after the measurement
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
