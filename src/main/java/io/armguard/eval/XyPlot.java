package io.armguard.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small headless line/scatter plot written as PNG with Java2D: named series of labelled points,
 * axis titles, optional log-scale y axis, legend. Enough for the toxicity-vs-perplexity trade-off
 * (the ARM paper's Figure 3) and the rank analysis, without a plotting dependency.
 */
public final class XyPlot {

  /** A point with an optional text label drawn next to it. */
  public record Point(double x, double y, String label) {}

  /** A named series; drawn as a line through its points unless {@code markersOnly}. */
  public record Series(String name, List<Point> points, boolean markersOnly) {}

  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e),
    new Color(0x8c564b),
    new Color(0x17becf)
  };

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();

  public XyPlot(String title, String xTitle, String yTitle, boolean logY) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.logY = logY;
  }

  public XyPlot add(Series s) {
    series.add(s);
    return this;
  }

  /** Renders to {@code file} (PNG, 900 x 600). */
  public void write(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 900;
    int h = 600;
    int left = 90;
    int right = 220;
    int top = 50;
    int bottom = 70;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double[] xr = range(true);
    double[] yr = range(false);
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 5; i++) {
      double fx = xr[0] + (xr[1] - xr[0]) * i / 5;
      int px = left + pw * i / 5;
      g.setColor(new Color(0xeeeeee));
      g.drawLine(px, top + 1, px, top + ph - 1);
      g.setColor(Color.BLACK);
      g.drawString(format(fx), px - 15, top + ph + 18);
      double fy = yr[0] + (yr[1] - yr[0]) * i / 5;
      int py = top + ph - ph * i / 5;
      g.setColor(new Color(0xeeeeee));
      g.drawLine(left + 1, py, left + pw - 1, py);
      g.setColor(Color.BLACK);
      g.drawString(format(logY ? Math.pow(10, fy) : fy), left - 60, py + 4);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(xTitle, left + pw / 2 - 60, h - 20);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(yTitle + (logY ? " (log scale)" : ""), -(top + ph / 2 + 80), 22);
    rotated.dispose();
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      g.setColor(PALETTE[s % PALETTE.length]);
      g.setStroke(new BasicStroke(2f));
      int[] prev = null;
      for (Point p : ser.points()) {
        int px = left + (int) Math.round((p.x() - xr[0]) / (xr[1] - xr[0]) * pw);
        int py = top + ph - (int) Math.round((y(p.y()) - yr[0]) / (yr[1] - yr[0]) * ph);
        if (prev != null && !ser.markersOnly()) {
          g.drawLine(prev[0], prev[1], px, py);
        }
        int r = ser.markersOnly() ? 6 : 4;
        g.fillOval(px - r, py - r, 2 * r, 2 * r);
        if (p.label() != null && !p.label().isEmpty()) {
          g.drawString(p.label(), px + 6, py - 6);
        }
        prev = new int[] {px, py};
      }
      int ly = top + 20 + 22 * s;
      g.fillRect(left + pw + 20, ly - 8, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(ser.name(), left + pw + 40, ly + 1);
    }
    g.dispose();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private double y(double v) {
    return logY ? Math.log10(Math.max(v, 1e-12)) : v;
  }

  private double[] range(boolean xAxis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (Point p : s.points()) {
        double v = xAxis ? p.x() : y(p.y());
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(lo < hi)) {
      lo = Double.isFinite(lo) ? lo - 1 : 0;
      hi = Double.isFinite(hi) ? hi + 1 : 1;
    }
    double pad = (hi - lo) * 0.08;
    return new double[] {lo - pad, hi + pad};
  }

  private static String format(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 0.01 || a >= 100_000)) {
      return String.format(java.util.Locale.ROOT, "%.1e", v);
    }
    return a >= 100
        ? String.format(java.util.Locale.ROOT, "%.0f", v)
        : String.format(java.util.Locale.ROOT, "%.3g", v);
  }
}
