package io.armguard.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A small aligned text table for a terminal or a log: columns as wide as their widest cell, text
 * left-aligned, numbers right-aligned, two spaces between columns, no trailing blanks. Not
 * thread-safe; build, then {@link #lines}.
 */
final class TextTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have one cell per column ({@code null} prints as "-"). */
  TextTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells for " + header.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(c == null ? "-" : c.toString());
    }
    rows.add(row);
    return this;
  }

  /** The header line and one line per row. */
  List<String> lines() {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
        numeric[c] &= row.get(c).equals("-") || row.get(c).matches("-?\\d+(\\.\\d+)?");
      }
    }
    List<String> out = new ArrayList<>();
    out.add(line(header, width, numeric));
    rows.forEach(r -> out.add(line(r, width, numeric)));
    return out;
  }

  private static String line(List<String> cells, int[] width, boolean[] numeric) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      b.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cell : cell + pad);
    }
    return b.toString().stripTrailing();
  }
}
