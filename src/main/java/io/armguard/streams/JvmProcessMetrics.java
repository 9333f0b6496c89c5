package io.armguard.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's meters, from Micrometer core's binders: heap and non-heap pools
 * ({@code jvm_memory_*}, {@code jvm_buffer_*}: libtorch's tensors are off-heap and not counted
 * there), GC pauses ({@code jvm_gc_*}), threads, loaded classes, CPU ({@code process_cpu_usage},
 * {@code system_cpu_usage}, {@code system_load_average_1m}), open files and uptime. Bind once per
 * registry; close to stop the GC listener.
 */
public final class JvmProcessMetrics implements MeterBinder, AutoCloseable {

  private final JvmGcMetrics gc = new JvmGcMetrics();

  @Override
  public void bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  @Override
  public void close() {
    gc.close();
  }
}
