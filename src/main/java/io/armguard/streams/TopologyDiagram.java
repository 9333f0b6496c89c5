package io.armguard.streams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Renders a {@link TopologyDescription} as an SVG picture: one column per depth from the sources,
 * topics as grey pills, sources/processors/sinks as boxes (stores listed under their processor),
 * arrows along the edges. Deterministic, so the committed picture changes only when the topology
 * does.
 */
public final class TopologyDiagram {

  private static final int BOX_W = 210;
  private static final int BOX_H = 54;
  private static final int COL_GAP = 90;
  private static final int ROW_GAP = 34;

  private TopologyDiagram() {}

  /** The SVG document for {@code description}. */
  public static String svg(TopologyDescription description) {
    Map<String, TopologyDescription.Node> nodes = new LinkedHashMap<>();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      sub.nodes().stream()
          .sorted((a, b) -> a.name().compareTo(b.name()))
          .forEach(n -> nodes.put(n.name(), n));
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (TopologyDescription.Node n : nodes.values()) {
      depth(n, depth);
    }
    int maxDepth = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<List<String>> columns = new ArrayList<>();
    for (int d = 0; d <= maxDepth; d++) {
      columns.add(new ArrayList<>());
    }
    nodes.keySet().forEach(name -> columns.get(depth.get(name)).add(name));
    int rows = columns.stream().mapToInt(List::size).max().orElse(1);
    int left = 40 + BOX_W + COL_GAP; // column 0 is for input topics
    Map<String, int[]> at = new LinkedHashMap<>();
    for (int d = 0; d <= maxDepth; d++) {
      List<String> col = columns.get(d);
      for (int i = 0; i < col.size(); i++) {
        int y = 70 + i * (BOX_H + ROW_GAP) + (rows - col.size()) * (BOX_H + ROW_GAP) / 2;
        at.put(col.get(i), new int[] {left + d * (BOX_W + COL_GAP), y});
      }
    }
    int width = left + (maxDepth + 2) * (BOX_W + COL_GAP) + 40;
    int height = 110 + rows * (BOX_H + ROW_GAP);
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"sans-serif\" font-size=\"13\">%n",
                width, height))
        .append(
            "<defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\""
                + " orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#555\"/></marker></defs>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append(
            "<text x=\"20\" y=\"30\" font-size=\"16\" font-weight=\"bold\">armguard topology"
                + " (Topology.describe())</text>\n");
    for (TopologyDescription.Node n : nodes.values()) {
      int[] p = at.get(n.name());
      for (TopologyDescription.Node next : n.successors()) {
        int[] q = at.get(next.name());
        arrow(svg, p[0] + BOX_W, p[1] + BOX_H / 2, q[0], q[1] + BOX_H / 2);
      }
      if (n instanceof TopologyDescription.Source source) {
        String topics = String.join(", ", new TreeSet<>(source.topicSet()));
        pill(svg, 40, p[1] + 8, topics);
        arrow(svg, 40 + BOX_W, p[1] + BOX_H / 2, p[0], p[1] + BOX_H / 2);
      }
      if (n instanceof TopologyDescription.Sink sink) {
        int x = p[0] + BOX_W + COL_GAP;
        pill(svg, x, p[1] + 8, sink.topic());
        arrow(svg, p[0] + BOX_W, p[1] + BOX_H / 2, x, p[1] + BOX_H / 2);
      }
      box(svg, n, p[0], p[1]);
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static int depth(TopologyDescription.Node n, Map<String, Integer> memo) {
    Integer known = memo.get(n.name());
    if (known != null) {
      return known;
    }
    int d = 0;
    for (TopologyDescription.Node p : n.predecessors()) {
      d = Math.max(d, depth(p, memo) + 1);
    }
    memo.put(n.name(), d);
    return d;
  }

  private static void box(StringBuilder svg, TopologyDescription.Node n, int x, int y) {
    String kind =
        n instanceof TopologyDescription.Source
            ? "source"
            : n instanceof TopologyDescription.Sink ? "sink" : "processor";
    String fill =
        kind.equals("processor") ? "#dbeafe" : kind.equals("source") ? "#dcfce7" : "#fee2e2";
    svg.append(
        String.format(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\""
                + " stroke=\"#334155\"/>%n",
            x, y, BOX_W, BOX_H, fill));
    svg.append(
        String.format(
            "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
            x + 10, y + 20, esc(n.name())));
    String detail = kind;
    if (n instanceof TopologyDescription.Processor p && !p.stores().isEmpty()) {
      detail += " · store " + String.join(", ", new TreeSet<>(p.stores()));
    }
    svg.append(
        String.format(
            "<text x=\"%d\" y=\"%d\" fill=\"#475569\" font-size=\"11\">%s</text>%n",
            x + 10, y + 40, esc(detail)));
  }

  private static void pill(StringBuilder svg, int x, int y, String topic) {
    svg.append(
        String.format(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"19\" fill=\"#f1f5f9\""
                + " stroke=\"#94a3b8\"/>%n",
            x, y, BOX_W, BOX_H - 16));
    svg.append(
        String.format(
            "<text x=\"%d\" y=\"%d\" fill=\"#0f172a\">%s</text>%n",
            x + 14, y + 24, esc("topic " + topic)));
  }

  private static void arrow(StringBuilder svg, int x1, int y1, int x2, int y2) {
    svg.append(
        String.format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-width=\"1.5\""
                + " marker-end=\"url(#arrow)\"/>%n",
            x1, y1, x2, y2));
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
