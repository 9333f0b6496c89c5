package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Per-layer attention keys and values of the tokens a {@link GptBackbone} has already seen, so a
 * decoding step only computes the new token.
 *
 * <p>Layout: values are {@code [B, heads, length, headDim]}; keys are kept transposed, {@code [B,
 * heads, headDim, length]}, so a step computes q·Kᵀ without a transpose view per step. The cache
 * owns its arrays in its own NDManager (a child of the one given at construction); extending
 * replaces and frees the old arrays; {@link #close()} frees everything. Not thread-safe.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager parent;
  private final NDManager manager;
  private final NDArray[] keysT;
  private final NDArray[] values;
  private int length;

  /** An empty cache for a model with {@code layers} blocks, owned by a child of {@code parent}. */
  public KvCache(NDManager parent, int layers) {
    this.parent = parent;
    this.manager = parent.newSubManager();
    this.keysT = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of positions cached (including left padding). */
  public int length() {
    return length;
  }

  /** Number of rows (sequences), or 0 while empty. */
  public long batchSize() {
    return values[0] == null ? 0 : values[0].getShape().get(0);
  }

  /**
   * Appends one layer's new keys ({@code [B,H,hd,T]}, transposed) and values ({@code [B,H,T,hd]})
   * and returns the full cached {keysT, values} of that layer. The returned arrays belong to the
   * cache: do not close them. Call {@link #advance(int)} once all layers are appended.
   */
  NDArray[] append(int layer, NDArray newKeysT, NDArray newValues) {
    if (keysT[layer] == null) {
      keysT[layer] = own(newKeysT.duplicate());
      values[layer] = own(newValues.duplicate());
    } else {
      // concat's result belongs to its first operand's manager: the cache's
      NDArray k = keysT[layer].concat(newKeysT, 3);
      NDArray v = values[layer].concat(newValues, 2);
      keysT[layer].close();
      values[layer].close();
      keysT[layer] = k;
      values[layer] = v;
    }
    return new NDArray[] {keysT[layer], values[layer]};
  }

  /** Records that every layer now holds {@code tokens} more positions. */
  void advance(int tokens) {
    length += tokens;
  }

  /**
   * A new cache whose row i is row {@code rows[i]} of this one (rows may repeat, e.g. RAD keeps k
   * copies of each sequence). The new cache is independent of this one; both must be closed.
   *
   * @param rows int64 {@code [B']} row indices into this cache
   */
  public KvCache select(NDArray rows) {
    KvCache out = new KvCache(parent, keysT.length);
    for (int i = 0; i < keysT.length; i++) {
      if (keysT[i] != null) {
        out.keysT[i] = keysT[i].get(out.manager, new NDIndex("{}", rows));
        out.values[i] = values[i].get(out.manager, new NDIndex("{}", rows));
      }
    }
    out.length = length;
    return out;
  }

  /**
   * Drops every position from {@code newLength} on (an incremental scorer ran tokens it must not
   * keep). The old arrays are closed; the new ones are slices of them, so the engine may hold the
   * dropped positions' memory until the next {@code append} replaces the arrays.
   *
   * @throws IllegalArgumentException unless {@code 0 < newLength <= length()}
   */
  public void truncate(int newLength) {
    if (newLength <= 0 || newLength > length) {
      throw new IllegalArgumentException(
          "truncate to " + newLength + " of " + length + " cached positions");
    }
    if (newLength == length) {
      return;
    }
    for (int i = 0; i < keysT.length; i++) {
      if (keysT[i] != null) {
        NDArray k = keysT[i].get(new NDIndex(":, :, :, :{}", newLength));
        NDArray v = values[i].get(new NDIndex(":, :, :{}, :", newLength));
        keysT[i].close();
        values[i].close();
        keysT[i] = k;
        values[i] = v;
      }
    }
    length = newLength;
  }

  private NDArray own(NDArray a) {
    a.attach(manager);
    return a;
  }

  /** The cached arrays of one layer (keys transposed), for tests and diagnostics. */
  public NDList layer(int i) {
    return new NDList(keysT[i], values[i]);
  }

  @Override
  public void close() {
    manager.close();
  }
}
