package io.armguard.streams;

import io.armguard.decode.LoadedModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * {@code armguard_model_info{role,name,sha256} 1}, one series per loaded model: the Prometheus
 * "info" idiom, so a dashboard or alert can join any armguard series with the models an instance
 * runs ({@code * on (instance) group_left(name, sha256) armguard_model_info{role="reward"}}) and a
 * half-finished model roll-out shows as two hashes at once. {@code sha256} is the hash prefix of
 * the model's id, the same one audit records carry.
 */
public final class ModelInfoMetrics implements MeterBinder {

  static final String NAME = "armguard.model.info";

  private final List<LoadedModel> models;

  public ModelInfoMetrics(List<LoadedModel> models) {
    this.models = List.copyOf(models);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (LoadedModel m : models) {
      Gauge.builder(NAME, () -> 1)
          .description("A model this instance runs with (value 1); labels identify it")
          .tag("role", m.role())
          .tag("name", m.name())
          .tag("sha256", m.sha256())
          .strongReference(true)
          .register(registry);
    }
  }
}
