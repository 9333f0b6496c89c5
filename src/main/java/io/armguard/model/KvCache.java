package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Per-layer attention keys and values of the tokens a {@link GptBackbone} has already seen, so a
 * decoding step only computes the new token.
 *
 * <p>Layout: values are {@code [B, heads, capacity, headDim]}; keys are kept transposed, {@code [B,
 * heads, headDim, capacity]}, so a step computes q·Kᵀ without a transpose view per step. The first
 * {@link #length()} positions are live; the rest is room to grow: {@link #append} writes new
 * positions in place and hands out views of the live part, and grows the arrays (doubling) only
 * when they are full, so a decoding step copies nothing it already cached. The cache owns its
 * arrays in its own NDManager (a child of the one given at construction); {@link #close()} frees
 * everything. Inference only (in-place writes are not recorded for autograd). Not thread-safe.
 */
public final class KvCache implements AutoCloseable {

  /** Positions of room added beyond what a growing append needs (besides doubling). */
  static final int GROWTH_SLACK = 32;

  /** The positions axis of the transposed keys [B, H, hd, L] and of the values [B, H, L, hd]. */
  private static final int KEY_AXIS = 3;

  private static final int VALUE_AXIS = 2;

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
   * and returns views of that layer's live {keysT, values} including them ({@code length() + T}
   * positions), owned by {@code newKeysT}'s manager (the caller's step scope: closing them leaves
   * the cache intact). Call {@link #advance(int)} once all layers are appended.
   */
  NDArray[] append(int layer, NDArray newKeysT, NDArray newValues) {
    int t = (int) newValues.getShape().get(2);
    int needed = length + t;
    if (keysT[layer] == null || capacity(layer) < needed) {
      grow(layer, needed, newKeysT.getShape(), newValues.getShape());
    }
    keysT[layer].set(positions(KEY_AXIS, length, needed), newKeysT);
    values[layer].set(positions(VALUE_AXIS, length, needed), newValues);
    NDManager scope = newKeysT.getManager();
    return new NDArray[] {
      keysT[layer].get(scope, positions(KEY_AXIS, 0, needed)),
      values[layer].get(scope, positions(VALUE_AXIS, 0, needed))
    };
  }

  /**
   * Positions {@code [from, to)} along {@code axis}, every index of the axes before it (and of the
   * one after). Built, not parsed: {@link #append} makes four per layer per step.
   */
  private static NDIndex positions(int axis, long from, long to) {
    return new NDIndex().addAllDim(axis).addSliceDim(from, to);
  }

  /** Positions layer {@code layer}'s arrays have room for. */
  private int capacity(int layer) {
    return (int) values[layer].getShape().get(2);
  }

  /**
   * New arrays for layer {@code layer} with room for at least {@code needed} positions (twice the
   * old room, or what is needed plus {@link #GROWTH_SLACK}), the live positions copied in.
   */
  private void grow(int layer, int needed, Shape newKeys, Shape newValues) {
    int old = keysT[layer] == null ? 0 : capacity(layer);
    int room = Math.max(needed + GROWTH_SLACK, 2 * old);
    NDArray k = manager.zeros(new Shape(newKeys.get(0), newKeys.get(1), newKeys.get(2), room));
    NDArray v =
        manager.zeros(new Shape(newValues.get(0), newValues.get(1), room, newValues.get(3)));
    if (keysT[layer] != null) {
      if (length > 0) {
        try (NDArray lk = live(keysT, KEY_AXIS, layer, manager);
            NDArray lv = live(values, VALUE_AXIS, layer, manager)) {
          k.set(positions(KEY_AXIS, 0, length), lk);
          v.set(positions(VALUE_AXIS, 0, length), lv);
        }
      }
      keysT[layer].close();
      values[layer].close();
    }
    keysT[layer] = k;
    values[layer] = v;
  }

  /**
   * A view of layer i's live positions of {@code arrays} (keys or values), owned by {@code owner}.
   */
  private NDArray live(NDArray[] arrays, int axis, int i, NDManager owner) {
    return arrays[i].get(owner, positions(axis, 0, length));
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
   * keep): they become room for the next {@link #append}, which overwrites them.
   *
   * @throws IllegalArgumentException unless {@code 0 < newLength <= length()}
   */
  public void truncate(int newLength) {
    if (newLength <= 0 || newLength > length) {
      throw new IllegalArgumentException(
          "truncate to " + newLength + " of " + length + " cached positions");
    }
    length = newLength;
  }

  /**
   * The rows of {@code top} followed by those of {@code bottom}, in a new cache owned by a child of
   * {@code parent}: the shorter of the two is left-padded with zeros to the longer's length (the
   * caller masks the padding, e.g. with {@code CacheRows#concat}). Both inputs stay as they are.
   *
   * @throws IllegalArgumentException when either is empty or their layer counts differ
   */
  public static KvCache concatRows(KvCache top, KvCache bottom, NDManager parent) {
    if (top.keysT.length != bottom.keysT.length || top.length == 0 || bottom.length == 0) {
      throw new IllegalArgumentException("concatRows needs two non-empty caches of one model");
    }
    int width = Math.max(top.length, bottom.length);
    KvCache out = new KvCache(parent, top.keysT.length);
    out.length = width;
    try (NDManager scratch = out.manager.newSubManager()) {
      for (int i = 0; i < top.keysT.length; i++) {
        NDArray k =
            NDArrays.concat(
                new NDList(
                    top.padded(top.keysT, KEY_AXIS, i, width, scratch),
                    bottom.padded(bottom.keysT, KEY_AXIS, i, width, scratch)),
                0);
        NDArray v =
            NDArrays.concat(
                new NDList(
                    top.padded(top.values, VALUE_AXIS, i, width, scratch),
                    bottom.padded(bottom.values, VALUE_AXIS, i, width, scratch)),
                0);
        out.keysT[i] = out.own(k);
        out.values[i] = out.own(v);
      }
    }
    return out;
  }

  /**
   * Layer i's live keys or values, left-padded with zeros to {@code width} positions along {@code
   * axis} (a view of the live part when no padding is needed).
   */
  private NDArray padded(NDArray[] arrays, int axis, int i, int width, NDManager scratch) {
    int pad = width - length;
    NDArray live = live(arrays, axis, i, scratch);
    if (pad == 0) {
      return live;
    }
    long[] dims = arrays[i].getShape().getShape().clone(); // a copy: the shape may be shared
    dims[axis] = pad;
    return scratch.zeros(new Shape(dims)).concat(live, axis);
  }

  /**
   * Drops the first {@code columns} positions of every row (columns that are padding in all rows,
   * so a long-running batch does not carry the padding of rows that left). The old arrays are
   * closed; the new ones are copies.
   *
   * @throws IllegalArgumentException unless {@code 0 <= columns < length()}
   */
  public void dropLeading(int columns) {
    if (columns < 0 || columns >= length) {
      throw new IllegalArgumentException(
          "drop " + columns + " leading of " + length + " cached positions");
    }
    if (columns == 0) {
      return;
    }
    for (int i = 0; i < keysT.length; i++) {
      if (keysT[i] != null) {
        try (NDArray k = keysT[i].get(positions(KEY_AXIS, columns, length));
            NDArray v = values[i].get(positions(VALUE_AXIS, columns, length))) {
          NDArray kc = own(k.duplicate());
          NDArray vc = own(v.duplicate());
          keysT[i].close();
          values[i].close();
          keysT[i] = kc;
          values[i] = vc;
        }
      }
    }
    length -= columns;
  }

  /**
   * One batch over single-row caches of different lengths: row i is {@code rows.get(i)} left-padded
   * with zeros to {@code width} positions (the caller masks the padding). The new cache, owned by a
   * child of {@code parent}, copies the rows' arrays; the rows stay as they are.
   *
   * @param layers the model's block count (a row may be empty)
   * @throws IllegalArgumentException when a row has more than one sequence or more than {@code
   *     width} positions
   */
  public static KvCache stack(List<KvCache> rows, int width, int layers, NDManager parent) {
    KvCache out = new KvCache(parent, layers);
    out.length = width;
    if (width == 0) {
      return out;
    }
    KvCache shape = null; // a row with arrays: heads and head size
    for (KvCache r : rows) {
      if (r.batchSize() > 1 || r.length > width) {
        throw new IllegalArgumentException(
            "stack needs rows of one sequence and at most " + width + " positions");
      }
      if (r.length > 0) {
        shape = r;
      }
    }
    if (shape == null) {
      throw new IllegalArgumentException("width " + width + " but every row is empty");
    }
    try (NDManager scratch = out.manager.newSubManager()) {
      for (int i = 0; i < layers; i++) {
        Shape k = shape.keysT[i].getShape(); // [1, H, hd, capacity]
        Shape v = shape.values[i].getShape(); // [1, H, capacity, hd]
        NDList ks = new NDList();
        NDList vs = new NDList();
        for (KvCache r : rows) {
          int pad = width - r.length;
          NDArray kp = pad == 0 ? null : scratch.zeros(new Shape(1, k.get(1), k.get(2), pad));
          NDArray vp = pad == 0 ? null : scratch.zeros(new Shape(1, v.get(1), pad, v.get(3)));
          NDArray rk = r.length == 0 ? null : r.live(r.keysT, KEY_AXIS, i, scratch);
          NDArray rv = r.length == 0 ? null : r.live(r.values, VALUE_AXIS, i, scratch);
          ks.add(r.length == 0 ? kp : pad == 0 ? rk : kp.concat(rk, 3));
          vs.add(r.length == 0 ? vp : pad == 0 ? rv : vp.concat(rv, 2));
        }
        out.keysT[i] = out.own(joined(ks));
        out.values[i] = out.own(joined(vs));
      }
    }
    return out;
  }

  /**
   * A new single-row cache holding positions {@code [from, to)} of row {@code row}, in its own
   * memory (not a view of this cache's, so closing this one frees it), owned by a child of {@code
   * parent}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= from < to <= length()}
   */
  public KvCache slice(int row, int from, int to, NDManager parent) {
    if (from < 0 || to <= from || to > length) {
      throw new IllegalArgumentException(
          "slice [" + from + ", " + to + ") of " + length + " cached positions");
    }
    KvCache out = new KvCache(parent, keysT.length);
    for (int i = 0; i < keysT.length; i++) {
      try (NDArray k = keysT[i].get(new NDIndex("{}:{}, :, :, {}:{}", row, row + 1, from, to));
          NDArray v = values[i].get(new NDIndex("{}:{}, :, {}:{}, :", row, row + 1, from, to))) {
        out.keysT[i] = out.own(k.duplicate());
        out.values[i] = out.own(v.duplicate());
      }
    }
    out.length = to - from;
    return out;
  }

  /** A new array joining {@code parts} along axis 0 (never one of the parts itself). */
  private static NDArray joined(NDList parts) {
    return parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
  }

  private NDArray own(NDArray a) {
    a.attach(manager);
    return a;
  }

  /**
   * Views of one layer's live arrays (keys transposed, {@code length()} positions), for tests and
   * diagnostics; they belong to the cache and are freed with it.
   */
  public NDList layer(int i) {
    return new NDList(live(keysT, KEY_AXIS, i, manager), live(values, VALUE_AXIS, i, manager));
  }

  @Override
  public void close() {
    manager.close();
  }
}
