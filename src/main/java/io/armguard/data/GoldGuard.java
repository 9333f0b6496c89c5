package io.armguard.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Keeps the gold set out of training data: any text whose {@link TextKey} is a gold key. */
public final class GoldGuard {
  private final Set<String> goldKeys = new HashSet<>();

  public GoldGuard(List<LabelledText> gold) {
    gold.forEach(t -> goldKeys.add(TextKey.of(t.text())));
  }

  public boolean isGold(String text) {
    return goldKeys.contains(TextKey.of(text));
  }

  List<LabelledText> withoutGold(List<LabelledText> items, Manifest manifest, String file) {
    List<LabelledText> out = new ArrayList<>(items.size());
    for (LabelledText t : items) {
      if (!isGold(t.text())) {
        out.add(t);
      }
    }
    manifest.note("gold_collisions_dropped:" + file, items.size() - out.size());
    return out;
  }
}
