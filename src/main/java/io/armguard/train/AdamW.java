package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsFile;
import io.armguard.model.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, Loshchilov and Hutter) over named parameters, with its moment
 * estimates saved and restored by name so training resumes exactly. Weight decay applies to
 * matrices only (biases and layer-norm gains are not decayed, as in GPT-2 training practice).
 * Updates happen in place outside any gradient recording. Not thread-safe.
 */
public final class AdamW {
  private final Map<String, Parameter> parameters;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private long step;

  public AdamW(
      Map<String, Parameter> parameters,
      NDManager stateManager,
      float beta1,
      float beta2,
      float epsilon,
      float weightDecay) {
    this.parameters = new LinkedHashMap<>(parameters);
    this.stateManager = stateManager;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, Parameter> e : this.parameters.entrySet()) {
      NDArray w = e.getValue().getArray();
      firstMoment.put(e.getKey(), stateManager.zeros(w.getShape()));
      secondMoment.put(e.getKey(), stateManager.zeros(w.getShape()));
    }
  }

  public long step() {
    return step;
  }

  /** One update of every parameter from its current gradient, with learning rate {@code lr}. */
  public void update(float lr) {
    step++;
    float correction1 = (float) (1 - Math.pow(beta1, step));
    float correction2 = (float) (1 - Math.pow(beta2, step));
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      NDArray w = e.getValue().getArray();
      NDArray g = w.getGradient();
      NDArray m = firstMoment.get(e.getKey());
      NDArray v = secondMoment.get(e.getKey());
      // an op's result lives in its first operand's manager: every temporary is moved to scope
      try (NDManager scope = stateManager.newSubManager()) {
        g.attach(scope);
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray denominator = v.div(correction2);
        denominator.attach(scope);
        denominator = denominator.sqrt().addi(epsilon);
        NDArray update = m.div(correction1);
        update.attach(scope);
        update.divi(denominator);
        if (weightDecay > 0 && w.getShape().dimension() >= 2) {
          NDArray decay = w.mul(weightDecay);
          decay.attach(scope);
          update.addi(decay);
        }
        w.subi(update.muli(lr));
      }
    }
  }

  /** Writes the moments (F32) and the step count. */
  public void save(Path file) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    firstMoment.forEach((k, a) -> tensors.put("m." + k, a));
    secondMoment.forEach((k, a) -> tensors.put("v." + k, a));
    SafetensorsWriter.write(
        file, tensors, SafetensorsDType.F32, Map.of("step", Long.toString(step)));
  }

  /** Restores what {@link #save} wrote; every parameter must be present with its shape. */
  public void load(Path file) throws IOException {
    SafetensorsFile f = SafetensorsFile.open(file);
    for (String k : parameters.keySet()) {
      copy(f, "m." + k, firstMoment.get(k));
      copy(f, "v." + k, secondMoment.get(k));
    }
    step = Long.parseLong(f.metadata().getOrDefault("step", "0"));
  }

  private static void copy(SafetensorsFile f, String name, NDArray into) throws IOException {
    if (!f.names().contains(name)) {
      throw new IOException(f.path() + ": optimizer state has no tensor " + name);
    }
    float[] values = f.readFloats(name);
    if (values.length != into.size()) {
      throw new IOException(
          f.path() + ": " + name + " has " + values.length + " values, expected " + into.size());
    }
    into.set(values);
  }
}
