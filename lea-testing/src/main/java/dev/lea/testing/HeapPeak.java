package dev.lea.testing;

import java.lang.management.ManagementFactory;

/**
 * The most live heap seen above a baseline, measured after a full collection so that garbage
 * does not count: what a streaming client keeps, not what it churns through. Sample it while the
 * bytes flow, e.g. with {@link GeneratedContent#sampling(long, Runnable)}.
 */
public final class HeapPeak {

  private final long baseline = liveHeap();
  private long peak = baseline;

  public void sample() {
    peak = Math.max(peak, liveHeap());
  }

  public long growth() {
    return peak - baseline;
  }

  private static long liveHeap() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
